package io.switchboard.process.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Stops processes the polite way first: SIGTERM, a grace period to exit, then SIGKILL to whatever is left.
 *
 * <p>Signals go through {@link ProcessHandle#destroy()} and {@link ProcessHandle#destroyForcibly()}, one
 * process at a time, rather than through {@code kill -TERM -PGID}: no program is started to stop one, and a
 * handle remembers its process's start time, so a pid reused in the meantime is never signalled. The cost is
 * that a process forked between the look-up and the signal is not signalled in that round; the set of
 * targets is asked for again every 100 ms of the grace period and at every KILL round, so it gets its TERM
 * (or its KILL) in a later one.
 */
public final class Termination {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** KILL rounds before giving up on processes that will not die (stuck in the kernel, or not ours). */
    private static final int KILL_ROUNDS = 50;
    private static final int RESCAN_EVERY = 10;
    private static final boolean PROC = ProcessTable.available();

    private final Duration grace;
    private final LongSupplier ticker;

    public Termination(Duration grace, LongSupplier ticker) {
        this.grace = grace;
        this.ticker = ticker;
    }

    /**
     * Stops every process {@code targets} names, asking it again while it waits. Blocks for up to the grace
     * period plus the time KILL takes.
     *
     * @return how many distinct processes were signalled
     */
    public int stop(Supplier<? extends Collection<ProcessHandle>> targets) {
        Map<Long, ProcessHandle> signalled = new LinkedHashMap<>();
        long deadline = ticker.getAsLong() + grace.toNanos();
        for (int poll = 0; ; poll++) {
            // Looking for new targets walks /proc, so it is done every tenth poll, and whenever everything
            // signalled so far is gone; whether those are gone is cheap to ask at every poll.
            Collection<ProcessHandle> left = alive(signalled.values());
            if (left.isEmpty() || poll % RESCAN_EVERY == 0) {
                left = alive(targets, signalled);
            }
            if (left.isEmpty()) {
                return signalled.size();
            }
            for (ProcessHandle process : left) {
                if (signalled.putIfAbsent(process.pid(), process) == null) {
                    process.destroy();
                }
            }
            if (ticker.getAsLong() - deadline >= 0) {
                break;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        for (int round = 0; round < KILL_ROUNDS; round++) {
            Collection<ProcessHandle> left = alive(targets, signalled);
            if (left.isEmpty()) {
                break;
            }
            for (ProcessHandle process : left) {
                signalled.putIfAbsent(process.pid(), process);
                process.destroyForcibly();
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return signalled.size();
    }

    private static Collection<ProcessHandle> alive(Supplier<? extends Collection<ProcessHandle>> targets,
            Map<Long, ProcessHandle> signalled) {
        Map<Long, ProcessHandle> alive = new LinkedHashMap<>();
        for (ProcessHandle process : alive(signalled.values())) {
            alive.put(process.pid(), process);
        }
        for (ProcessHandle process : targets.get()) {
            if (!alive.containsKey(process.pid()) && alive(process)) {
                alive.put(process.pid(), process);
            }
        }
        return alive.values();
    }

    private static Collection<ProcessHandle> alive(Collection<ProcessHandle> processes) {
        return processes.stream().filter(Termination::alive).toList();
    }

    /** Alive and not a zombie (where {@code /proc} can tell). */
    public static boolean alive(ProcessHandle process) {
        return process.isAlive() && (!PROC || ProcessTable.running(process.pid()));
    }
}
