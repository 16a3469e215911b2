package io.switchboard.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which pages a piece of work appends to a SQLite database's write-ahead log, by b-tree (table or index), counted
 * rather than timed: the same on every run. While the work runs, a read transaction on a connection of its own
 * keeps the log from being restarted, so every frame the work commits is appended after the point where it began
 * (checkpoints may still copy frames into the database; they do not remove them). The reader begins right after a
 * write of its own, which it does not checkpoint: a reader that begins when the whole log is in the database reads
 * the database alone and would not hold the log (the salt is checked at the end all the same). The frames are then
 * read from the log file (a 24-byte header before each page, the page's number first), from where the log's current
 * generation ended when the work began (a restarted log is not truncated, so the file's size does not say), and each
 * page number is named by SQLite's {@code dbstat} table. A page written in two commits counts twice, as SQLite
 * writes it twice.
 *
 * @see <a href="https://www.sqlite.org/fileformat.html#the_write_ahead_log">the WAL file format</a>
 */
final class WalPages {
    private static final int WAL_HEADER = 32;
    private static final int FRAME_HEADER = 24;

    /**
     * What a piece of work wrote.
     *
     * @param units how many units of work (tasks) it did
     * @param byBtree pages a unit by b-tree name, most first ({@code (freed)} for pages no b-tree holds at the end)
     * @param pages pages a unit in all
     * @param commits commits a unit
     */
    record Count(int units, Map<String, Double> byBtree, double pages, double commits) {
    }

    /** Work to count. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private WalPages() {
    }

    /**
     * Runs {@code work} ({@code units} units of it) on the database at {@code file}, opened by {@code pin} as well,
     * and counts the frames it appended to the log.
     */
    static Count count(Path file, Connection pin, int units, Work work) throws Exception {
        Path log = Path.of(file + "-wal");
        boolean autoCommit = pin.getAutoCommit();
        try (Statement statement = pin.createStatement()) {
            statement.execute("PRAGMA wal_autocheckpoint = 0");
            int version;
            try (ResultSet rows = statement.executeQuery("PRAGMA user_version")) {
                rows.next();
                version = rows.getInt(1);
            }
            statement.execute("PRAGMA user_version = " + version);
        }
        pin.setAutoCommit(false);
        Map<Integer, Integer> frames = new HashMap<>();
        int commits;
        try {
            try (Statement statement = pin.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM sqlite_schema")) {
                rows.next();
            }
            byte[] salt = salt(log);
            long from = end(log);
            work.run();
            if (!Arrays.equals(salt(log), salt)) {
                throw new IllegalStateException(
                        "the log was restarted while the work ran: its pages cannot be counted");
            }
            commits = read(log, from, frames);
        } finally {
            pin.rollback();
            pin.setAutoCommit(autoCommit);
        }
        Map<Integer, String> names = new HashMap<>();
        try (Statement statement = pin.createStatement();
                ResultSet rows = statement.executeQuery("SELECT name, pageno FROM dbstat")) {
            while (rows.next()) {
                names.put(rows.getInt("pageno"), rows.getString("name"));
            }
        }
        Map<String, Integer> byName = new TreeMap<>();
        int total = 0;
        for (Map.Entry<Integer, Integer> page : frames.entrySet()) {
            byName.merge(names.getOrDefault(page.getKey(), "(freed)"), page.getValue(), Integer::sum);
            total += page.getValue();
        }
        Map<String, Double> perUnit = new LinkedHashMap<>();
        byName.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(entry -> perUnit.put(entry.getKey(), entry.getValue() / (double) units));
        return new Count(units, perUnit, total / (double) units, commits / (double) units);
    }

    /**
     * Where the log's frames end: at the first frame of an older generation (another salt), or the file's end. A log
     * restarted from its beginning is not truncated, so the file's size does not say.
     */
    private static long end(Path log) throws IOException {
        long[] end = new long[1];
        frames(log, WAL_HEADER, (offset, page, commit) -> end[0] = offset);
        return end[0];
    }

    /** A frame of the log's current generation. */
    @FunctionalInterface
    private interface FrameVisitor {
        /** @param end where the frame ends in the file */
        void visit(long end, int page, boolean commit);
    }

    /** Visits the frames of the current generation from {@code from} (rounded down to a frame's start). */
    private static void frames(Path log, long from, FrameVisitor visitor) throws IOException {
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(WAL_HEADER);
            readFully(channel, header, 0);
            int frameSize = FRAME_HEADER + header.getInt(8);
            byte[] salt = Arrays.copyOfRange(header.array(), 16, 24);
            ByteBuffer frame = ByteBuffer.allocate(FRAME_HEADER);
            long size = channel.size();
            for (long offset = WAL_HEADER + Math.max(0, (from - WAL_HEADER) / frameSize) * frameSize;
                    offset + frameSize <= size; offset += frameSize) {
                frame.clear();
                readFully(channel, frame, offset);
                if (!Arrays.equals(frame.array(), 8, 16, salt, 0, 8)) {
                    return;
                }
                visitor.visit(offset + frameSize, frame.getInt(0), frame.getInt(4) != 0);
            }
        }
    }

    /**
     * Adds the frames after {@code from} to {@code frames} by page number; returns how many of them end a commit.
     */
    private static int read(Path log, long from, Map<Integer, Integer> frames) throws IOException {
        int[] commits = new int[1];
        frames(log, from, (end, page, commit) -> {
            frames.merge(page, 1, Integer::sum);
            if (commit) {
                commits[0]++;
            }
        });
        return commits[0];
    }

    private static byte[] salt(Path log) throws IOException {
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(WAL_HEADER);
            readFully(channel, header, 0);
            return Arrays.copyOfRange(header.array(), 16, 24);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("the log ended inside a frame");
            }
        }
    }

    /** The b-trees with the most pages a unit first, as "name 1.23", at most {@code limit} of them. */
    static String top(Count count, int limit) {
        return String.join(", ", count.byBtree().entrySet().stream().limit(limit)
                .map(entry -> String.format(java.util.Locale.ROOT, "%s %.2f", entry.getKey(), entry.getValue()))
                .toList());
    }
}
