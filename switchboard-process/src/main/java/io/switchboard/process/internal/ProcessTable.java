package io.switchboard.process.internal;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What Linux's {@code /proc} says about processes: who is in a process group, who carries a marker variable,
 * who is still running. Where there is no {@code /proc} (macOS), every answer is empty.
 *
 * <p>A zombie (exited, not yet reaped by its parent) counts as gone: it runs nothing and no signal changes
 * it, and where PID 1 is slow to reap orphans it would otherwise look alive for seconds.
 *
 * <p>Every run ends with two scans (its process group, its marker), each reading one file of every process
 * on the host, so the files are read with plain {@link FileInputStream}s on path strings and the directory
 * is listed with {@link File#list()}: for files this small, NIO's channels and {@link Path} objects took about
 * a quarter of each read (see docs/performance.md, "Execution").
 */
public final class ProcessTable {
    private static final Path PROC = Path.of("/proc");
    private static final String PROC_PREFIX = "/proc/";
    /** A stat line is about 300 bytes; a longer one (a long command name) grows the buffer. */
    private static final int STAT_BYTES = 512;
    private static final int ENVIRON_BYTES = 4096;

    private ProcessTable() {
    }

    /**
     * One line of {@code /proc/PID/stat}, the fields we use.
     *
     * @param state R, S, D, Z, T, …
     * @param group the process group id (field 5)
     */
    public record Stat(long pid, char state, long parent, long group) {
        public boolean running() {
            return state != 'Z' && state != 'X' && state != 'x';
        }
    }

    public static boolean available() {
        return Files.isReadable(PROC.resolve("self/stat"));
    }

    /**
     * Parses a stat line. The command name (field 2) is in parentheses and may itself hold spaces and
     * parentheses, so the fields are counted from the last closing parenthesis.
     */
    public static Optional<Stat> parseStat(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 1 || close < open || close + 2 >= line.length()) {
            return Optional.empty();
        }
        String[] fields = line.substring(close + 2).trim().split(" ");
        if (fields.length < 3 || fields[0].isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Stat(Long.parseLong(line.substring(0, open).trim()), fields[0].charAt(0),
                    Long.parseLong(fields[1]), Long.parseLong(fields[2])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public static Optional<Stat> stat(long pid) {
        try {
            return parseStat(new String(readBytes(pid, "/stat", STAT_BYTES), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            // Gone, or never there.
            return Optional.empty();
        }
    }

    /** Whether the process exists and is not a zombie. */
    public static boolean running(long pid) {
        return stat(pid).map(Stat::running).orElse(false);
    }

    /** The running processes whose process group is {@code group}. */
    public static List<Long> groupMembers(long group) {
        List<Long> members = new ArrayList<>();
        for (long pid : pids()) {
            stat(pid).filter(stat -> stat.group() == group && stat.running()).ifPresent(stat -> members.add(pid));
        }
        return members;
    }

    /**
     * The running processes whose environment, as it was when they started, holds {@code variable} with a
     * value that {@code value} accepts. This process and its ancestors are never included (a runner that is
     * itself running as an agent carries a marker too). Processes of other users cannot be read and are
     * skipped.
     */
    public static List<Long> carrying(String variable, Predicate<String> value) {
        byte[] name = (variable + "=").getBytes(StandardCharsets.UTF_8);
        // Only asked for once something matches: after most runs nothing does.
        Set<Long> spared = null;
        List<Long> found = new ArrayList<>();
        for (long pid : pids()) {
            byte[] environ;
            try {
                environ = readBytes(pid, "/environ", ENVIRON_BYTES);
            } catch (IOException e) {
                continue;
            }
            String marker = valueOf(environ, name);
            if (marker == null || !value.test(marker)) {
                continue;
            }
            if (spared == null) {
                spared = selfAndAncestors();
            }
            if (!spared.contains(pid) && running(pid)) {
                found.add(pid);
            }
        }
        return found;
    }

    /** The value of the variable in a NUL-separated environment block, or {@code null}. */
    static String valueOf(byte[] environ, byte[] nameAndEquals) {
        int start = 0;
        while (start < environ.length) {
            int end = start;
            while (end < environ.length && environ[end] != 0) {
                end++;
            }
            if (end - start >= nameAndEquals.length && Arrays.equals(environ, start,
                    start + nameAndEquals.length, nameAndEquals, 0, nameAndEquals.length)) {
                return new String(environ, start + nameAndEquals.length, end - start - nameAndEquals.length,
                        StandardCharsets.UTF_8);
            }
            start = end + 1;
        }
        return null;
    }

    private static Set<Long> selfAndAncestors() {
        Set<Long> pids = new HashSet<>();
        for (Optional<ProcessHandle> at = Optional.of(ProcessHandle.current()); at.isPresent();
                at = at.get().parent()) {
            if (!pids.add(at.get().pid())) {
                break;
            }
        }
        return pids;
    }

    private static List<Long> pids() {
        String[] names = new File(PROC_PREFIX).list();
        if (names == null) {
            // No /proc: nothing can be found this way.
            return List.of();
        }
        List<Long> pids = new ArrayList<>(names.length);
        for (String name : names) {
            if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                pids.add(Long.parseLong(name));
            }
        }
        return pids;
    }

    /** The whole of {@code /proc/PID/FILE}; a /proc file says nothing of its size, so it is read to its end. */
    private static byte[] readBytes(long pid, String file, int expectedBytes) throws IOException {
        try (FileInputStream in = new FileInputStream(PROC_PREFIX + pid + file)) {
            byte[] buffer = new byte[expectedBytes];
            int length = 0;
            for (int read; (read = in.read(buffer, length, buffer.length - length)) > 0; ) {
                length += read;
                if (length == buffer.length) {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                }
            }
            return Arrays.copyOf(buffer, length);
        }
    }
}
