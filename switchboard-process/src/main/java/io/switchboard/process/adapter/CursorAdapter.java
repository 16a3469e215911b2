package io.switchboard.process.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.Usage;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Cursor's agent CLI in print mode: {@code cursor-agent -p --output-format stream-json --trust}, the prompt on
 * standard input (piped input is print mode's prompt). The stream's {@code system} event and the final
 * {@code result} carry {@code session_id}; the {@code result} carries {@code is_error}, {@code result} and, in recent
 * versions, {@code usage} (tokens, no cost). On failure the CLI exits non-zero and says why on standard error,
 * often without a result. Without {@code --force} print mode only proposes edits; {@code --force} also runs every
 * command, so it is the permission bypass.
 */
public final class CursorAdapter implements CliAdapter {
    static final String PROGRAM = "cursor-agent";

    /** Print mode in a folder it has not been told to trust prints this, and exits 0 without running. */
    private static final Pattern TRUST_REQUIRED = Pattern.compile("workspace trust required", Pattern.CASE_INSENSITIVE);

    private final TimeBase time;

    /** Obtained through {@link Adapters#of}, which gives every adapter the same time base. */
    CursorAdapter(TimeBase time) {
        this.time = time;
    }

    @Override
    public PromptDelivery promptDelivery(AgentProfile profile) {
        return PromptDelivery.STDIN;
    }

    @Override
    public List<String> argv(AgentProfile profile, Mode mode, boolean bypassPermissions, Path promptFile) {
        List<String> argv = Program.of(profile, PROGRAM);
        // --trust accepts the working folder's workspace trust, without which print mode refuses to run; it grants
        // no tool permission.
        argv.addAll(List.of("-p", "--output-format", "stream-json", "--trust"));
        argv.addAll(switch (mode) {
            case PLAN -> List.of("--mode", "plan");
            case AUTO -> List.of();
            case FULL_AUTO -> bypassPermissions ? List.of("--force") : List.of();
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

        Reader(TimeBase time) {
            this.time = time;
            this.run = new RunEvidence(PROGRAM, time);
        }

        @Override
        public Usage line(String line, boolean truncated) {
            JsonNode event = Json.object(line);
            if (event == null) {
                if (truncated && line.contains("\"type\":\"result\"")) {
                    cutResult(line);
                    return null;
                }
                run.notStructured(line, truncated);
                return null;
            }
            String session = Json.text(event, "session_id");
            if (session != null && !session.isEmpty()) {
                run.sessionId = session;
            }
            if (!"result".equals(Json.text(event, "type"))) {
                return null;
            }
            run.finished = true;
            JsonNode usage = event.path("usage");
            if (usage.isObject()) {
                long input = first(usage, "inputTokens", "input_tokens")
                        + first(usage, "cacheReadTokens", "cache_read_input_tokens")
                        + first(usage, "cacheWriteTokens", "cache_creation_input_tokens");
                long output = first(usage, "outputTokens", "output_tokens");
                run.usage = new Usage(input, output, Json.number(event, "total_cost_usd"));
            }
            String result = Json.text(event, "result");
            String subtype = Json.text(event, "subtype");
            if (event.path("is_error").asBoolean(false) || (subtype != null && !subtype.equals("success"))) {
                run.reported = FailureText.reported(
                        result != null && !result.isBlank() ? result : "cursor-agent ended with " + subtype, "",
                        FailureType.AGENT_ERROR, time);
            } else {
                run.summary = result == null ? "" : result;
            }
            return usage.isObject() ? run.usage : null;
        }

        @Override
        public Reading finish(int exitCode, String stderrTail) {
            String said = run.unstructuredText() + "\n" + (stderrTail == null ? "" : stderrTail);
            if (!run.finished && TRUST_REQUIRED.matcher(said).find()) {
                run.reported = new FailureInfo(FailureType.LAUNCH_FAILED,
                        "cursor-agent refused to run: the working folder is not a trusted workspace", false,
                        run.unstructuredText(), null);
            }
            return run.judge(exitCode, stderrTail);
        }

        /** A result line longer than the runner's line cap: its status and session can still be read. */
        private void cutResult(String line) {
            run.finished = true;
            String session = Json.textIn(line, "session_id");
            if (session != null) {
                run.sessionId = session;
            }
            if ("true".equals(Json.literalIn(line, "is_error"))) {
                run.reported = FailureInfo.of(FailureType.AGENT_ERROR,
                        "cursor-agent reported an error (its result line was cut at the line cap)");
            }
        }

        private static long first(JsonNode node, String name, String otherName) {
            return node.has(name) ? Json.count(node, name) : Json.count(node, otherName);
        }
    }
}
