package io.switchboard.core.remote;

import static io.switchboard.core.Require.require;

import java.util.Objects;

/** One attempt of one task: the task's id and the attempt's number (the fencing token). */
public record AttemptKey(String taskId, int number) {
    public AttemptKey {
        Objects.requireNonNull(taskId, "taskId");
        require(number >= 1, "attempts are numbered from 1, was %s", number);
    }

    @Override
    public String toString() {
        return taskId + " attempt " + number;
    }
}
