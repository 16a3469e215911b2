package io.switchboard.core.attempt;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A working directory made for one attempt alone, owned by the dispatcher from preparing it until it is finished.
 *
 * @param directory where the agent and the verification run
 * @param branch the branch the attempt's work goes on, or empty for a copy
 */
public record AttemptWorkspace(String taskId, int attempt, Path directory, String branch) {
    public AttemptWorkspace {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(directory, "directory");
        branch = branch == null ? "" : branch;
    }
}
