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
import java.util.function.Supplier;

/**
 * What Linux's {@code /proc} says about processes: who is in a process group, who carries a marker variable,
 * who is still running. Where there is no {@code /proc} (macOS), every answer is empty.
 *
 * <p>A zombie (exited, not yet reaped by its parent) counts as gone: it runs nothing and no signal changes
 * it, and where PID 1 is slow to reap orphans it would otherwise look alive for seconds.
 *
 * <p>Every run ends with a scan for what is left of it ({@link #ofRun}): one walk reading each candidate's stat
 * and environment, the candidates being the pids given out since the run's agent started unless the pid counter
 * may have wrapped around ({@link PidWindow}). The files are read with plain {@link FileInputStream}s on path
 * strings and the directory is listed with {@link File#list()}: for files this small, NIO's channels and
 * {@link Path} objects took about a quarter of each read (see docs/performance.md, "Execution").
 */
public final class ProcessTable {
    private static final Path PROC = Path.of("/proc");
    private static final String PROC_PREFIX = "/proc/";
    /** A stat line is about 300 bytes; a longer one (a long command name) grows the buffer. */
    private static final int STAT_BYTES = 512;
    private static final int ENVIRON_BYTES = 4096;
    private static final int STATUS_BYTES = 2048;

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

    /**
     * The running processes among {@code pids} that are in process group {@code group} or carry
     * {@code variable} with a value {@code value} accepts: what is left of one run, in one walk (each
     * candidate's stat, and its environment unless the stat already placed it in the group). {@code pids} is
     * asked first and, when it says to list {@code /proc}, again once the directory has been listed, so that its
     * answer covers every process listed. This process and its ancestors are never included for their marker,
     * as in {@link #carrying}.
     */
    public static List<Long> ofRun(long group, String variable, Predicate<String> value,
            Supplier<PidWindow.Pids> pids) {
        Found found = new Found(group, (variable + "=").getBytes(StandardCharsets.UTF_8), value);
        PidWindow.Pids range = pids.get();
        if (!range.listed()) {
            for (long pid = range.lowest(); pid <= range.highest(); pid++) {
                // Many are gone; asking whether a file exists is cheaper than failing to open it.
                if (new File(PROC_PREFIX + pid + "/stat").exists()) {
                    found.examine(pid, true);
                }
            }
            return found.pids;
        }
        String[] names = new File(PROC_PREFIX).list();
        if (names == null) {
            // No /proc: nothing can be found this way.
            return List.of();
        }
        long lowest = pids.get().lowest();
        for (String name : names) {
            long pid = pid(name);
            if (pid >= lowest) {
                found.examine(pid, false);
            }
        }
        return found.pids;
    }

    /** The processes of one run found so far. */
    private static final class Found {
        private final long group;
        private final byte[] name;
        private final Predicate<String> value;
        private final List<Long> pids = new ArrayList<>();
        /** Only asked for once something carries the marker: after most runs nothing does. */
        private Set<Long> spared;

        Found(long group, byte[] name, Predicate<String> value) {
            this.group = group;
            this.name = name;
            this.value = value;
        }

        /**
         * Adds the process if it is one of the run's and running. A pid looked up rather than listed may be a
         * thread's (the threads' directories are there, unlisted, with their process's group and environment):
         * it is then left out, its process being looked at for itself.
         */
        void examine(long pid, boolean mayBeThread) {
            Optional<Stat> stat = stat(pid);
            if (stat.isEmpty() || !stat.get().running()) {
                return;
            }
            if (stat.get().group() != group) {
                byte[] environ;
                try {
                    environ = readBytes(pid, "/environ", ENVIRON_BYTES);
                } catch (IOException e) {
                    // Gone, or another user's.
                    return;
                }
                String marker = valueOf(environ, name);
                if (marker == null || !value.test(marker)) {
                    return;
                }
                if (spared == null) {
                    spared = selfAndAncestors();
                }
                if (spared.contains(pid)) {
                    return;
                }
            }
            if (!mayBeThread || isProcess(pid)) {
                pids.add(pid);
            }
        }
    }

    /** Whether the pid is a process's (a thread group's leader's) rather than another of its threads'. */
    static boolean isProcess(long pid) {
        String status;
        try {
            status = new String(readBytes(pid, "/status", STATUS_BYTES), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return false;
        }
        int at = status.indexOf("\nTgid:");
        if (at < 0) {
            return false;
        }
        int end = status.indexOf('\n', at + 1);
        return status.substring(at + "\nTgid:".length(), end < 0 ? status.length() : end).trim()
                .equals(Long.toString(pid));
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
            long pid = pid(name);
            if (pid >= 0) {
                pids.add(pid);
            }
        }
        return pids;
    }

    /** The pid a {@code /proc} entry names, or -1 for the entries that are not processes. */
    static long pid(String name) {
        if (name.isEmpty() || name.length() > 18) {
            return -1;
        }
        long pid = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            pid = pid * 10 + (c - '0');
        }
        return pid;
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
