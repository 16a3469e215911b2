package io.switchboard.core.workflow;

import java.util.Locale;
import java.util.Objects;

/**
 * A reviewer's verdict, read from its output. The format, all of it:
 * <ul>
 *   <li>a verdict line is a line that starts with the word {@code VERDICT} and a colon, then the verdict:
 *       {@code VERDICT: APPROVED} or {@code VERDICT: CHANGES_REQUESTED};</li>
 *   <li>letter case does not matter, spaces may surround the colon, and {@code CHANGES REQUESTED} or
 *       {@code changes-requested} mean the same as {@code CHANGES_REQUESTED};</li>
 *   <li>markdown around the line or the verdict is ignored: leading {@code #}, {@code >}, {@code -} and
 *       emphasis ({@code *}, {@code _}, a backtick) on either side, and a full stop or exclamation mark at the
 *       end ({@code **VERDICT: APPROVED**}, {@code - Verdict: approved.});</li>
 *   <li>the last verdict line wins, so a reviewer may think aloud before it concludes;</li>
 *   <li>only {@code APPROVED} approves: no verdict line, or a last one that says anything else
 *       ({@code VERDICT: APPROVED with nits}), is not an approval.</li>
 * </ul>
 *
 * @param kind what the last verdict line said, or {@link Kind#MISSING}
 * @param line the last verdict line as written, or {@code null} when there is none
 * @param lineNumber its 1-based line in the output, or 0 when there is none
 */
public record Verdict(Kind kind, String line, int lineNumber) {

    /** The line a reviewer writes to approve. */
    public static final String APPROVED_LINE = "VERDICT: APPROVED";
    /** The line a reviewer writes to send the work back. */
    public static final String CHANGES_REQUESTED_LINE = "VERDICT: CHANGES_REQUESTED";

    private static final String KEYWORD = "VERDICT";
    private static final String DECORATION = "#>-*_`";
    private static final String TRAILING_DECORATION = "*_`.!";

    public enum Kind {
        APPROVED,
        CHANGES_REQUESTED,
        /** A verdict line with neither word: not an approval. */
        UNRECOGNIZED,
        /** No verdict line at all: not an approval. */
        MISSING
    }

    public Verdict {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.MISSING) != (line == null)) {
            throw new IllegalArgumentException("a verdict has a line unless it is missing, was " + kind + " with "
                    + line);
        }
    }

    /** The verdict of an output that holds no verdict line. */
    public static final Verdict MISSING = new Verdict(Kind.MISSING, null, 0);

    /** Reads the verdict from a reviewer's output; never fails. */
    public static Verdict read(String output) {
        if (output == null) {
            return MISSING;
        }
        Verdict last = MISSING;
        String[] lines = output.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            Kind kind = kindOf(lines[i]);
            if (kind != null) {
                last = new Verdict(kind, lines[i].strip(), i + 1);
            }
        }
        return last;
    }

    public boolean approved() {
        return kind == Kind.APPROVED;
    }

    /** The verdict a line states, or {@code null} when it is no verdict line. */
    private static Kind kindOf(String line) {
        String text = strip(line, DECORATION, TRAILING_DECORATION);
        if (!text.regionMatches(true, 0, KEYWORD, 0, KEYWORD.length())) {
            return null;
        }
        String rest = text.substring(KEYWORD.length()).stripLeading();
        if (!rest.startsWith(":")) {
            return null;
        }
        String verdict = strip(rest.substring(1), DECORATION, TRAILING_DECORATION)
                .toUpperCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
        return switch (verdict) {
            case "APPROVED" -> Kind.APPROVED;
            case "CHANGES_REQUESTED" -> Kind.CHANGES_REQUESTED;
            default -> Kind.UNRECOGNIZED;
        };
    }

    private static String strip(String text, String leading, String trailing) {
        int start = 0;
        int end = text.length();
        while (start < end && (Character.isWhitespace(text.charAt(start))
                || leading.indexOf(text.charAt(start)) >= 0)) {
            start++;
        }
        while (end > start && (Character.isWhitespace(text.charAt(end - 1))
                || trailing.indexOf(text.charAt(end - 1)) >= 0)) {
            end--;
        }
        return text.substring(start, end);
    }
}
