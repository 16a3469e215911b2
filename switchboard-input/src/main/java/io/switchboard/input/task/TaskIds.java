package io.switchboard.input.task;

import java.util.regex.Pattern;

/**
 * What a task id may look like: a letter or digit, then letters, digits, {@code .}, {@code _} and {@code -},
 * at most {@value #MAX_LENGTH} characters. Ids appear on command lines, in file names and in the database,
 * so spaces and punctuation are kept out. Ids are compared without regard to case.
 */
final class TaskIds {
    static final int MAX_LENGTH = 100;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private TaskIds() {
    }

    static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** What a valid id looks like, for error messages. */
    static String rule() {
        return "an id is letters, digits, '.', '_' and '-', starting with a letter or digit, at most "
                + MAX_LENGTH + " characters";
    }
}
