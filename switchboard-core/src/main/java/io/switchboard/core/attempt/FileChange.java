package io.switchboard.core.attempt;

import java.util.Objects;

/**
 * One file an attempt changed in its workspace.
 *
 * @param kind how it changed, as git's status letter: {@code A} added, {@code M} modified, {@code D} deleted,
 *     {@code T} a file that became a symbolic link or the other way round (a rename is a deletion and an addition)
 * @param path relative to the top of the workspace, with {@code /} between folders
 */
public record FileChange(char kind, String path) {
    /** The kinds a change can be, as letters. */
    public static final String KINDS = "AMDT";

    public FileChange {
        if (KINDS.indexOf(kind) < 0) {
            throw new IllegalArgumentException("a file change is one of " + KINDS + ", was '" + kind + "'");
        }
        Objects.requireNonNull(path, "path");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("a changed file needs a path");
        }
    }

    @Override
    public String toString() {
        return kind + " " + path;
    }
}
