package io.switchboard.process.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Set;

/**
 * The secrets of one run, and the means to replace each of them by {@value #MASK}: in a finished text, or in
 * a byte stream as it flows ({@link #newFilter()}), where a secret may arrive split across reads.
 *
 * <p>Where secrets overlap, the leftmost match wins, then the longest.
 */
public final class Redaction {
    public static final String MASK = "[REDACTED]";
    private static final byte[] MASK_BYTES = MASK.getBytes(StandardCharsets.UTF_8);

    /** Longest first, so that the longest secret starting at a position is the one replaced. */
    private final byte[][] secrets;
    private final String[] texts;
    private final boolean[] firstBytes = new boolean[256];
    private final int longest;

    private Redaction(Set<String> values) {
        this.texts = values.stream().filter(value -> value != null && !value.isEmpty())
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
                .toArray(String[]::new);
        this.secrets = Arrays.stream(texts).map(text -> text.getBytes(StandardCharsets.UTF_8))
                .sorted(Comparator.comparingInt((byte[] bytes) -> bytes.length).reversed())
                .toArray(byte[][]::new);
        int max = 0;
        for (byte[] secret : secrets) {
            firstBytes[secret[0] & 0xff] = true;
            max = Math.max(max, secret.length);
        }
        this.longest = max;
    }

    /** Empty values are ignored: they would match everywhere. */
    public static Redaction of(Set<String> secrets) {
        return new Redaction(secrets);
    }

    public boolean isEmpty() {
        return secrets.length == 0;
    }

    /** The text with every secret replaced. */
    public String apply(String text) {
        if (text == null || isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : texts) {
            result = result.replace(secret, MASK);
        }
        return result;
    }

    /** Where the filtered bytes go. */
    @FunctionalInterface
    public interface Sink {
        void accept(byte[] bytes, int offset, int length);
    }

    /** A filter for one stream. Not thread-safe: one stream is read by one thread. */
    public Filter newFilter() {
        return new Filter();
    }

    /**
     * Redacts a byte stream. It holds back at most the longest secret's length minus one bytes, the most a
     * secret cut by the end of a read can have shown so far; {@link #finish} lets them go.
     */
    public final class Filter {
        private byte[] work = new byte[0];
        private int held;

        private Filter() {
        }

        public void write(byte[] bytes, int offset, int length, Sink out) {
            if (isEmpty()) {
                out.accept(bytes, offset, length);
                return;
            }
            if (work.length < held + length) {
                work = Arrays.copyOf(work, Math.max(held + length, work.length * 2));
            }
            System.arraycopy(bytes, offset, work, held, length);
            scan(held + length, false, out);
        }

        public void finish(Sink out) {
            if (!isEmpty()) {
                scan(held, true, out);
            }
        }

        private void scan(int end, boolean atEnd, Sink out) {
            // A secret starting before `decided` is wholly inside the buffer; from there on, one may not be.
            int decided = atEnd ? end : end - (longest - 1);
            int emitted = 0;
            int at = 0;
            while (at < decided) {
                int match = firstBytes[work[at] & 0xff] ? matchAt(at, end) : 0;
                if (match > 0) {
                    if (at > emitted) {
                        out.accept(work, emitted, at - emitted);
                    }
                    out.accept(MASK_BYTES, 0, MASK_BYTES.length);
                    at += match;
                    emitted = at;
                } else {
                    at++;
                }
            }
            int keepFrom = Math.max(at, emitted);
            if (keepFrom > emitted) {
                out.accept(work, emitted, keepFrom - emitted);
            }
            held = end - keepFrom;
            System.arraycopy(work, keepFrom, work, 0, held);
        }

        private int matchAt(int at, int end) {
            for (byte[] secret : secrets) {
                if (at + secret.length <= end && Arrays.equals(work, at, at + secret.length, secret, 0,
                        secret.length)) {
                    return secret.length;
                }
            }
            return 0;
        }
    }
}
