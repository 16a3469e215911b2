package io.switchboard.core.attempt;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored state change of a task or of one of its attempts, with its reason.
 *
 * @param attempt the attempt number for an attempt's change, {@code null} for the task's own
 * @param from the state before, as its lowercase name, or {@code null} when the task or attempt was created
 * @param to the state after, as its lowercase name
 */
public record Transition(String taskId, Integer attempt, String from, String to, String reason, Instant at) {
    public Transition {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(to, "to");
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(at, "at");
    }
}
