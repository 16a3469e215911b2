package io.switchboard.process.internal;

/** Where a cut through UTF-8 bytes may fall without splitting a character. */
final class Utf8 {
    private Utf8() {
    }

    /** The largest index at or before {@code end} where no character of {@code bytes[0, end)} is cut. */
    static int boundaryAtOrBefore(byte[] bytes, int end) {
        for (int start = end - 1; start >= 0 && start >= end - 4; start--) {
            int lead = bytes[start] & 0xff;
            if (!isContinuation(lead)) {
                return end - start >= sequenceLength(lead) ? end : start;
            }
        }
        return end;
    }

    /** The first index at or after {@code from} that does not fall inside a character. */
    static int boundaryAtOrAfter(byte[] bytes, int from) {
        int at = from;
        while (at < bytes.length && at < from + 3 && isContinuation(bytes[at] & 0xff)) {
            at++;
        }
        return at;
    }

    private static boolean isContinuation(int value) {
        return (value & 0xc0) == 0x80;
    }

    /** How many bytes a character starting with this byte has; 1 for bytes that cannot start one. */
    private static int sequenceLength(int lead) {
        if (lead >= 0xf0 && lead <= 0xf7) {
            return 4;
        }
        if (lead >= 0xe0) {
            return lead <= 0xef ? 3 : 1;
        }
        return lead >= 0xc0 ? 2 : 1;
    }
}
