package io.switchboard.input.task;

/** Titles made from free text, for tasks that do not state one. */
final class Titles {
    /** Longer first lines are cut at a word boundary and end in an ellipsis. */
    static final int MAX_LENGTH = 80;

    private Titles() {
    }

    /** The first non-blank line, whitespace collapsed, at most {@link #MAX_LENGTH} characters. */
    static String firstLine(String text) {
        String line = "";
        for (String candidate : text.split("\\R")) {
            if (!candidate.isBlank()) {
                line = candidate.strip().replaceAll("\\s+", " ");
                break;
            }
        }
        if (line.length() <= MAX_LENGTH) {
            return line;
        }
        int cut = line.lastIndexOf(' ', MAX_LENGTH - 1);
        if (cut < MAX_LENGTH / 2) {
            cut = MAX_LENGTH - 1;
            if (Character.isHighSurrogate(line.charAt(cut - 1))) {
                cut--;
            }
        }
        return line.substring(0, cut).strip() + "…";
    }
}
