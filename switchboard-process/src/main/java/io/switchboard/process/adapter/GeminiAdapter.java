package io.switchboard.process.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.Usage;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * Google Gemini CLI, headless: {@code gemini --output-format json --approval-mode ...}, the prompt on standard input
 * (a piped standard input puts the CLI in headless mode and is the prompt; see docs/adapters.md for why not
 * {@code -p ""}). It prints one pretty-printed JSON document at the end, {@code {session_id, response, stats,
 * error}}, so usage is known only then; errors come as the same document with {@code error}, on standard error in
 * current versions. Its exit codes are documented: 41 authentication, 42 input, 52 configuration, 53 turn limit,
 * 54 fatal tool error.
 */
public final class GeminiAdapter implements CliAdapter {
    static final String PROGRAM = "gemini";
    /** The most standard output kept to parse at the end; a run's JSON document is far smaller. */
    static final int MAX_OUTPUT_CHARS = 8 * 1024 * 1024;
    /** How many lines opening with "{" are tried as the document's start before giving up. */
    private static final int MAX_DOCUMENT_STARTS = 8;

    private final TimeBase time;

    /** Obtained through {@link Adapters#of}, which gives every adapter the same time base. */
    GeminiAdapter(TimeBase time) {
        this.time = time;
    }

    @Override
    public PromptDelivery promptDelivery(AgentProfile profile) {
        return PromptDelivery.STDIN;
    }

    @Override
    public List<String> argv(AgentProfile profile, Mode mode, boolean bypassPermissions, Path promptFile) {
        List<String> argv = Program.of(profile, PROGRAM);
        argv.addAll(List.of("--output-format", "json", "--approval-mode"));
        // Headless, "default" denies every tool that would ask for approval (edits, shell): read-only in effect,
        // and unlike "plan" it needs no experimental setting.
        argv.add(switch (mode) {
            case PLAN -> "default";
            case AUTO -> "auto_edit";
            case FULL_AUTO -> bypassPermissions ? "yolo" : "auto_edit";
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
        private final StringBuilder stdout = new StringBuilder();
        private boolean cut;

        Reader(TimeBase time) {
            this.time = time;
            this.run = new RunEvidence(PROGRAM, time);
        }

        @Override
        public Usage line(String line, boolean truncated) {
            cut |= truncated;
            if (stdout.length() + line.length() + 1 > MAX_OUTPUT_CHARS) {
                cut = true;
            } else {
                stdout.append(line).append('\n');
            }
            return null;
        }

        @Override
        public Reading finish(int exitCode, String stderrTail) {
            String stderr = stderrTail == null ? "" : stderrTail;
            JsonNode document = document(stdout.toString());
            JsonNode errorDocument = document(stderr);
            JsonNode error = document != null && document.path("error").isObject() ? document.path("error")
                    : errorDocument != null ? errorDocument.path("error") : null;
            if (document != null) {
                run.finished = true;
                run.sessionId = Json.text(document, "session_id");
                run.usage = usage(document.path("stats"));
                String response = Json.text(document, "response");
                run.summary = response == null ? "" : response;
            } else {
                if (errorDocument != null) {
                    run.sessionId = Json.text(errorDocument, "session_id");
                }
                if (!cut) {
                    stdout.toString().lines().forEach(line -> run.notStructured(line, false));
                }
            }
            if (error != null && error.isObject()) {
                run.summary = "";
                run.reported = reported(error, exitCode);
            } else if (codeFailure(exitCode) != null) {
                String last = FailureText.lastLine(stderr);
                run.reported = FailureText.reported(last.isEmpty() ? describe(exitCode) : last, run.unstructuredText(),
                        codeFailure(exitCode), time);
            } else if (document == null && cut && exitCode == 0) {
                // Our own line or output cap cut the document; the agent did nothing wrong, so its status decides.
                run.finished = true;
            }
            return run.judge(exitCode, stderr);
        }

        private FailureInfo reported(JsonNode error, int exitCode) {
            String message = Json.text(error, "message");
            if (message == null || message.isBlank()) {
                message = Json.text(error, "type") != null ? Json.text(error, "type") : describe(exitCode);
            }
            JsonNode code = error.path("code");
            int status = code.isNumber() ? code.asInt() : exitCode;
            FailureType byCode = codeFailure(status);
            // The message alone: standard error also holds the CLI's notes on attempts it retried.
            return FailureText.reported(message, "", byCode != null ? byCode : FailureType.AGENT_ERROR, time);
        }

        /** What the documented exit codes mean, or {@code null} for a plain failure. */
        private static FailureType codeFailure(int code) {
            return switch (code) {
                case 41 -> FailureType.NOT_LOGGED_IN;
                // An input or configuration error is this agent's set-up (its flags, its settings), not the task's.
                case 42, 52 -> FailureType.LAUNCH_FAILED;
                case 53, 54 -> FailureType.AGENT_ERROR;
                default -> null;
            };
        }

        private static String describe(int code) {
            return switch (code) {
                case 41 -> "gemini could not authenticate (exit 41)";
                case 42 -> "gemini rejected its input or arguments (exit 42)";
                case 52 -> "gemini found its configuration invalid (exit 52)";
                case 53 -> "gemini reached its session turn limit (exit 53)";
                case 54 -> "gemini hit a fatal tool error (exit 54)";
                default -> "gemini exited with status " + code;
            };
        }

        /** Tokens over every model the session used; thoughts are billed as output. */
        private static Usage usage(JsonNode stats) {
            long input = 0;
            long output = 0;
            for (Iterator<JsonNode> models = stats.path("models").elements(); models.hasNext(); ) {
                JsonNode tokens = models.next().path("tokens");
                input += Json.count(tokens, "prompt");
                output += Json.count(tokens, "candidates") + Json.count(tokens, "thoughts");
            }
            return new Usage(input, output, null);
        }

        /**
         * The JSON document in the text: it starts at a line that opens with "{" (the CLI pretty-prints it, and
         * notices such as "Loaded cached credentials." may come first).
         */
        private static JsonNode document(String text) {
            List<String> lines = text.lines().toList();
            int tries = 0;
            for (int start = 0; start < lines.size() && tries < MAX_DOCUMENT_STARTS; start++) {
                if (lines.get(start).startsWith("{")) {
                    tries++;
                    JsonNode node = Json.object(String.join("\n", lines.subList(start, lines.size())));
                    if (node != null) {
                        return node;
                    }
                }
            }
            return null;
        }
    }
}
