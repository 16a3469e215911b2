package io.switchboard.core.attempt;

/** Where one execution of a task on one agent stands. */
public enum AttemptState {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    CANCELLED,
    ABANDONED;

    /** Whether an attempt in this state counts towards its agent's load. */
    public boolean inFlight() {
        return switch (this) {
            case PENDING, RUNNING -> true;
            case SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, ABANDONED -> false;
        };
    }

    /** Whether this state is a failure of the agent on the task (it is excluded when the task is retried). */
    public boolean failedTheTask() {
        return switch (this) {
            case FAILED, TIMED_OUT, ABANDONED -> true;
            case PENDING, RUNNING, SUCCEEDED, CANCELLED -> false;
        };
    }

    public boolean isFinal() {
        return !inFlight();
    }

    /** The allowed moves: PENDING → RUNNING → one final state; a final state is never left. */
    public boolean canMoveTo(AttemptState next) {
        return switch (this) {
            case PENDING -> next != PENDING;
            case RUNNING -> next != PENDING && next != RUNNING;
            case SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, ABANDONED -> false;
        };
    }
}
