package io.switchboard.core.attempt;

import java.util.List;
import java.util.Objects;

/**
 * What an attempt that ran in a workspace of its own changed there, recorded with its outcome. An attempt that ran
 * in the working directory itself has none ({@code null}).
 *
 * @param branch the branch its work is on ({@code switchboard/<task>}), or empty when it ran in a copy
 * @param commit the branch's tip after the attempt when it changed anything, else empty (and always for a copy)
 * @param copy the folder of the copy it ran in, which keeps its work, or empty when it ran in a worktree
 * @param files every file that differs from where the attempt started, by path
 * @param diffStat one line: {@code 2 files changed, 7 insertions(+), 1 deletion(-)} for a branch, the counts by
 *     kind for a copy, {@code no changes}, or why the changes could not be recorded
 */
public record AttemptChanges(String branch, String commit, String copy, List<FileChange> files, String diffStat) {
    public AttemptChanges {
        branch = branch == null ? "" : branch;
        commit = commit == null ? "" : commit;
        copy = copy == null ? "" : copy;
        files = List.copyOf(files);
        Objects.requireNonNull(diffStat, "diffStat");
    }

    /** Where the work is: the branch, else the copy's folder. */
    public String where() {
        return branch.isEmpty() ? copy : branch;
    }
}
