package io.switchboard.core.task;

/**
 * Thrown by {@link io.switchboard.core.port.TaskStore#startAttempt} for an attempt that an orchestrator would start on
 * a task another orchestrator has claimed ({@link io.switchboard.core.port.TaskClaims}): it lost the task (it was taken
 * over while it was silent) and must leave it.
 */
public final class TaskClaimedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final String claimedBy;

    public TaskClaimedException(String taskId, String claimedBy) {
        super("task " + taskId + " is claimed by orchestrator " + claimedBy + "; only it starts the task's attempts");
        this.claimedBy = claimedBy;
    }

    public String claimedBy() {
        return claimedBy;
    }
}
