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
        String packet) {

    public AttemptRecord {
        Objects.requireNonNull(attempt, "attempt");
        agentVersion = agentVersion == null ? "" : agentVersion;
        output = output == null ? "" : output;
        verifyOutput = verifyOutput == null ? "" : verifyOutput;
        answer = answer == null ? "" : answer;
        packet = packet == null ? "" : packet;
    }

    /** A record without the agent's final answer and without a packet. */
    public AttemptRecord(Attempt attempt, FailureInfo failure, long durationMs, long inputTokens, long outputTokens,
            double cost, Integer exitCode, String sessionId, String agentVersion, String output, String verifyOutput,
            Difficulty difficulty, Long decisionId, String orchestratorId, String marker) {
        this(attempt, failure, durationMs, inputTokens, outputTokens, cost, exitCode, sessionId, agentVersion, output,
                verifyOutput, difficulty, decisionId, orchestratorId, marker, "", "");
    }
}
