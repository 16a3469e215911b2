package io.switchboard.process.internal;

import io.switchboard.core.execution.CapturedOutput;
import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.execution.RunningAgent;
import io.switchboard.core.execution.Usage;
import io.switchboard.process.RunnerSettings;
import io.switchboard.process.adapter.Reading;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * One process under supervision, from the moment it started until everything it started is gone.
 *
 * <p>Threads: a supervisor thread owns the process's life (limits, stop, clean-up, the result); one thread
 * drains each output stream; one writes the prompt to standard input. All four come from the runner's
 * {@link RunThreads}, daemon platform threads kept for reuse: a blocked pipe read holds a carrier thread
 * anyway, a daemon never keeps the JVM up for an agent that escaped, and starting four threads for each run
 * cost about half a millisecond. The output reader and the observer are only ever called from the
 * standard-output thread, and never again once the supervisor has given up on it (under {@link #readerLock}).
 */
final class SupervisedRun implements RunningAgent {
    /** How long the supervisor sleeps at most between looks at the clock (an injected one moves by hand). */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How much of each stream's end goes into a failed verification's detail. */
    private static final int DETAIL_BYTES = 4 * 1024;
    /** How much of the end of standard error an adapter is given to judge a run by. */
    private static final int STDERR_TAIL_BYTES = 64 * 1024;

    /** Why the run is being stopped; {@link #EXITED} once the process was seen to end by itself first. */
    private record Stop(FailureType type, String message) {
    }

    private static final Stop EXITED = new Stop(null, "exited");

    private final Launch launch;
    private final RunnerSettings settings;
    private final LongSupplier ticker;
    private final RunThreads threads;
    private final Termination termination;
    private final Process process;
    private final PidWindow window;
    private final long started;

    private final AtomicReference<Stop> stop = new AtomicReference<>();
    private final Semaphore wake = new Semaphore(0);
    private final CompletableFuture<RunResult> result = new CompletableFuture<>();
    private final AtomicLong outputBytes = new AtomicLong();
    private volatile long lastOutput;

    private final BoundedCapture stdout;
    private final BoundedCapture stderr;
    private final StreamPump stdoutPump;
    private final StreamPump stderrPump;
    private final CountDownLatch stdoutEnded = new CountDownLatch(1);
    private final CountDownLatch stderrEnded = new CountDownLatch(1);

    private final Object readerLock = new Object();
    private final LineSplitter lines;
    private boolean readerAbandoned;
    private Usage lastUsage;
    private RuntimeException readerFailure;

    SupervisedRun(Launch launch, RunnerSettings settings, LongSupplier ticker, RunThreads threads, Process process,
            PidWindow window, long started) {
        this.launch = launch;
        this.settings = settings;
        this.ticker = ticker;
        this.threads = threads;
        this.termination = new Termination(settings.gracePeriod(), ticker);
        this.process = process;
        this.window = window;
        this.started = started;
        this.lastOutput = started;
        this.stdout = new BoundedCapture(settings.headBytes(), settings.tailBytes());
        this.stderr = new BoundedCapture(settings.headBytes(), settings.tailBytes());
        this.lines = launch.reader() == null ? null : new LineSplitter(settings.lineCapBytes(), this::line);
        Redaction.Sink toStdout = lines == null ? stdout::append : (bytes, offset, length) -> {
            stdout.append(bytes, offset, length);
            feedLines(bytes, offset, length);
        };
        this.stdoutPump = new StreamPump(process.getInputStream(), launch.redaction().newFilter(), toStdout,
                this::stdoutEnded, this::read);
        this.stderrPump = new StreamPump(process.getErrorStream(), launch.redaction().newFilter(), stderr::append,
                () -> { }, this::read);
    }

    /** Starts the threads; returns this. */
    SupervisedRun begin() {
        long pid = process.pid();
        threads.run("switchboard-stdout-" + pid, () -> drain(stdoutPump, stdoutEnded));
        threads.run("switchboard-stderr-" + pid, () -> drain(stderrPump, stderrEnded));
        writeStdin();
        process.onExit().thenRun(wake::release);
        threads.run("switchboard-supervise-" + pid, this::supervise);
        return this;
    }

    private static void drain(StreamPump pump, CountDownLatch ended) {
        try {
            pump.run();
        } finally {
            ended.countDown();
        }
    }

    @Override
    public RunResult await() throws InterruptedException {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("supervising process " + process.pid() + " failed", e.getCause());
        }
    }

    @Override
    public void stop(FailureType reason) {
        requestStop(reason, "stopped on request (" + reason.configName() + ")");
    }

    @Override
    public long pid() {
        return process.pid();
    }

    private void requestStop(FailureType type, String message) {
        if (stop.compareAndSet(null, new Stop(type, message))) {
            wake.release();
        }
    }

    private void writeStdin() {
        byte[] prompt = launch.stdin();
        OutputStream in = process.getOutputStream();
        if (prompt == null) {
            closeQuietly(in);
            return;
        }
        // Its own thread: an agent that never reads would block a write bigger than the pipe forever.
        threads.run("switchboard-stdin-" + process.pid(), () -> {
            try (in) {
                in.write(prompt);
            } catch (IOException e) {
                // The agent closed its input or ended: what it did not read, it did not want.
            }
        });
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // Nothing was written; the agent sees its input end either way once it is gone.
        }
    }

    // ---- on the pump threads

    private void read(int bytes) {
        lastOutput = ticker.getAsLong();
        long total = outputBytes.addAndGet(bytes);
        if (total > settings.outputLimitBytes()) {
            requestStop(FailureType.OUTPUT_LIMIT, "printed more than the output limit of "
                    + Units.bytes(settings.outputLimitBytes()));
        }
    }

    private void feedLines(byte[] bytes, int offset, int length) {
        synchronized (readerLock) {
            if (!readerAbandoned && readerFailure == null) {
                lines.write(bytes, offset, length);
            }
        }
    }

    private void stdoutEnded() {
        if (lines != null) {
            synchronized (readerLock) {
                if (!readerAbandoned && readerFailure == null) {
                    lines.finish();
                }
            }
        }
    }

    /** One line for the reader; called with {@link #readerLock} held. */
    private void line(String text, boolean truncated) {
        try {
            Usage usage = launch.reader().line(text, truncated);
            if (usage == null) {
                return;
            }
            lastUsage = usage;
            launch.observer().usage(usage);
            double spent = usage.costAt(launch.pricePer1kTokens());
            if (launch.maxCost() != null && spent > launch.maxCost()) {
                requestStop(FailureType.BUDGET, "spent " + Units.dollars(spent) + ", over the budget of "
                        + Units.dollars(launch.maxCost()));
            }
        } catch (RuntimeException e) {
            // An adapter that cannot read a line must not stop the stream from being drained.
            readerFailure = e;
        }
    }

    // ---- on the supervisor thread

    private void supervise() {
        RunResult outcome;
        try {
            outcome = superviseToTheEnd();
        } catch (RuntimeException | Error e) {
            closeAfterwards();
            result.completeExceptionally(e);
            throw e;
        }
        // Before the result: whoever awaits it may count on the prompt file being gone.
        closeAfterwards();
        result.complete(outcome);
    }

    private void closeAfterwards() {
        if (launch.afterwards() != null) {
            try {
                launch.afterwards().close();
            } catch (Exception e) {
                // Only the prompt file is closed here, and it has its own last resort.
            }
        }
    }

    private RunResult superviseToTheEnd() {
        long deadline = started + launch.timeout().toNanos();
        long idle = launch.idleTimeout().toNanos();
        while (process.isAlive() && stop.get() == null) {
            // Where the pid counter is, so that a wrap while the agent runs is seen (see PidWindow).
            window.look();
            long now = ticker.getAsLong();
            if (now - deadline >= 0) {
                requestStop(FailureType.TIMEOUT, "ran longer than the time limit of "
                        + Units.duration(launch.timeout()));
            } else if (now - lastOutput - idle >= 0) {
                requestStop(FailureType.IDLE, "printed nothing for " + Units.duration(launch.idleTimeout())
                        + " (the idle limit)");
            } else {
                long wait = Math.min(POLL_NANOS, Math.min(deadline - now, lastOutput + idle - now));
                sleep(Math.max(wait, TimeUnit.MILLISECONDS.toNanos(1)));
            }
        }
        boolean stoppedByUs = !stop.compareAndSet(null, EXITED);
        if (stoppedByUs) {
            termination.stop(this::processTree);
        }
        int status = waitForExit();
        long ended = ticker.getAsLong();

        // The agent is gone; what it left behind goes too: its process group, and anything carrying its marker
        // that escaped the group, found in one walk. Only then can a pipe held open by a descendant close.
        termination.stop(this::processTree);
        drainOrAbandon();

        return judge(status, Duration.ofNanos(Math.max(0, ended - started)), stoppedByUs ? stop.get() : null);
    }

    /** Until {@code nanos} pass or someone wakes the supervisor (the process ended, a stop was asked). */
    private void sleep(long nanos) {
        try {
            if (wake.tryAcquire(nanos, TimeUnit.NANOSECONDS)) {
                wake.drainPermits();
            }
        } catch (InterruptedException e) {
            // This thread is the run's own and nothing interrupts it on purpose: the loop just looks again.
        }
    }

    private int waitForExit() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The process and its descendants while it lives; every member of its process group and every process
     * carrying its marker, found in one walk of {@code /proc} over the pids its processes can have.
     */
    private List<ProcessHandle> processTree() {
        boolean alive = process.isAlive();
        long group = groupToSweep(process.pid(), alive, !alive && ProcessHandle.of(process.pid()).isPresent());
        List<ProcessHandle> tree = new ArrayList<>(handles(ProcessTable.ofRun(group,
                RunRequest.MARKER_VARIABLE, launch.marker()::equals, window::pids)));
        if (process.isAlive()) {
            tree.add(process.toHandle());
            process.descendants().forEach(tree::add);
        }
        return tree;
    }

    /**
     * The process group whose members belong to the run: the agent's, unless the agent is gone (reaped) and its pid
     * belongs to another process now. The kernel gives a pid out again only once no process is left in a group of
     * that id, so then none of the agent's group is left, and a group of that id is a stranger's: only the marker
     * finds the run's processes ({@code -1}: no group).
     *
     * @param pidInUse whether a process with the agent's pid exists now
     */
    static long groupToSweep(long agentPid, boolean agentAlive, boolean pidInUse) {
        return !agentAlive && pidInUse ? -1 : agentPid;
    }

    private static List<ProcessHandle> handles(List<Long> pids) {
        List<ProcessHandle> handles = new ArrayList<>(pids.size());
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(handles::add);
        }
        return handles;
    }

    /**
     * Waits a little for the output threads to reach the end of their streams. A stream still open now is
     * held by a process that left both the group and the marker behind; its thread is abandoned, and the
     * output read so far is what is kept.
     */
    private void drainOrAbandon() {
        // The system clock, not the run's: this bounds a wait on our own threads, and a clock moved by hand
        // must not leave it waiting forever.
        long until = System.nanoTime() + settings.drainTimeout().toNanos();
        await(stdoutEnded, until);
        await(stderrEnded, until);
        boolean stdoutOpen = stdoutEnded.getCount() > 0;
        synchronized (readerLock) {
            readerAbandoned = stdoutOpen;
        }
        if (stdoutOpen) {
            stdoutPump.close();
        }
        if (stderrEnded.getCount() > 0) {
            stderrPump.close();
        }
    }

    private static void await(CountDownLatch ended, long untilNanos) {
        boolean interrupted = false;
        for (long left = untilNanos - System.nanoTime(); ended.getCount() > 0 && left > 0;
                left = untilNanos - System.nanoTime()) {
            try {
                ended.await(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * How the run ended, in order: the runner's own reason for stopping it wins; then death by a signal we
     * did not send; then, for an agent, what its adapter reads in its output and exit status.
     */
    private RunResult judge(int status, Duration duration, Stop stopped) {
        Redaction redaction = launch.redaction();
        CapturedOutput out = stdout.captured(stdoutPump.bytes());
        CapturedOutput err = stderr.captured(stderrPump.bytes());
        Optional<Integer> signal = Signals.fromExitStatus(status);
        Reading reading = launch.purpose() == Launch.Purpose.AGENT ? read(status, stderr.end(STDERR_TAIL_BYTES))
                : new Reading(null, Usage.NONE, null, "");

        FailureInfo failure;
        if (stopped != null) {
            failure = FailureInfo.of(stopped.type(), stopped.message());
        } else if (signal.isPresent()) {
            String name = Signals.name(signal.get());
            failure = launch.purpose() == Launch.Purpose.AGENT
                    ? FailureInfo.of(FailureType.SIGNAL, "killed by " + name + ", not sent by Switchboard")
                            .withDetail(name + " (exit status " + status + ")")
                    : FailureInfo.of(FailureType.VERIFY_FAILED, "the verification was killed by " + name)
                            .withDetail(ends());
        } else if (launch.purpose() == Launch.Purpose.AGENT) {
            failure = reading.failure();
            if (failure == null && readerFailure != null) {
                failure = FailureInfo.of(FailureType.MALFORMED_OUTPUT,
                        "the adapter could not read the agent's output: " + readerFailure);
            }
        } else {
            failure = status == 0 ? null : FailureInfo.of(FailureType.VERIFY_FAILED,
                    "the verification exited with status " + status).withDetail(ends());
        }
        Integer exitCode = signal.isPresent() ? null : status;
        Usage usage = reading.usage() != Usage.NONE || lastUsage == null ? reading.usage() : lastUsage;
        return new RunResult(redacted(failure, redaction), exitCode, duration, usage,
                redaction.apply(reading.sessionId()), redaction.apply(reading.summary()), launch.agentVersion(),
                out, err);
    }

    private Reading read(int status, String stderrTail) {
        synchronized (readerLock) {
            // From here on no line reaches the reader, even from a stream thread that was abandoned.
            readerAbandoned = true;
            try {
                return launch.reader().finish(status, stderrTail);
            } catch (RuntimeException e) {
                return new Reading(FailureInfo.of(FailureType.MALFORMED_OUTPUT,
                        "the adapter could not judge the agent's output: " + e), lastUsage, null, "");
            }
        }
    }

    /** The end of both streams, for the detail of a failed verification. */
    private String ends() {
        return "--- end of standard output ---\n" + stdout.end(DETAIL_BYTES)
                + "\n--- end of standard error ---\n" + stderr.end(DETAIL_BYTES);
    }

    private static FailureInfo redacted(FailureInfo failure, Redaction redaction) {
        if (failure == null) {
            return null;
        }
        return new FailureInfo(failure.type(), redaction.apply(failure.message()), failure.nonRetryable(),
                redaction.apply(failure.detail()), failure.resetAt());
    }
}
