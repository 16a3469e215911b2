package io.switchboard.core.execution;

import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptOutcome;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.task.Handoff;
import io.switchboard.core.task.TaskState;
import java.time.Instant;

/**
 * Hears what the dispatcher does, for progress displays, logs, metrics and tests. Every method has a no-op
 * default; {@link #NONE} hears nothing.
 *
 * <p>Threading: called on the thread that runs the task, after the store has recorded what the event reports,
 * in this order per attempt: {@code decided}, {@code attemptStarted}, {@code attemptFinished}, then either
 * {@code waiting} or {@code taskFinished}. Several tasks may run at once, so implementations shared between
 * tasks must be thread-safe. They must be quick and must not throw.
 */
public interface SwitchboardListener {
    SwitchboardListener NONE = new SwitchboardListener() {
    };

    /** A routing decision was recorded (also one without a candidate, and a fallback). */
    default void decided(String taskId, long decisionId, RoutingDecision decision) {
    }

    default void attemptStarted(Attempt attempt) {
    }

    /** Usage reported by a running agent. */
    default void usage(String taskId, int attempt, Usage soFar) {
    }

    default void attemptFinished(Attempt attempt, AttemptOutcome outcome) {
    }

    /** The task waits until {@code until} (a retry's back-off, or every capable agent cooling down). */
    default void waiting(String taskId, Instant until, String reason) {
    }

    /**
     * The task waits, in this process and with nothing stored, for one of the dispatcher's own attempts to end:
     * every agent that could take it is at its max concurrency with them. It is routed again then.
     */
    default void waitingForAgent(String taskId, String reason) {
    }

    /** The task reached a final state, or went back to the queue ({@link TaskState#QUEUED}) on a shutdown. */
    default void taskFinished(String taskId, TaskState state, String reason) {
    }

    /**
     * A person handed the task off, and this dispatcher leaves it to the handoff: instead of {@code waiting} or
     * {@code taskFinished}, after {@code attemptFinished} when an attempt was running.
     */
    default void handedOff(String taskId, Handoff handoff) {
    }

    /**
     * Another orchestrator sharing the database holds the task's claim: this one leaves the task (it never started, or
     * it was taken over while this one was silent).
     */
    default void claimedElsewhere(String taskId) {
    }
}
