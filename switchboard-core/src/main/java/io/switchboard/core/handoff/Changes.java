package io.switchboard.core.handoff;

import java.util.List;

/**
 * The files an attempt changed, as a packet shows them.
 *
 * @param files one line per file, its change letter then its path ({@code "A src/New.java"}, {@code "M pom.xml"})
 * @param diffStat the one-line size of the change ({@code "2 files changed, 40 insertions(+), 3 deletions(-)"}), or
 *     empty
 * @param recorded whether the attempt's changes were recorded at all; when not, the packet says so rather than
 *     claiming nothing changed
 */
public record Changes(List<String> files, String diffStat, boolean recorded) {
    /** Changes that were not recorded. */
    public static final Changes UNKNOWN = new Changes(List.of(), "", false);

    public Changes {
        files = List.copyOf(files);
        diffStat = diffStat == null ? "" : diffStat.strip();
        if (!recorded && (!files.isEmpty() || !diffStat.isEmpty())) {
            throw new IllegalArgumentException("changes that were not recorded list no files, was " + files);
        }
    }

    public static Changes of(List<String> files, String diffStat) {
        return new Changes(files, diffStat, true);
    }
}
