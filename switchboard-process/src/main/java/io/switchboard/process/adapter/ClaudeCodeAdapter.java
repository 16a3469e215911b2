package io.switchboard.process.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.Usage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Claude Code in print mode: {@code claude -p --output-format stream-json --verbose}, the prompt on standard
 * input. The stream carries each assistant message's token usage as it happens (so a budget can stop the run
 * early), a {@code rate_limit_event} when the plan's limit is reached (with its reset as an epoch second), and a
 * final {@code result} with {@code total_cost_usd}, {@code usage}, {@code session_id}, {@code is_error},
 * {@code subtype} and {@code result}. See docs/adapters.md for the sources.
 */
public final class ClaudeCodeAdapter implements CliAdapter {
    static final String PROGRAM = "claude";

    private final TimeBase time;

    /** Obtained through {@link Adapters#of}, which gives every adapter the same time base. */
    ClaudeCodeAdapter(TimeBase time) {
        this.time = time;
    }

    @Override
    public PromptDelivery promptDelivery(AgentProfile profile) {
        return PromptDelivery.STDIN;
    }

    @Override
    public List<String> argv(AgentProfile profile, Mode mode, boolean bypassPermissions, Path promptFile) {
        List<String> argv = Program.of(profile, PROGRAM);
        // stream-json needs --verbose in print mode; without it the CLI refuses to start.
        argv.addAll(List.of("-p", "--output-format", "stream-json", "--verbose"));
        argv.addAll(switch (mode) {
            case PLAN -> List.of("--permission-mode", "plan");
            case AUTO -> List.of("--permission-mode", "acceptEdits");
            case FULL_AUTO -> bypassPermissions
                    ? List.of("--dangerously-skip-permissions")
                    : List.of("--permission-mode", "acceptEdits");
        });
        argv.addAll(profile.flagsFor(mode));
        return List.copyOf(argv);
    }

    @Override
    public List<String> versionArgv(AgentProfile profile) {
        return Program.version(profile, PROGRAM);
    }

    @Override
    public OutputReader newReader() {
        return new Reader(time);
    }

    private static final class Reader implements OutputReader {
        private final TimeBase time;
        private final RunEvidence run;
        /** Usage per API message: the stream repeats a message's usage on each of its content blocks. */
        private final Map<String, long[]> tokensByMessage = new HashMap<>();
        private long unnamedInput;
        private long unnamedOutput;
        private boolean limitRejected;
        private Instant limitResetsAt;
        private String assistantError;

        Reader(TimeBase time) {
            this.time = time;
            this.run = new RunEvidence(PROGRAM, time);
        }

        @Override
        public Usage line(String line, boolean truncated) {
            JsonNode event = Json.object(line);
            if (event == null) {
                if (truncated && line.contains("\"type\":\"result\"")) {
                    return cutResult(line);
                }
                run.notStructured(line, truncated);
                return null;
            }
            String session = Json.text(event, "session_id");
            if (session != null && !session.isEmpty()) {
                run.sessionId = session;
            }
            String type = Json.text(event, "type");
            if (type == null) {
                return null;
            }
            return switch (type) {
                case "assistant" -> assistant(event);
                case "rate_limit_event" -> {
                    rateLimit(event.path("rate_limit_info"));
                    yield null;
                }
                case "result" -> result(event);
                default -> null;
            };
        }

        @Override
        public Reading finish(int exitCode, String stderrTail) {
            return run.judge(exitCode, stderrTail);
        }

        private Usage assistant(JsonNode event) {
            String error = Json.text(event, "error");
            if (error != null) {
                assistantError = error;
            }
            JsonNode message = event.path("message");
            JsonNode usage = message.path("usage");
            if (!usage.isObject()) {
                return null;
            }
            long input = inputTokens(usage);
            long output = Json.count(usage, "output_tokens");
            String id = Json.text(message, "id");
            if (id == null) {
                unnamedInput += input;
                unnamedOutput += output;
            } else {
                tokensByMessage.put(id, new long[] {input, output});
            }
            long totalInput = unnamedInput;
            long totalOutput = unnamedOutput;
            for (long[] tokens : tokensByMessage.values()) {
                totalInput += tokens[0];
                totalOutput += tokens[1];
            }
            run.usage = new Usage(totalInput, totalOutput, null);
            return run.usage;
        }

        private void rateLimit(JsonNode info) {
            // "allowed" and "allowed_warning" arrive on healthy runs too; only "rejected" means the limit was hit.
            if ("rejected".equals(Json.text(info, "status"))) {
                limitRejected = true;
                long resetsAt = Json.count(info, "resetsAt");
                limitResetsAt = resetsAt > 0 ? Instant.ofEpochSecond(resetsAt) : null;
            }
        }

        private Usage result(JsonNode event) {
            run.finished = true;
            run.usage = resultUsage(event);
            boolean isError = event.path("is_error").asBoolean(false);
            String subtype = Json.text(event, "subtype");
            String result = Json.text(event, "result");
            if (!isError && (subtype == null || subtype.equals("success"))) {
                run.summary = result == null ? "" : result;
            } else {
                run.reported = failure(subtype, message(result, event.path("errors"), subtype),
                        event.path("api_error_status"));
            }
            return run.usage;
        }

        /** A result line longer than the runner's line cap: its status, session and cost can still be read. */
        private Usage cutResult(String line) {
            run.finished = true;
            String session = Json.textIn(line, "session_id");
            if (session != null) {
                run.sessionId = session;
            }
            String cost = Json.literalIn(line, "total_cost_usd");
            if (cost != null) {
                run.usage = new Usage(run.usage.inputTokens(), run.usage.outputTokens(), Double.parseDouble(cost));
            }
            String subtype = Json.textIn(line, "subtype");
            if ("true".equals(Json.literalIn(line, "is_error")) || (subtype != null && !subtype.equals("success"))) {
                run.reported = failure(subtype, "claude reported an error (its result line was cut at the line cap)",
                        null);
            }
            return run.usage;
        }

        private FailureInfo failure(String subtype, String message, JsonNode apiErrorStatus) {
            // The plan's usage limit, as the stream's rate_limit_event reported it, with its reset.
            if (limitRejected) {
                FailureInfo quota = FailureText.reported(message, "", FailureType.QUOTA, time);
                FailureType type = quota.type() == FailureType.NOT_LOGGED_IN ? FailureType.QUOTA : quota.type();
                return new FailureInfo(type, quota.message(), false, "",
                        limitResetsAt != null ? limitResetsAt : quota.resetAt());
            }
            // Claude's own spending cap (--max-budget-usd in the profile's flags) stopped it.
            if ("error_max_budget_usd".equals(subtype)) {
                return FailureInfo.of(FailureType.BUDGET, message);
            }
            FailureType hinted = switch (assistantError == null ? "" : assistantError) {
                case "authentication_failed" -> FailureType.NOT_LOGGED_IN;
                case "billing_error" -> FailureType.QUOTA;
                case "rate_limit" -> FailureType.RATE_LIMIT;
                default -> statusType(apiErrorStatus);
            };
            FailureInfo fromText = FailureText.reported(message, "", FailureType.AGENT_ERROR, time);
            if (fromText.type() != FailureType.AGENT_ERROR || hinted == null) {
                return fromText;
            }
            return new FailureInfo(hinted, fromText.message(), false, "",
                    hinted == FailureType.NOT_LOGGED_IN ? null : ResetTime.in(message, time).orElse(null));
        }

        private static FailureType statusType(JsonNode status) {
            if (status == null || !status.isNumber()) {
                return null;
            }
            return switch (status.asInt()) {
                case 401, 403 -> FailureType.NOT_LOGGED_IN;
                case 429 -> FailureType.RATE_LIMIT;
                default -> null;
            };
        }

        private static String message(String result, JsonNode errors, String subtype) {
            if (result != null && !result.isBlank()) {
                return result;
            }
            List<String> texts = new ArrayList<>();
            for (JsonNode error : errors) {
                texts.add(error.isTextual() ? error.asText() : error.toString());
            }
            if (!texts.isEmpty()) {
                return String.join("; ", texts);
            }
            return "claude ended with " + (subtype == null ? "an error" : subtype);
        }

        /**
         * The run's tokens from the result: per model when it says ({@code modelUsage} also counts the small model
         * Claude Code uses on the side), else its {@code usage}. The cost is {@code total_cost_usd}.
         */
        private Usage resultUsage(JsonNode event) {
            long input = 0;
            long output = 0;
            JsonNode perModel = event.path("modelUsage");
            if (perModel.isObject() && !perModel.isEmpty()) {
                for (Iterator<JsonNode> models = perModel.elements(); models.hasNext(); ) {
                    JsonNode model = models.next();
                    input += Json.count(model, "inputTokens") + Json.count(model, "cacheReadInputTokens")
                            + Json.count(model, "cacheCreationInputTokens");
                    output += Json.count(model, "outputTokens");
                }
            } else if (event.path("usage").isObject()) {
                input = inputTokens(event.path("usage"));
                output = Json.count(event.path("usage"), "output_tokens");
            } else {
                input = run.usage.inputTokens();
                output = run.usage.outputTokens();
            }
            return new Usage(input, output, Json.number(event, "total_cost_usd"));
        }

        /** Every token the model read: Anthropic counts cache reads and writes apart from {@code input_tokens}. */
        private static long inputTokens(JsonNode usage) {
            return Json.count(usage, "input_tokens") + Json.count(usage, "cache_creation_input_tokens")
                    + Json.count(usage, "cache_read_input_tokens");
        }
    }
}
