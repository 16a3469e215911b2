package io.switchboard.core.execution;

import java.time.Duration;
import java.util.Objects;

/**
 * How one run of an agent (or of a verification command) ended.
 *
 * @param failure why it failed, or {@code null} when it succeeded
 * @param exitCode the process's exit status, or {@code null} when it was not started or ended by a signal
 * @param duration from start to end, on the monotonic clock
 * @param usage what the agent reported spending
 * @param sessionId the agent's own session id, when it reports one
 * @param summary the agent's final answer as its structured output gives it, or empty
 * @param agentVersion what the agent's CLI printed for {@code --version}, or empty when unknown
 */
public record RunResult(
        FailureInfo failure,
        Integer exitCode,
        Duration duration,
        Usage usage,
        String sessionId,
        String summary,
        String agentVersion,
        CapturedOutput stdout,
        CapturedOutput stderr) {

    public RunResult {
        Objects.requireNonNull(duration, "duration");
        usage = usage == null ? Usage.NONE : usage;
        summary = summary == null ? "" : summary;
        agentVersion = agentVersion == null ? "" : agentVersion;
        stdout = stdout == null ? CapturedOutput.EMPTY : stdout;
        stderr = stderr == null ? CapturedOutput.EMPTY : stderr;
    }

    public boolean succeeded() {
        return failure == null;
    }

    /**
     * What the run printed as one text: standard output, then standard error after a {@code --- stderr ---} line
     * when there is any; as stored with an attempt and read back by the handoff packet.
     */
    public String joinedOutput() {
        String out = stdout.text();
        String err = stderr.text();
        if (err.isEmpty()) {
            return out;
        }
        return out + (out.isEmpty() || out.endsWith("\n") ? "" : "\n") + "--- stderr ---\n" + err;
    }

    /** A run that never started, for the given reason. */
    public static RunResult notStarted(FailureInfo failure, String agentVersion) {
        return new RunResult(Objects.requireNonNull(failure, "failure"), null, Duration.ZERO, Usage.NONE, null, "",
                agentVersion, CapturedOutput.EMPTY, CapturedOutput.EMPTY);
    }
}
