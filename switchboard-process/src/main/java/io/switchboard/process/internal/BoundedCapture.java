package io.switchboard.process.internal;

import io.switchboard.core.execution.CapturedOutput;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keeps the first {@code headLimit} and the last {@code tailLimit} bytes of a stream, whatever its length.
 * The buffers grow as bytes arrive, so a run that prints little holds little.
 *
 * <p>Thread-safe: the stream's reader appends while the supervisor may take the text of a stream it gave up
 * waiting for.
 */
public final class BoundedCapture {
    private static final int FIRST_ALLOCATION = 8 * 1024;

    private final int headLimit;
    private final int tailLimit;
    private byte[] head = new byte[0];
    private int headLength;
    /** A ring once full: the oldest byte is at {@code tailStart}. */
    private byte[] tail = new byte[0];
    private int tailLength;
    private int tailStart;
    private long size;

    public BoundedCapture(int headLimit, int tailLimit) {
        this.headLimit = headLimit;
        this.tailLimit = tailLimit;
    }

    public synchronized void append(byte[] bytes, int offset, int length) {
        size += length;
        int toHead = Math.min(length, headLimit - headLength);
        if (toHead > 0) {
            head = grown(head, headLength + toHead, headLimit);
            System.arraycopy(bytes, offset, head, headLength, toHead);
            headLength += toHead;
            offset += toHead;
            length -= toHead;
        }
        if (length > 0 && tailLimit > 0) {
            appendToTail(bytes, offset, length);
        }
    }

    private void appendToTail(byte[] bytes, int offset, int length) {
        if (length >= tailLimit) {
            tail = grown(tail, tailLimit, tailLimit);
            System.arraycopy(bytes, offset + length - tailLimit, tail, 0, tailLimit);
            tailStart = 0;
            tailLength = tailLimit;
            return;
        }
        if (tailLength + length <= tailLimit && tailStart == 0) {
            tail = grown(tail, tailLength + length, tailLimit);
            System.arraycopy(bytes, offset, tail, tailLength, length);
            tailLength += length;
            return;
        }
        // Full size from here on, and a ring: the bytes go after the newest, wrapping over the oldest.
        tail = grown(tail, tailLimit, tailLimit);
        int write = (tailStart + tailLength) % tailLimit;
        int first = Math.min(length, tailLimit - write);
        System.arraycopy(bytes, offset, tail, write, first);
        System.arraycopy(bytes, offset + first, tail, 0, length - first);
        int kept = tailLength + length;
        if (kept > tailLimit) {
            tailStart = (tailStart + kept - tailLimit) % tailLimit;
            kept = tailLimit;
        }
        tailLength = kept;
    }

    private static byte[] grown(byte[] buffer, int needed, int limit) {
        if (buffer.length >= needed) {
            return buffer;
        }
        int capacity = Math.max(needed, Math.max(FIRST_ALLOCATION, buffer.length * 2));
        return Arrays.copyOf(buffer, Math.min(capacity, limit));
    }

    /** How many bytes were appended in all. */
    public synchronized long size() {
        return size;
    }

    /**
     * What was kept, as text: the head, a line {@code … [N bytes omitted] …} when bytes were left out, and the
     * tail. Bytes that are not UTF-8 become U+FFFD.
     *
     * @param streamBytes the stream's length as the process wrote it (before redaction)
     */
    public synchronized CapturedOutput captured(long streamBytes) {
        long omitted = size - headLength - tailLength;
        if (omitted <= 0) {
            byte[] all = Arrays.copyOf(head, headLength + tailLength);
            System.arraycopy(tailBytes(), 0, all, headLength, tailLength);
            return new CapturedOutput(new String(all, StandardCharsets.UTF_8), streamBytes, false);
        }
        byte[] kept = tailBytes();
        int headEnd = Utf8.boundaryAtOrBefore(head, headLength);
        int tailFrom = Utf8.boundaryAtOrAfter(kept, 0);
        omitted += (headLength - headEnd) + tailFrom;
        String text = new String(head, 0, headEnd, StandardCharsets.UTF_8)
                + "\n… [" + omitted + " bytes omitted] …\n"
                + new String(kept, tailFrom, kept.length - tailFrom, StandardCharsets.UTF_8);
        return new CapturedOutput(text, streamBytes, true);
    }

    /** The last {@code limit} bytes kept (fewer when fewer were written), as text. */
    public synchronized String end(int limit) {
        byte[] all;
        if (size - headLength - tailLength <= 0) {
            all = Arrays.copyOf(head, headLength + tailLength);
            System.arraycopy(tailBytes(), 0, all, headLength, tailLength);
        } else {
            all = tailBytes();
        }
        int from = Math.max(0, all.length - limit);
        from = Utf8.boundaryAtOrAfter(all, from);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    private byte[] tailBytes() {
        byte[] bytes = new byte[tailLength];
        int first = Math.min(tailLength, tail.length - tailStart);
        System.arraycopy(tail, tailStart, bytes, 0, first);
        System.arraycopy(tail, 0, bytes, first, tailLength - first);
        return bytes;
    }
}
