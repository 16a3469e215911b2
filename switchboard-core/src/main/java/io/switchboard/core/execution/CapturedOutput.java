package io.switchboard.core.execution;

/**
 * What was kept of one output stream: its head and tail (secrets redacted), joined by a line saying how much
 * was left out in between.
 *
 * @param text the kept text
 * @param totalBytes how many bytes the stream carried in all
 * @param truncated whether anything was left out
 */
public record CapturedOutput(String text, long totalBytes, boolean truncated) {
    public static final CapturedOutput EMPTY = new CapturedOutput("", 0, false);

    public CapturedOutput {
        text = text == null ? "" : text;
    }
}
