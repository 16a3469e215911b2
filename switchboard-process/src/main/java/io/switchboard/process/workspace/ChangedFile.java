package io.switchboard.process.workspace;

import java.util.Objects;

/**
 * One file an attempt changed.
 *
 * @param path relative to the top of the worktree or copy, with {@code /} between folders
 */
public record ChangedFile(String path, Change change) {
    /** How a file changed; renames show as a deletion and an addition. */
    public enum Change {
        ADDED('A'),
        MODIFIED('M'),
        DELETED('D'),
        /** A file became a symbolic link or the other way round. */
        TYPE_CHANGED('T');

        private final char letter;

        Change(char letter) {
            this.letter = letter;
        }

        /** Git's status letter: {@code A}, {@code M}, {@code D}, {@code T}. */
        public char letter() {
            return letter;
        }

        static Change ofLetter(char letter) {
            for (Change change : values()) {
                if (change.letter == letter) {
                    return change;
                }
            }
            throw new IllegalArgumentException("no change has the status letter '" + letter + "'");
        }
    }

    public ChangedFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(change, "change");
    }

    @Override
    public String toString() {
        return change.letter() + " " + path;
    }
}
