package io.switchboard.process.adapter;

/**
 * The first few kilobytes of output that should have been structured and was not, kept verbatim (the runner has
 * already redacted it) for {@code FailureInfo.detail}. Bounded whatever the agent prints.
 */
final class OutputSample {
    static final int MAX_CHARS = 4096;

    private final StringBuilder text = new StringBuilder();
    private long dropped;

    void add(String line) {
        int room = MAX_CHARS - text.length();
        int needed = line.length() + (text.isEmpty() ? 0 : 1);
        if (needed <= room) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(line);
        } else {
            if (room > 1) {
                if (!text.isEmpty()) {
                    text.append('\n');
                    room--;
                }
                text.append(line, 0, room);
                dropped += line.length() - room;
            } else {
                dropped += line.length();
            }
        }
    }

    boolean isEmpty() {
        return text.isEmpty() && dropped == 0;
    }

    /** What was kept, with a note of how much was not. */
    String text() {
        return dropped == 0 ? text.toString() : text + "\n[" + dropped + " more characters not kept]";
    }
}
