package io.switchboard.process.workspace;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one attempt of a task runs, ready to use. Owned by whoever prepared it until it is given back to
 * {@link TaskWorkspaces#finish}.
 */
public sealed interface PreparedWorkspace {
    String taskId();

    int attempt();

    /** Where the agent runs: the project directory's place inside the worktree or copy. */
    Path directory();

    /**
     * A git worktree on the task's own branch.
     *
     * @param root the worktree's top folder ({@link #directory()} is inside it when the project directory is a
     *     sub-folder of the repository)
     * @param branch {@code switchboard/<name>}
     * @param baseCommit the commit the branch was set to: HEAD, with the dependencies' branches merged in
     */
    record Worktree(String taskId, int attempt, Path directory, Path root, String branch, String baseCommit)
            implements PreparedWorkspace {
        public Worktree {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(root, "root");
            Objects.requireNonNull(branch, "branch");
            Objects.requireNonNull(baseCommit, "baseCommit");
        }
    }

    /**
     * A copy of the project directory, kept after the attempt.
     *
     * @param source the project directory it was copied from
     */
    record Copy(String taskId, int attempt, Path directory, Path source) implements PreparedWorkspace {
        public Copy {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(source, "source");
        }
    }
}
