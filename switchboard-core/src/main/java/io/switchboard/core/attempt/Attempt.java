package io.switchboard.core.attempt;

import io.switchboard.core.agent.Mode;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One execution of a task on one agent. {@code number} counts 1, 2, 3 … per task and is the fencing token:
 * only the current attempt may record a result.
 *
 * @param finishedAt when it reached a final state, or {@code null} while in flight
 */
public record Attempt(String taskId, int number, UUID agentId, String agentName, Mode mode, String workType,
        AttemptState state, Instant startedAt, Instant finishedAt) {

    public Attempt {
        Objects.requireNonNull(taskId, "taskId");
        if (number < 1) {
            throw new IllegalArgumentException("attempt numbers start at 1, was " + number);
        }
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(workType, "workType");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
