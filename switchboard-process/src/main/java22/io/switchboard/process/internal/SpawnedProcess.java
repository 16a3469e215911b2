package io.switchboard.process.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A process {@link PosixSpawner} started, as a {@link Process}: its three pipes, its pid, and its end, which a
 * thread of the runner's waits for.
 *
 * <p>The waiting thread first waits without reaping (waitid with {@code WNOWAIT}); only then, under the lock
 * {@link #destroy} takes, does it reap. So a signal is only ever sent to this process, never to another one that
 * was given its pid after it was reaped. Exit values are the JDK's: the exit status, or 128 + N for a process
 * killed by signal N.
 */
final class SpawnedProcess extends Process {
    // <sys/wait.h> on Linux.
    private static final int P_PID = 1;
    private static final int WEXITED = 4;
    private static final int WNOWAIT = 0x01000000;
    private static final long SIGINFO_BYTES = 128;

    private final int pid;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final PosixSpawner.Libc libc;
    private final ProcessHandle handle;
    private final CompletableFuture<Process> exit = new CompletableFuture<>();
    private final Object reaping = new Object();
    private boolean reaped;
    private volatile int exitValue;

    private SpawnedProcess(int pid, OutputStream stdin, InputStream stdout, InputStream stderr,
            PosixSpawner.Libc libc) {
        this.pid = pid;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.libc = libc;
        // Taken before the process can be reaped, so that it names this process (pid and start time) for good.
        this.handle = ProcessHandle.of(pid).orElse(null);
    }

    static SpawnedProcess started(int pid, OutputStream stdin, InputStream stdout, InputStream stderr,
            PosixSpawner.Libc libc, RunThreads threads) {
        SpawnedProcess process = new SpawnedProcess(pid, stdin, stdout, stderr, libc);
        threads.run("switchboard-reaper-" + pid, process::awaitAndReap);
        return process;
    }

    private void awaitAndReap() {
        int status;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(PosixSpawner.CALL_STATE);
            MemorySegment info = arena.allocate(SIGINFO_BYTES, 8);
            int result;
            do {
                result = (int) libc.waitid.invokeExact(state, P_PID, pid, info, WEXITED | WNOWAIT);
            } while (result == -1 && (int) PosixSpawner.ERRNO.get(state, 0L) == PosixSpawner.EINTR);
            MemorySegment raw = arena.allocate(JAVA_INT);
            synchronized (reaping) {
                do {
                    result = (int) libc.waitpid.invokeExact(state, pid, raw, 0);
                } while (result == -1 && (int) PosixSpawner.ERRNO.get(state, 0L) == PosixSpawner.EINTR);
                reaped = true;
            }
            status = result == pid ? raw.get(JAVA_INT, 0) : -1;
        } catch (Throwable e) {
            exit.completeExceptionally(e);
            return;
        }
        exitValue = exitValue(status);
        exit.complete(this);
    }

    /** The JDK's exit value for a wait status: the exit status, 128 + N when killed by signal N, else -1. */
    static int exitValue(int status) {
        if (status == -1) {
            return -1;
        }
        int signal = status & 0x7f;
        if (signal == 0) {
            return (status >> 8) & 0xff;
        }
        return signal == 0x7f ? -1 : 0x80 + signal;
    }

    @Override
    public OutputStream getOutputStream() {
        return stdin;
    }

    @Override
    public InputStream getInputStream() {
        return stdout;
    }

    @Override
    public InputStream getErrorStream() {
        return stderr;
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            exit.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("waiting for process " + pid + " failed", e.getCause());
        }
        return exitValue;
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            exit.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("waiting for process " + pid + " failed", e.getCause());
        }
    }

    @Override
    public int exitValue() {
        if (!exit.isDone()) {
            throw new IllegalThreadStateException("process " + pid + " has not exited");
        }
        return exitValue;
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return exit.copy();
    }

    @Override
    public void destroy() {
        signal(PosixSpawner.SIGTERM);
    }

    @Override
    public Process destroyForcibly() {
        signal(PosixSpawner.SIGKILL);
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    private void signal(int signal) {
        synchronized (reaping) {
            if (!reaped) {
                libc.signal(pid, signal);
            }
        }
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public ProcessHandle toHandle() {
        if (handle == null) {
            throw new IllegalStateException("process " + pid + " ended before its handle could be taken");
        }
        return handle;
    }

    @Override
    public String toString() {
        return "Process[pid=" + pid + ", exitValue=" + (exit.isDone() ? exitValue : "\"not exited\"") + "]";
    }
}
