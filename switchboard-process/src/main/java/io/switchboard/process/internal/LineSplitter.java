package io.switchboard.process.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Cuts a byte stream into lines for an output reader. A line longer than the cap is handed over cut at the
 * cap (on a character boundary), marked truncated, and the rest of it up to its line end is dropped: a
 * reader never holds more than the cap, however long a line an agent prints. Line ends are {@code \n} or
 * {@code \r\n} and are not passed on. Not thread-safe.
 */
public final class LineSplitter {
    /** Receives each line. */
    @FunctionalInterface
    public interface LineSink {
        void line(String line, boolean truncated);
    }

    private static final int FIRST_ALLOCATION = 8 * 1024;

    private final int cap;
    private final LineSink sink;
    private byte[] line = new byte[0];
    private int length;
    private boolean truncated;

    public LineSplitter(int cap, LineSink sink) {
        this.cap = cap;
        this.sink = sink;
    }

    public void write(byte[] bytes, int offset, int count) {
        int end = offset + count;
        int from = offset;
        for (int at = offset; at < end; at++) {
            if (bytes[at] == '\n') {
                keep(bytes, from, at - from);
                emit();
                from = at + 1;
            }
        }
        keep(bytes, from, end - from);
    }

    /** The stream ended: a last line without a line end is still a line. */
    public void finish() {
        if (length > 0 || truncated) {
            emit();
        }
    }

    private void keep(byte[] bytes, int offset, int count) {
        int room = cap - length;
        if (count > room) {
            truncated = true;
        }
        int taken = Math.min(count, room);
        if (taken > 0) {
            if (line.length < length + taken) {
                line = Arrays.copyOf(line, Math.min(cap, Math.max(length + taken,
                        Math.max(FIRST_ALLOCATION, line.length * 2))));
            }
            System.arraycopy(bytes, offset, line, length, taken);
            length += taken;
        }
    }

    private void emit() {
        int end = length;
        if (truncated) {
            end = Utf8.boundaryAtOrBefore(line, end);
        } else if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        String text = new String(line, 0, end, StandardCharsets.UTF_8);
        boolean cut = truncated;
        length = 0;
        truncated = false;
        if (line.length > FIRST_ALLOCATION * 8) {
            // One long line should not pin a megabyte for the rest of the run.
            line = new byte[0];
        }
        sink.line(text, cut);
    }
}
