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
 *     kind for a copy, {@code no changes}, or why the changes could not be recorded ({@link #notRecorded})
 */
public record AttemptChanges(String branch, String commit, String copy, List<FileChange> files, String diffStat) {
    /** How the diff stat of changes that could not be recorded begins, before the reason. */
    public static final String NOT_RECORDED = "its changes could not be recorded: ";

    public AttemptChanges {
        branch = branch == null ? "" : branch;
        commit = commit == null ? "" : commit;
        copy = copy == null ? "" : copy;
        files = List.copyOf(files);
        Objects.requireNonNull(diffStat, "diffStat");
    }

    /** The changes of an attempt on {@code branch} whose workspace could not say what changed, and why. */
    public static AttemptChanges notRecorded(String branch, String why) {
        return new AttemptChanges(branch, "", "", List.of(), NOT_RECORDED + why);
    }

    /** Whether the files and the diff stat say what changed: not when they could not be recorded. */
    public boolean recorded() {
        return !diffStat.startsWith(NOT_RECORDED);
    }

    /** Where the work is: the branch, else the copy's folder. */
    public String where() {
        return branch.isEmpty() ? copy : branch;
    }
}
