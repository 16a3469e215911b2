package io.switchboard.core.task;

/**
 * Thrown by {@link io.switchboard.core.port.TaskStore#startAttempt} for an attempt that would run a task a person
 * has handed off, when the attempt does not take that handoff up: the orchestrator that was running the task must
 * leave it to the handoff.
 */
public final class HandoffPendingException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient Handoff handoff;

    public HandoffPendingException(String taskId, Handoff handoff) {
        super("task " + taskId + " is " + handoff.reason() + " (asked at " + handoff.requestedAt()
                + "); only an attempt on " + handoff.toAgent() + " that takes the handoff up may start");
        this.handoff = handoff;
    }

    public Handoff handoff() {
        return handoff;
    }
}
