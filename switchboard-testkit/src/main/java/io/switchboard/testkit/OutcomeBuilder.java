package io.switchboard.testkit;

import io.switchboard.core.attempt.AttemptChanges;
import io.switchboard.core.attempt.AttemptOutcome;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.attempt.TaskMove;
import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.performance.Difficulty;
import io.switchboard.core.task.TaskState;
import java.time.Duration;
import java.time.Instant;

/**
 * Builds how an attempt ended, saying only what matters:
 * {@code succeeded("T-1", 1, now).costing(0.02).movingTaskTo(SUCCEEDED, "done")}. Nothing else is recorded
 * unless asked: no tokens, no cost, no output, performance left alone, the task left where it is.
 */
public final class OutcomeBuilder {
    private final String taskId;
    private final int number;
    private final AttemptState state;
    private final FailureInfo failure;
    private final Instant finishedAt;
    private long durationMs;
    private long inputTokens;
    private long outputTokens;
    private double cost;
    private Integer exitCode;
    private String sessionId;
    private String output = "";
    private String verifyOutput = "";
    private Difficulty difficulty;
    private Duration performanceHalfLife;
    private TaskMove taskMove;
    private String answer = "";
    private AttemptChanges changes;

    private OutcomeBuilder(String taskId, int number, AttemptState state, FailureInfo failure, Instant finishedAt) {
        this.taskId = taskId;
        this.number = number;
        this.state = state;
        this.failure = failure;
        this.finishedAt = finishedAt;
    }

    public static OutcomeBuilder succeeded(String taskId, int number, Instant finishedAt) {
        return new OutcomeBuilder(taskId, number, AttemptState.SUCCEEDED, null, finishedAt);
    }

    /** Ended in the state its failure's type leaves an attempt in (FAILED, TIMED_OUT, CANCELLED, ABANDONED). */
    public static OutcomeBuilder failed(String taskId, int number, FailureInfo failure, Instant finishedAt) {
        return new OutcomeBuilder(taskId, number, failure.type().attemptState(), failure, finishedAt);
    }

    public OutcomeBuilder took(long millis) {
        durationMs = millis;
        return this;
    }

    public OutcomeBuilder usingTokens(long input, long output) {
        inputTokens = input;
        outputTokens = output;
        return this;
    }

    public OutcomeBuilder costing(double dollars) {
        cost = dollars;
        return this;
    }

    public OutcomeBuilder exitingWith(int status) {
        exitCode = status;
        return this;
    }

    public OutcomeBuilder inSession(String id) {
        sessionId = id;
        return this;
    }

    public OutcomeBuilder printing(String text) {
        output = text;
        return this;
    }

    /** The agent's final answer, as a workflow step passes it on. */
    public OutcomeBuilder answering(String text) {
        answer = text;
        return this;
    }

    public OutcomeBuilder verifyPrinting(String text) {
        verifyOutput = text;
        return this;
    }

    public OutcomeBuilder assessedAs(Difficulty value) {
        difficulty = value;
        return this;
    }

    /** Folds the outcome into the agent's performance, decaying earlier outcomes with this half-life. */
    public OutcomeBuilder countingTowardsPerformance(Duration halfLife) {
        performanceHalfLife = halfLife;
        return this;
    }

    public OutcomeBuilder movingTaskTo(TaskState to, String reason) {
        return movingTask(TaskMove.to(to, reason));
    }

    public OutcomeBuilder movingTask(TaskMove move) {
        taskMove = move;
        return this;
    }

    /** What the attempt changed in its own workspace. */
    public OutcomeBuilder changing(AttemptChanges value) {
        changes = value;
        return this;
    }

    public AttemptOutcome build() {
        return new AttemptOutcome(taskId, number, state, failure, finishedAt, durationMs, inputTokens, outputTokens,
                cost, exitCode, sessionId, output, verifyOutput, difficulty, performanceHalfLife, taskMove, "", answer,
                changes);
    }
}
