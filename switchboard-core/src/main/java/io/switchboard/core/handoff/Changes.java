package io.switchboard.core.handoff;

import io.switchboard.core.attempt.AttemptChanges;
import io.switchboard.core.attempt.FileChange;
import java.util.List;

/**
 * The files an attempt changed, as a packet shows them.
 *
 * @param files one line per file, its change letter then its path ({@code "A src/New.java"}, {@code "M pom.xml"})
 * @param diffStat the one-line size of the change ({@code "2 files changed, 40 insertions(+), 3 deletions(-)"}), or
 *     empty
 * @param commit the commit that holds the attempt's work, or empty when it made none (or ran in a copy)
 * @param recorded whether the attempt's changes were recorded at all; when not, the packet says so rather than
 *     claiming nothing changed
 */
public record Changes(List<String> files, String diffStat, String commit, boolean recorded) {
    /** Changes that were not recorded. */
    public static final Changes UNKNOWN = new Changes(List.of(), "", "", false);

    public Changes {
        files = List.copyOf(files);
        diffStat = diffStat == null ? "" : diffStat.strip();
        commit = commit == null ? "" : commit;
        if (!recorded && (!files.isEmpty() || !diffStat.isEmpty() || !commit.isEmpty())) {
            throw new IllegalArgumentException("changes that were not recorded list no files, was " + files);
        }
    }

    /**
     * What an attempt's recorded changes show: its files and diff stat from its workspace; {@link #UNKNOWN} when it ran
     * in the working directory itself ({@code null}) or its changes could not be recorded.
     */
    public static Changes of(AttemptChanges changes) {
        if (changes == null || !changes.recorded()) {
            return UNKNOWN;
        }
        return new Changes(changes.files().stream().map(FileChange::toString).toList(), changes.diffStat(),
                changes.commit(), true);
    }
}
