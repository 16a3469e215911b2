package io.switchboard.core.remote;

import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.execution.RunningAgent;
import io.switchboard.core.execution.VerifyRequest;
import io.switchboard.core.port.AgentRunner;
import io.switchboard.core.port.RemoteAttempts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The orchestrator's side of an attempt a remote worker runs. The attempt and its message were written together
 * ({@link io.switchboard.core.port.Outbox#startAttempt}); {@link #start} then only waits, in the store, for what
 * becomes of it: the result its worker reported, or its lease passing. So a run here is never more than a wait, and
 * the dispatcher records its end exactly as a local run's.
 *
 * <p>Two things wake a waiting run: {@link #reported} (a worker's notice that it committed a result, carried by the
 * broker) and {@link #check} (which marks passed leases expired, then wakes every run). Neither is needed for
 * correctness: a run also looks at the store every {@code recheck}, so a lost notice costs time, never a result.
 *
 * <p>Stopping a run ({@link RunningAgent#stop}) ends the wait with that reason at once; the dispatcher then records
 * the attempt's end, after which the worker's lease renewal and its report both fail their guards, so the worker stops
 * the agent and its result is kept as superseded.
 */
public final class RemoteRunner implements AgentRunner {
    private final RemoteAttempts store;
    private final String orchestratorId;
    private final Duration recheck;
    private final Map<AttemptKey, RemoteRun> waiting = new ConcurrentHashMap<>();

    /**
     * @param orchestratorId whose attempts {@link #check} expires
     * @param recheck how often a waiting run looks at the store when nothing woke it
     */
    public RemoteRunner(RemoteAttempts store, String orchestratorId, Duration recheck) {
        this.store = Objects.requireNonNull(store, "store");
        this.orchestratorId = Objects.requireNonNull(orchestratorId, "orchestratorId");
        this.recheck = Objects.requireNonNull(recheck, "recheck");
        if (!recheck.isPositive()) {
            throw new IllegalArgumentException("recheck must be more than zero, was " + recheck);
        }
    }

    @Override
    public RunningAgent start(RunRequest request, RunObserver observer) {
        AttemptKey key = new AttemptKey(request.taskId(), request.attempt());
        RemoteRun run = new RemoteRun(key);
        waiting.put(key, run);
        return run;
    }

    /** Remote attempts are verified by their worker, if at all; the orchestrator has nothing to run. */
    @Override
    public RunningAgent verify(VerifyRequest request) {
        throw new UnsupportedOperationException("a remote attempt is not verified by the orchestrator");
    }

    /** A remote attempt's processes are its worker's to stop; nothing runs here. */
    @Override
    public int sweep(String markerPrefix) {
        return 0;
    }

    /**
     * Gives the attempt up ({@link RemoteAttempts#revoke}): what it ends with is its worker's result when the worker
     * reported first, else a failure of type {@code reason}. When the store cannot be reached the attempt ends
     * with {@code reason} all the same; its lease then passes and a late result is superseded.
     */
    private RunResult givenUp(AttemptKey key, FailureType reason) {
        try {
            Optional<RemoteAttempt> after = store.revoke(key);
            if (after.isPresent() && after.get().state() == RemoteState.REPORTED) {
                return after.get().result();
            }
        } catch (RuntimeException unavailable) {
            // Ends as stopped; the lease passing settles the worker's side.
        }
        return RunResult.notStarted(FailureInfo.of(reason, "stopped while its worker ran it"), "");
    }

    /**
     * Gives up a remote attempt this orchestrator does not wait for (it takes the attempt over from an orchestrator
     * that died): see {@link RemoteAttempts#revoke}.
     *
     * @return the result its worker reported first, which is then the attempt's; empty when the attempt is given up,
     *     or is not remote
     */
    public Optional<RunResult> revoke(AttemptKey key) {
        return store.revoke(key).filter(remote -> remote.state() == RemoteState.REPORTED).map(RemoteAttempt::result);
    }

    /** A worker says it committed a result for this attempt: the run waiting for it looks now. */
    public void reported(AttemptKey key) {
        RemoteRun run = waiting.get(key);
        if (run != null) {
            run.wake();
        }
    }

    /**
     * Marks this orchestrator's attempts whose lease passed (by the database's clock) expired, then wakes every
     * waiting run so each looks at its attempt.
     *
     * @return the attempts it marked expired
     */
    public List<RemoteAttempt> check() {
        List<RemoteAttempt> expired = store.expire(orchestratorId);
        waiting.values().forEach(RemoteRun::wake);
        return expired;
    }

    /** How many runs are waiting for their worker. */
    public int waitingCount() {
        return waiting.size();
    }

    /** What a remote attempt's state means for the run waiting on it: a result, or nothing yet. */
    static Optional<RunResult> resultOf(Optional<RemoteAttempt> remote, AttemptKey key) {
        if (remote.isEmpty()) {
            return Optional.of(RunResult.notStarted(FailureInfo.of(FailureType.ABANDONED, key
                    + " is not a remote attempt in the store"), ""));
        }
        RemoteAttempt attempt = remote.get();
        return switch (attempt.state()) {
            case SENT, CLAIMED -> Optional.empty();
            case REPORTED -> Optional.of(attempt.result());
            case EXPIRED -> Optional.of(RunResult.notStarted(FailureInfo.of(FailureType.ABANDONED, expiredWhy(
                    attempt)), ""));
        };
    }

    private static String expiredWhy(RemoteAttempt attempt) {
        Instant passed = attempt.leaseUntil();
        return attempt.workerId() == null
                ? "no worker claimed it for agent " + attempt.agent() + " before " + passed
                : "worker " + attempt.workerId() + " stopped renewing its lease, which passed at " + passed;
    }

    private final class RemoteRun implements RunningAgent {
        private final AttemptKey key;
        private final long startNanos = System.nanoTime();
        private final Object lock = new Object();
        private boolean woken;
        private RunResult result;
        private FailureType stoppedFor;

        RemoteRun(AttemptKey key) {
            this.key = key;
        }

        void wake() {
            synchronized (lock) {
                woken = true;
                lock.notifyAll();
            }
        }

        @Override
        public RunResult await() throws InterruptedException {
            try {
                // The first look waits for a reason: the worker's notice, or the recheck. A result is seldom in before.
                boolean due = false;
                while (true) {
                    synchronized (lock) {
                        if (result != null) {
                            return result;
                        }
                        if (stoppedFor != null) {
                            result = givenUp(key, stoppedFor);
                            return result;
                        }
                        if (!woken && !due) {
                            lock.wait(recheck.toMillis());
                            due = true;
                            continue;
                        }
                        woken = false;
                        due = false;
                    }
                    Optional<RunResult> found;
                    try {
                        found = resultOf(store.remoteAttempt(key), key);
                    } catch (RuntimeException unavailable) {
                        // The store is failing (a lost connection, a restart): look again at the next recheck.
                        found = Optional.empty();
                    }
                    synchronized (lock) {
                        if (found.isPresent() && result == null) {
                            result = found.get();
                        }
                    }
                }
            } finally {
                synchronized (lock) {
                    if (result != null) {
                        waiting.remove(key, this);
                    }
                }
            }
        }

        @Override
        public void stop(FailureType reason) {
            synchronized (lock) {
                if (result == null && stoppedFor == null) {
                    stoppedFor = Objects.requireNonNull(reason, "reason");
                }
                lock.notifyAll();
            }
        }

        @Override
        public long pid() {
            return -1;
        }

        @Override
        public String toString() {
            return "remote " + key + " (waiting " + Duration.ofNanos(System.nanoTime() - startNanos).toMillis()
                    + " ms)";
        }
    }
}
