package io.switchboard.process.internal;

import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.execution.RunningAgent;
import io.switchboard.process.RunnerSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Starts processes under supervision and stops what is left of them. One per runner.
 *
 * <p>Each process starts in a session (and so a process group) of its own when the settings ask for it: through
 * posix_spawn(3) where this JVM can call it, otherwise through util-linux's {@code setsid} program when the host
 * has one ({@link Spawners}). Without either (or when the settings turn it off) the process shares the runner's
 * group, and stopping it reaches the process and its descendants by parentage instead; a descendant whose parent
 * has already died is then only found by its marker.
 */
public final class Supervisor {
    private final RunnerSettings settings;
    private final LongSupplier ticker;
    private final PidWindow.Kernel kernel;
    private final RunThreads threads = new RunThreads();
    private final Spawner spawner;

    public Supervisor(RunnerSettings settings, LongSupplier ticker) {
        this(settings, ticker, PidWindow.PROC);
    }

    /** @param kernel where the pid counters that bound each run's clean-up scan are read (a test gives its own) */
    public Supervisor(RunnerSettings settings, LongSupplier ticker, PidWindow.Kernel kernel) {
        this.settings = settings;
        this.ticker = ticker;
        this.kernel = kernel;
        this.spawner = Spawners.choose(settings, threads);
    }

    /** Whether processes get a process group of their own. */
    public boolean ownProcessGroups() {
        return spawner.ownSession();
    }

    /** How processes start: {@code posix_spawn}, {@code ProcessBuilder through setsid} or {@code ProcessBuilder}. */
    public String spawnMethod() {
        return spawner.method();
    }

    /** Starts the process; a failure to start it is the returned run's result. */
    public RunningAgent launch(Launch launch) {
        Process process;
        PidWindow window;
        try {
            window = PidWindow.beforeStart(kernel);
            process = spawner.start(launch.argv(), launch.workingDirectory(), launch.environment());
        } catch (IOException | IllegalArgumentException | UnsupportedOperationException e) {
            closeQuietly(launch.afterwards());
            return notStarted(FailureInfo.of(FailureType.LAUNCH_FAILED,
                    "could not start " + launch.argv().get(0) + ": " + e.getMessage()), launch);
        }
        window.started(process.pid());
        return new SupervisedRun(launch, settings, ticker, threads, process, window, ticker.getAsLong()).begin();
    }

    /** A run that ends before it starts, its message redacted. */
    public static RunningAgent notStarted(FailureInfo failure, Launch launch) {
        return notStarted(failure, launch.redaction(), launch.agentVersion());
    }

    public static RunningAgent notStarted(FailureInfo failure, Redaction redaction, String agentVersion) {
        FailureInfo redacted = new FailureInfo(failure.type(), redaction.apply(failure.message()),
                failure.nonRetryable(), redaction.apply(failure.detail()), failure.resetAt());
        return new FinishedRun(RunResult.notStarted(redacted, agentVersion));
    }

    /** Stops every process whose marker {@code marker} accepts; returns how many. */
    public int sweep(Predicate<String> marker) {
        return new Termination(settings.gracePeriod(), ticker).stop(() -> {
            List<ProcessHandle> handles = new ArrayList<>();
            for (long pid : ProcessTable.carrying(RunRequest.MARKER_VARIABLE, marker)) {
                ProcessHandle.of(pid).ifPresent(handles::add);
            }
            return handles;
        });
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            // Only the prompt file is closed here, and it has its own last resort.
        }
    }
}
