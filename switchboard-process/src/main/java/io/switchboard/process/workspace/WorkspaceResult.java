package io.switchboard.process.workspace;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an attempt changed, once its workspace is finished.
 *
 * @param commit the tip of the task's branch when the attempt changed anything (the commit Switchboard made, or
 *     the agent's own last one); empty when nothing changed, and always for a copy
 * @param changedFiles every file that differs from the start of the attempt, by path
 * @param diffStat one line: git's {@code --shortstat} ({@code 2 files changed, 7 insertions(+), 1 deletion(-)})
 *     for a worktree, the counts by kind for a copy; {@code no changes} when there are none
 */
public record WorkspaceResult(Optional<String> commit, List<ChangedFile> changedFiles, String diffStat) {
    public static final String NO_CHANGES = "no changes";

    public WorkspaceResult {
        Objects.requireNonNull(commit, "commit");
        changedFiles = List.copyOf(changedFiles);
        Objects.requireNonNull(diffStat, "diffStat");
    }

    public boolean changed() {
        return !changedFiles.isEmpty();
    }
}
