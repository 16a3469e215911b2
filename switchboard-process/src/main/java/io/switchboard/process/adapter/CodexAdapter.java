package io.switchboard.process.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.Usage;
import java.nio.file.Path;
import java.util.List;

/**
 * OpenAI Codex CLI, non-interactive: {@code codex exec --json ... -}, the prompt on standard input ({@code -} tells
 * {@code exec} to read it there). The JSONL events read are {@code thread.started} (its {@code thread_id} is the
 * session), {@code item.completed} of an {@code agent_message} (the last is the summary), {@code turn.completed}
 * (its {@code usage} is the thread's running total), {@code turn.failed} and {@code error}. Codex reports tokens,
 * not cost. A usage-limit message says when to try again ("try again at 3:28 PM", in the machine's local time).
 */
public final class CodexAdapter implements CliAdapter {
    static final String PROGRAM = "codex";

    private final TimeBase time;

    /** Obtained through {@link Adapters#of}, which gives every adapter the same time base. */
    CodexAdapter(TimeBase time) {
        this.time = time;
    }

    @Override
    public PromptDelivery promptDelivery(AgentProfile profile) {
        return PromptDelivery.STDIN;
    }

    @Override
    public List<String> argv(AgentProfile profile, Mode mode, boolean bypassPermissions, Path promptFile) {
        List<String> argv = Program.of(profile, PROGRAM);
        argv.addAll(List.of("exec", "--json"));
        argv.addAll(switch (mode) {
            case PLAN -> List.of("--sandbox", "read-only");
            case AUTO -> List.of("--sandbox", "workspace-write");
            // --full-auto was only an alias for workspace-write and is deprecated; the bypass turns off the
            // sandbox too, so it replaces --sandbox rather than joining it.
            case FULL_AUTO -> bypassPermissions
                    ? List.of("--dangerously-bypass-approvals-and-sandbox")
                    : List.of("--sandbox", "workspace-write");
        });
        argv.add("-");
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
        private String lastAgentMessage;
        private String lastError;
        private String failedTurn;

        Reader(TimeBase time) {
            this.time = time;
            this.run = new RunEvidence(PROGRAM, time);
        }

        @Override
        public Usage line(String line, boolean truncated) {
            JsonNode event = Json.object(line);
            if (event == null) {
                run.notStructured(line, truncated);
                return null;
            }
            String type = Json.text(event, "type");
            if (type == null) {
                return null;
            }
            switch (type) {
                case "thread.started" -> run.sessionId = Json.text(event, "thread_id");
                case "item.completed" -> {
                    JsonNode item = event.path("item");
                    if ("agent_message".equals(Json.text(item, "type"))) {
                        lastAgentMessage = Json.text(item, "text");
                    }
                }
                case "turn.completed" -> {
                    // The thread's running total, not this turn's share: the latest one is the whole.
                    JsonNode usage = event.path("usage");
                    run.usage = new Usage(Json.count(usage, "input_tokens"), Json.count(usage, "output_tokens"), null);
                    run.finished = true;
                    failedTurn = null;
                    run.summary = lastAgentMessage == null ? "" : lastAgentMessage;
                    return run.usage;
                }
                case "turn.failed" -> {
                    failedTurn = Json.text(event.path("error"), "message");
                    if (failedTurn == null) {
                        failedTurn = lastError != null ? lastError : "";
                    }
                }
                // Also sent for errors Codex recovers from; it only decides the run when no turn ends.
                case "error" -> lastError = Json.text(event, "message");
                default -> {
                }
            }
            return null;
        }

        @Override
        public Reading finish(int exitCode, String stderrTail) {
            String failure = failedTurn != null ? failedTurn : run.finished ? null : lastError;
            if (failure != null && !failure.isBlank()) {
                // The message alone: Codex's log on standard error also mentions errors it recovered from.
                run.reported = FailureText.reported(failure, "", FailureType.AGENT_ERROR, time);
            } else if (failure != null) {
                // A failed turn that gave no reason: standard error is all there is.
                String last = FailureText.lastLine(stderrTail);
                run.reported = FailureText.reported(last.isEmpty() ? "the turn failed" : last, stderrTail,
                        FailureType.AGENT_ERROR, time);
            }
            return run.judge(exitCode, stderrTail);
        }
    }
}
