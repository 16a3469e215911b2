package io.switchboard.core.execution;

/** Keeps long text within a size for storing: its head and tail, with a note of what was left out. */
public final class KeptText {
    /** What an attempt's stored output is kept to. */
    public static final int STORED_OUTPUT_CHARS = 64 * 1024;

    private KeptText() {
    }

    public static String headTail(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        int half = maxChars / 2;
        return text.substring(0, half) + "\n… [" + (text.length() - 2 * half) + " characters omitted] …\n"
                + text.substring(text.length() - half);
    }
}
