package io.switchboard.process.workspace;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link GitWorktrees#merge} did: the branches merged, in order, and where it stopped if it did.
 *
 * @param merged the tasks whose branches are now in the checkout's branch, in the order merged
 * @param stop the task whose merge failed, when one did; the checkout is as it was before that merge
 * @param notMerged the tasks after the stop, not tried
 */
public record MergeReport(List<Merged> merged, Optional<Stop> stop, List<String> notMerged) {
    public MergeReport {
        merged = List.copyOf(merged);
        Objects.requireNonNull(stop, "stop");
        notMerged = List.copyOf(notMerged);
    }

    /** Whether every branch was merged. */
    public boolean complete() {
        return stop.isEmpty();
    }

    /**
     * One branch merged.
     *
     * @param mergeCommit the merge commit made; empty when the branch held nothing new (already merged, or its
     *     task changed nothing)
     */
    public record Merged(String taskId, String branch, Optional<String> mergeCommit) {
        public Merged {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(branch, "branch");
            Objects.requireNonNull(mergeCommit, "mergeCommit");
        }
    }

    /**
     * The merge that failed and was undone.
     *
     * @param conflictingFiles the files git could not merge, by path; empty when the merge failed for another
     *     reason (an untracked file in the way, a hook that refused), which {@code gitMessage} then says
     * @param gitMessage what git said, trimmed
     */
    public record Stop(String taskId, String branch, List<String> conflictingFiles, String gitMessage) {
        public Stop {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(branch, "branch");
            conflictingFiles = List.copyOf(conflictingFiles);
            Objects.requireNonNull(gitMessage, "gitMessage");
        }

        public boolean conflict() {
            return !conflictingFiles.isEmpty();
        }

        /** {@code task 02 (switchboard/02) conflicts in: a.txt, b.txt}, or the failure git gave. */
        public String describe() {
            return conflict()
                    ? "task " + taskId + " (" + branch + ") conflicts in: " + String.join(", ", conflictingFiles)
                    : "task " + taskId + " (" + branch + ") could not be merged: " + gitMessage;
        }
    }
}
