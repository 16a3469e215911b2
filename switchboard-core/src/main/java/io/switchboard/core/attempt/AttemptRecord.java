package io.switchboard.core.attempt;

import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.performance.Difficulty;
import java.util.Objects;

/**
 * An attempt with everything recorded about it. Fields describing the end are zero, empty or {@code null}
 * while it is in flight.
 *
 * @param answer the agent's final answer ({@link AttemptOutcome#answer()}); empty while in flight
 * @param packet the handoff packet the agent was given after the task's prompt; empty when it got the prompt alone
 * @param changes what it changed in its own workspace, or {@code null} when it ran in the working directory (or
 *     is still in flight)
 */
public record AttemptRecord(
        Attempt attempt,
        FailureInfo failure,
        long durationMs,
        long inputTokens,
        long outputTokens,
        double cost,
        Integer exitCode,
        String sessionId,
        String agentVersion,
        String output,
        String verifyOutput,
        Difficulty difficulty,
        Long decisionId,
        String orchestratorId,
        String marker,
        String answer,
        String packet,
        AttemptChanges changes) {

    public AttemptRecord {
        Objects.requireNonNull(attempt, "attempt");
        agentVersion = agentVersion == null ? "" : agentVersion;
        output = output == null ? "" : output;
        verifyOutput = verifyOutput == null ? "" : verifyOutput;
        answer = answer == null ? "" : answer;
        packet = packet == null ? "" : packet;
    }
}
