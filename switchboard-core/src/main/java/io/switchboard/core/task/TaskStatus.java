package io.switchboard.core.task;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a stored task stands.
 *
 * @param reason why it moved to its state
 * @param dueAt when a waiting task may run again, or {@code null}
 */
public record TaskStatus(String taskId, TaskState state, String reason, Instant dueAt, Instant updatedAt) {
    public TaskStatus {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
