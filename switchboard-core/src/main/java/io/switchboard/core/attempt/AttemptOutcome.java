package io.switchboard.core.attempt;

import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.performance.Difficulty;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How an attempt ended, everything recorded about it, and what follows for the task: all written in one
 * transaction, and only if the attempt is still the task's current one and still in flight.
 *
 * @param failure why it failed, or {@code null} for a success
 * @param output what was kept of the agent's output (bounded, secrets redacted)
 * @param verifyOutput what was kept of the verification's output, or empty when none ran
 * @param difficulty the assessment of this execution, or {@code null}
 * @param performanceHalfLife when not {@code null}, the agent's performance on the attempt's work type is
 *     updated with this outcome in the same transaction (a success when {@code state} is SUCCEEDED); {@code null}
 *     leaves performance alone (a cancelled or abandoned attempt says nothing about the agent)
 * @param taskMove the task's next state, or {@code null} to leave it
 * @param agentVersion the version the agent's CLI reported during the run, kept in place of the one known at the
 *     start; empty to keep that one
 * @param answer the agent's final answer, as its adapter reads it from the CLI's output, or its standard output
 *     when the adapter reads none (bounded, secrets redacted); empty when it gave none. What a workflow step
 *     that outputs text passes on
 * @param changes what the attempt changed in its own workspace, or {@code null} when it ran in the working
 *     directory itself
 */
public record AttemptOutcome(
        String taskId,
        int number,
        AttemptState state,
        FailureInfo failure,
        Instant finishedAt,
        long durationMs,
        long inputTokens,
        long outputTokens,
        double cost,
        Integer exitCode,
        String sessionId,
        String output,
        String verifyOutput,
        Difficulty difficulty,
        Duration performanceHalfLife,
        TaskMove taskMove,
        String agentVersion,
        String answer,
        AttemptChanges changes) {

    public AttemptOutcome {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(state, "state");
        if (!state.isFinal()) {
            throw new IllegalArgumentException("an outcome needs a final state, was " + state);
        }
        if ((state == AttemptState.SUCCEEDED) != (failure == null)) {
            throw new IllegalArgumentException("a failure is given exactly when the state is not SUCCEEDED, was "
                    + state + " with " + failure);
        }
        Objects.requireNonNull(finishedAt, "finishedAt");
        if (durationMs < 0 || inputTokens < 0 || outputTokens < 0 || !(cost >= 0)) {
            throw new IllegalArgumentException("duration, tokens and cost must be zero or more");
        }
        output = output == null ? "" : output;
        verifyOutput = verifyOutput == null ? "" : verifyOutput;
        agentVersion = agentVersion == null ? "" : agentVersion;
        answer = answer == null ? "" : answer;
    }

    /** An outcome with nothing but its state, as the earlier {@code finishAttempt} recorded. */
    public static AttemptOutcome bare(String taskId, int number, AttemptState state, Instant finishedAt) {
        FailureInfo failure = state == AttemptState.SUCCEEDED ? null
                : FailureInfo.of(switch (state) {
                    case TIMED_OUT -> io.switchboard.core.execution.FailureType.TIMEOUT;
                    case CANCELLED -> io.switchboard.core.execution.FailureType.CANCELLED;
                    case ABANDONED -> io.switchboard.core.execution.FailureType.ABANDONED;
                    case PENDING, RUNNING, SUCCEEDED, FAILED -> io.switchboard.core.execution.FailureType.EXIT_CODE;
                }, "");
        return new AttemptOutcome(taskId, number, state, failure, finishedAt, 0, 0, 0, 0, null, null, "", "", null,
                null, null, "", "", null);
    }
}
