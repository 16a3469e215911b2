package io.switchboard.input.task;

import java.util.ArrayList;
import java.util.List;

/** A text's lines without their line ends; index {@code i} is line {@code i + 1}. */
final class Lines {
    private Lines() {
    }

    static List<String> of(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        return lines;
    }

    /** The text cut to {@code max} characters for quoting in an error message. */
    static String quote(String text, int max) {
        String stripped = text.strip();
        return "'" + (stripped.length() <= max ? stripped : stripped.substring(0, max) + "…") + "'";
    }
}
