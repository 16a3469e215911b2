package io.switchboard.core.attempt;

import io.switchboard.core.task.TaskState;
import java.time.Instant;
import java.util.Objects;

/**
 * A move of a task to another state, with its reason.
 *
 * @param dueAt when a waiting task may run again, or {@code null}
 */
public record TaskMove(TaskState to, String reason, Instant dueAt) {
    public TaskMove {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
    }

    public static TaskMove to(TaskState state, String reason) {
        return new TaskMove(state, reason, null);
    }
}
