package io.switchboard.process.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Which pids the processes of one run can have, so that the clean-up after it reads {@code /proc} files of
 * those processes only instead of every process on the host: the pids given out since its agent started, each
 * looked up in turn (without even listing {@code /proc}), or, when more were given out than listing costs,
 * the processes listed from the agent's pid up.
 *
 * <p>Every process a run starts is created after its agent, the leader (pid L). Linux hands out pids with a
 * cursor that only moves forward: a new task gets the lowest free pid at or above the cursor, and the cursor
 * moves past it; when nothing is free below {@code pid_max} the cursor starts again from 300
 * ({@code RESERVED_PIDS}; {@code idr_alloc_cyclic} in {@code alloc_pid}, kernel/pid.c). So unless the cursor
 * wrapped around since L was given out, every process created since has a pid above L, and only those need be
 * read. When a wrap cannot be ruled out, {@link #pids()} says to read them all.
 *
 * <p>How a wrap is ruled out, from four numbers the kernel publishes: {@code processes} in {@code /proc/stat}
 * (every task ever created: processes, threads, kernel threads, in every pid namespace), the number of tasks
 * that exist and the last pid given out (the 4th and 5th fields of {@code /proc/loadavg}; the last pid is the
 * cursor's position, in this process's pid namespace), and {@code /proc/sys/kernel/pid_max}. All four are read
 * just before the leader is started (T0 is the number of tasks then); the last pid is read again at every look
 * (the supervisor looks while the run goes on, about every 100 ms) and all four once more at each clean-up
 * scan, after {@code /proc} has been listed, so that everything the scan can see was created before that look.
 * The look before the first is the leader itself: just after it was created, the last pid given out was L.
 *
 * <ol>
 *   <li>If a look sees the last pid lower than the look before it, the cursor wrapped.
 *   <li>If it is not lower, a wrap between the two looks means the cursor went all the way round: from above
 *       the earlier position up to {@code pid_max}, then from 300 up past that position again. It then passed
 *       every pid from 300 to {@code pid_max}, and each one it passed it either gave out or skipped because it
 *       was in use. Given out between the two looks: at most F (the growth of {@code processes} since the start)
 *       to tasks whose creation has completed, plus one per task still being created at the later look. Skipped
 *       and not given out between the looks: in use since the earlier look, so at most the pids in use then,
 *       which are at most four per task: its own, its process group's and its session's (both outlive their
 *       leader while members remain, so they may belong to no task), and one it is giving out. The tasks that
 *       exist at any moment since the start are at most T0 + F. So a lap takes
 *       {@code F + 5 (T0 + F) + margin >= pid_max - 300}, the margin (1,024 pids) standing for the tasks the
 *       kernel had already counted out when T0 was read but whose pids it had not yet freed (a task between
 *       {@code __unhash_process} and {@code free_pids} in {@code release_task}: a few at any moment). When that
 *       is false, no interval between two looks held a lap, every look saw the cursor move forward, and no wrap
 *       happened.
 * </ol>
 *
 * <p>The condition does not depend on L: a run that starts just below {@code pid_max} keeps its window unless
 * the cursor does wrap while it runs, which the looks then see.
 *
 * <p>What this cannot see, each documented in docs/supervision.md: the cursor also moves for a clone that
 * fails after its pid was given out (a cgroup's {@code pids.max} reached, no free descriptor for
 * {@code CLONE_PIDFD}, a fatal signal, a dying pid namespace), which {@code processes} does not count; a wrap
 * the looks miss would take a whole lap of such failures between two looks (over 30,000 within about 100 ms
 * where {@code pid_max} is 32,768). And a privileged process may move the cursor itself ({@code ns_last_pid}),
 * pick its pid ({@code clone3}'s {@code set_tid}) or change {@code pid_max} between two looks.
 *
 * <p>Where {@code /proc} is missing or unreadable, every answer is "read everything". Used by one run's
 * supervisor thread only.
 */
public final class PidWindow {
    /** The cursor starts again here after passing {@code pid_max}. */
    static final long RESERVED_PIDS = 300;
    /**
     * Pids given out or in use between two looks, per task: its own, its group's, its session's, and one it is
     * giving out at each look.
     */
    static final long PIDS_PER_TASK = 5;
    /** For tasks counted out of T0 but whose pids were not yet freed when it was read. */
    static final long MARGIN = 1024;
    /**
     * Looking up pids one by one is preferred to listing {@code /proc} up to this many, or an eighth of the tasks
     * if that is more: a pid that is not there costs a few µs to look up, listing costs a µs or two per process.
     */
    static final long PROBE_AT_MOST = 16;

    /**
     * The pids to read: each pid from {@code lowest} to {@code highest} looked up in turn (some are threads, or
     * gone), or, when {@code listed}, every process {@code /proc} lists from {@code lowest} up.
     */
    public record Pids(long lowest, long highest, boolean listed) {
        /** Every process: a wrap cannot be ruled out. */
        public static final Pids EVERY = new Pids(1, Long.MAX_VALUE, true);
    }

    private static final String PROCESSES = "processes ";
    private static final boolean HAS_PROC = ProcessTable.available();

    /**
     * What the kernel says of its pid allocator at one moment.
     *
     * @param forks tasks created since boot ({@code processes} in {@code /proc/stat})
     * @param tasks tasks that exist (the total of {@code /proc/loadavg}'s 4th field)
     * @param lastPid the last pid given out ({@code /proc/loadavg}'s 5th field)
     * @param pidMax pids are below this ({@code /proc/sys/kernel/pid_max})
     */
    public record Counters(long forks, long tasks, long lastPid, long pidMax) {
    }

    /** Where the numbers come from: {@link #PROC}, or numbers a test gives. */
    public interface Kernel {
        Counters counters() throws IOException;

        /** The last pid given out; only this is read at the looks between scans. */
        long lastPid() throws IOException;
    }

    /**
     * The kernel, through {@code /proc}. The three files stay open and are read again from their start each time
     * (the kernel writes them afresh for every read from offset 0): opening and closing them was half of what
     * reading the counters cost, and the counters are read twice a run.
     */
    public static final Kernel PROC = new Kernel() {
        private final KeptFile stat = new KeptFile("/proc/stat");
        private final KeptFile loadavg = new KeptFile("/proc/loadavg");
        private final KeptFile pidMax = new KeptFile("/proc/sys/kernel/pid_max");

        @Override
        public Counters counters() throws IOException {
            long forks = forks(stat.read());
            long[] load = loadavg(loadavg.read());
            long max = Long.parseLong(pidMax.read().trim());
            return new Counters(forks, load[0], load[1], max);
        }

        @Override
        public long lastPid() throws IOException {
            return loadavg(loadavg.read())[1];
        }
    };

    private final Kernel kernel;
    private final Counters before;
    private long leader = -1;
    private long lastSeen;
    /** A look saw the cursor go back, or could not look. */
    private boolean lostTrack;
    private long lowestPidMax;

    private PidWindow(Kernel kernel, Counters before) {
        this.kernel = kernel;
        this.before = before;
        this.lowestPidMax = before == null ? 0 : before.pidMax();
    }

    /** Reads the counters; call it just before the leader is started. */
    public static PidWindow beforeStart(Kernel kernel) {
        if (kernel == PROC && !HAS_PROC) {
            return new PidWindow(kernel, null);
        }
        try {
            return new PidWindow(kernel, kernel.counters());
        } catch (IOException | RuntimeException e) {
            // Unreadable or not understood: every scan reads everything, as without a window.
            return new PidWindow(kernel, null);
        }
    }

    /** The leader has started with this pid. */
    public void started(long pid) {
        leader = pid;
        lastSeen = pid;
    }

    /** Notes where the cursor is now; cheap (one small file), for the supervisor's regular looks. */
    public void look() {
        if (before == null || leader < 0 || lostTrack) {
            return;
        }
        try {
            seen(kernel.lastPid());
        } catch (IOException | RuntimeException e) {
            lostTrack = true;
        }
    }

    /**
     * The pids a process of this run can have now: from the leader's to the last given out, or
     * {@link Pids#EVERY} when the pid counter may have wrapped around since the leader started. It covers the
     * processes created until the call: to read a listing of {@code /proc}, call it after listing.
     */
    public Pids pids() {
        if (before == null || leader < 0 || lostTrack) {
            return Pids.EVERY;
        }
        Counters now;
        try {
            now = kernel.counters();
        } catch (IOException | RuntimeException e) {
            return Pids.EVERY;
        }
        seen(now.lastPid());
        lowestPidMax = Math.min(lowestPidMax, now.pidMax());
        if (mayHaveWrapped(lostTrack, now.forks() - before.forks(), before.tasks(), lowestPidMax)) {
            return Pids.EVERY;
        }
        long given = now.lastPid() - leader + 1;
        return given <= Math.max(PROBE_AT_MOST, now.tasks() / 8) ? new Pids(leader, now.lastPid(), false)
                : new Pids(leader, Long.MAX_VALUE, true);
    }

    private void seen(long lastPid) {
        if (lastPid < lastSeen) {
            lostTrack = true;
        }
        lastSeen = lastPid;
    }

    /**
     * Whether the pid cursor may have wrapped around since the leader was created (the argument is in the class
     * comment).
     *
     * @param wentBack whether some look saw the last pid given out lower than the look before it (the leader's
     *     own pid counting as the first look)
     * @param forksSince tasks created since just before the leader was started
     * @param tasksBefore tasks that existed then
     * @param pidMax the lowest {@code pid_max} seen
     */
    static boolean mayHaveWrapped(boolean wentBack, long forksSince, long tasksBefore, long pidMax) {
        // The cursor went back: it wrapped.
        if (wentBack) {
            return true;
        }
        // Counters that make no sense (a reset, a misread): nothing can be ruled out.
        if (forksSince < 0 || tasksBefore < 0 || pidMax <= RESERVED_PIDS) {
            return true;
        }
        // It only went forward from look to look, so a wrap would be a whole lap between two looks, passing every
        // pid from 300 to pid_max, each given out or skipped as in use: possible only if the tasks account for as
        // many.
        long passed = forksSince + PIDS_PER_TASK * (tasksBefore + forksSince) + MARGIN;
        return passed >= pidMax - RESERVED_PIDS;
    }

    /** {@code processes} in the text of {@code /proc/stat}. */
    static long forks(String stat) {
        String text = "\n" + stat;
        int at = text.indexOf("\n" + PROCESSES);
        if (at < 0) {
            throw new IllegalArgumentException("no 'processes' line in /proc/stat");
        }
        int start = at + 1 + PROCESSES.length();
        int end = text.indexOf('\n', start);
        return Long.parseLong(text.substring(start, end < 0 ? text.length() : end).trim());
    }

    /** The tasks that exist and the last pid given out, from the text of {@code /proc/loadavg}. */
    static long[] loadavg(String loadavg) {
        String[] fields = loadavg.trim().split(" ");
        if (fields.length < 5) {
            throw new IllegalArgumentException("/proc/loadavg has " + fields.length + " fields, not 5: " + loadavg);
        }
        int slash = fields[3].indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("/proc/loadavg's 4th field is not running/total: " + fields[3]);
        }
        return new long[] {Long.parseLong(fields[3].substring(slash + 1)), Long.parseLong(fields[4])};
    }

    /**
     * A file of {@code /proc} kept open and read whole from its start, by any thread (one at a time). A read that
     * fails closes it; the next opens it again.
     */
    private static final class KeptFile {
        private final String path;
        private RandomAccessFile file;
        private byte[] buffer = new byte[4096];

        KeptFile(String path) {
            this.path = path;
        }

        synchronized String read() throws IOException {
            try {
                if (file == null) {
                    file = new RandomAccessFile(path, "r");
                }
                file.seek(0);
                int length = 0;
                for (int read; (read = file.read(buffer, length, buffer.length - length)) > 0; ) {
                    length += read;
                    if (length == buffer.length) {
                        buffer = Arrays.copyOf(buffer, buffer.length * 2);
                    }
                }
                return new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        private void close() {
            RandomAccessFile open = file;
            file = null;
            if (open != null) {
                try {
                    open.close();
                } catch (IOException ignored) {
                    // Closing a file only read: nothing is lost.
                }
            }
        }
    }
}
