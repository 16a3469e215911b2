package io.switchboard.core.remote;

import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.execution.AgentEnvironment;
import io.switchboard.core.execution.CommandWords;
import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.KeptText;
import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.execution.RunningAgent;
import io.switchboard.core.execution.VerifyRequest;
import io.switchboard.core.port.AgentRunner;
import io.switchboard.core.port.RemoteAttempts;
import io.switchboard.core.port.TaskStore;
import io.switchboard.core.task.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A worker's side of remote attempts: it takes a delivered message, claims the attempt in the store, runs the agent
 * on this machine, then the task's verification when it has one (the task's own verify command, else the one this
 * worker's configuration sets for the work type; the attempt fails as {@link FailureType#VERIFY_FAILED} when it
 * fails, its output kept as the failure's detail), and reports the result in the store, guarded by the attempt
 * number; then it rings the orchestrator's doorbell.
 *
 * <p>The order is what keeps every outcome: {@link #accept} returns (and the broker delivery may be acknowledged) only
 * once the claim is committed or refused; a delivery whose claim could not be decided (the database is down) is not
 * acknowledged and comes back. The run never holds the delivery. A result is reported until the store takes it, so a
 * database outage delays it and loses nothing; the store decides whether it is still the attempt's (accepted) or
 * came too late (superseded).
 *
 * <p>{@link #renew} is called with every heartbeat: it renews the worker's leases and stops the runs whose attempt
 * was taken from it (lease passed, abandoned, handed off), since nothing they report can count any more.
 */
public final class RemoteWorker {
    private final String workerId;
    private final RemoteAttempts store;
    private final TaskStore tasks;
    private final AgentRunner runner;
    private final SwitchboardConfig config;
    private final AgentEnvironment environment;
    private final Path workingDirectory;
    private final Duration lease;
    private final InstantSource clock;
    private final Doorbell doorbell;
    private final WorkerListener listener;
    private final Map<String, AgentProfile> agents = new HashMap<>();
    private final Map<String, Semaphore> slots = new HashMap<>();
    private final Map<AttemptKey, RunningAgent> running = new ConcurrentHashMap<>();
    /** When each attempt's claim was known committed (System.nanoTime), so a renewal judges only older claims. */
    private final Map<AttemptKey, Long> claimedAt = new ConcurrentHashMap<>();
    private final Map<AttemptKey, Thread> threads = new ConcurrentHashMap<>();
    /** Attempts whose claim is being decided, until their run's thread is known or the claim refused. */
    private final Set<AttemptKey> claiming = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    /** Tells an orchestrator that the result of one of its attempts is in the store. */
    @FunctionalInterface
    public interface Doorbell {
        void ring(AttemptKey attempt, String orchestratorId);
    }

    /** What a worker does, for its log; every method has a default that does nothing. */
    public interface WorkerListener {
        default void claimed(AttemptKey attempt, String agent) {
        }

        default void dropped(AttemptKey attempt, String reason) {
        }

        default void finished(AttemptKey attempt, RunResult result, RemoteAttempts.Report report) {
        }

        default void lost(AttemptKey attempt) {
        }

        /** The store failed while reporting; reported once per outage, and again once it takes the result. */
        default void storeFailed(AttemptKey attempt, String failure) {
        }

        default void storeRecovered(AttemptKey attempt) {
        }

        WorkerListener NONE = new WorkerListener() {
        };
    }

    /**
     * @param agents the agents this worker registered, by name; each runs at most its max concurrency at once
     * @param environment what agents see of this machine's environment, by this worker's configuration
     * @param workingDirectory where agents run
     * @param lease how long a claim holds without a renewal, by the database's clock
     */
    public RemoteWorker(String workerId, RemoteAttempts store, TaskStore tasks, AgentRunner runner,
            SwitchboardConfig config, List<AgentProfile> agents, AgentEnvironment environment, Path workingDirectory,
            Duration lease, InstantSource clock, Doorbell doorbell, WorkerListener listener) {
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        this.store = Objects.requireNonNull(store, "store");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.config = Objects.requireNonNull(config, "config");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.doorbell = Objects.requireNonNull(doorbell, "doorbell");
        this.listener = Objects.requireNonNull(listener, "listener");
        for (AgentProfile agent : agents) {
            this.agents.put(agent.name(), agent);
            this.slots.put(agent.name(), new Semaphore(agent.maxConcurrency()));
        }
    }

    public String id() {
        return workerId;
    }

    /**
     * Takes a delivered message: waits for a free slot of its agent, claims the attempt, and starts the run on a
     * thread of its own. Returns once the claim is decided: then the delivery may be acknowledged, whether the claim
     * was granted or refused (a duplicate, an attempt no longer current: dropped).
     *
     * @throws RuntimeException when the worker is stopping before the store could decide the claim: the delivery must
     *     go back to the queue
     * @throws InterruptedException when the worker is stopping while this waits for a slot or the store
     */
    public void accept(WorkMessage message) throws InterruptedException {
        AttemptKey key = new AttemptKey(message.taskId(), message.attempt());
        AgentProfile agent = agents.get(message.agent());
        if (agent == null) {
            // Queues are per agent, so this is a message routed to a queue this worker does not serve as that agent.
            listener.dropped(key, "this worker does not run agent " + message.agent());
            throw new IllegalStateException("this worker does not run agent " + message.agent());
        }
        if (stopping) {
            throw new IllegalStateException("worker " + workerId + " is stopping");
        }
        Semaphore slot = slots.get(agent.name());
        slot.acquire();
        boolean started = false;
        claiming.add(key);
        try {
            RemoteAttempts.Claim claim = claimUntilDecided(key);
            if (!claim.claimed()) {
                listener.dropped(key, claim.reason());
                return;
            }
            claimedAt.put(key, System.nanoTime());
            listener.claimed(key, agent.name());
            String orchestratorId = claim.orchestratorId();
            Thread thread = Thread.ofVirtual().name("attempt-" + key.taskId() + "-" + key.number()).unstarted(
                    () -> run(key, agent, message, orchestratorId, slot));
            threads.put(key, thread);
            thread.start();
            started = true;
        } finally {
            claiming.remove(key);
            if (!started) {
                slot.release();
            }
        }
    }

    /**
     * Claims the attempt, trying again with back-off while the store fails (reported once per outage), so that a
     * database that is down holds this delivery instead of sending it back and forth through the broker. Gives up, and
     * the delivery goes back to the queue, only when the worker is stopping.
     *
     * <p>A try that failed may have committed its claim before the answer was lost with the connection: the next try
     * then finds the attempt claimed by this worker already. When this worker does not run it, that claim is the lost
     * one, and the attempt is this worker's to run; left alone, its lease would be renewed with every beat and never
     * pass, and the task would wait forever. When this worker does run it, the delivery is a duplicate, refused.
     */
    private RemoteAttempts.Claim claimUntilDecided(AttemptKey key) throws InterruptedException {
        long backoff = 50;
        boolean failing = false;
        boolean failedOnce = false;
        while (true) {
            try {
                RemoteAttempts.Claim claim = store.claim(key, workerId, lease);
                if (failing) {
                    listener.storeRecovered(key);
                }
                if (!claim.claimed() && failedOnce && !threads.containsKey(key)) {
                    Optional<RemoteAttempt> held = store.remoteAttempt(key).filter(attempt ->
                            attempt.state() == RemoteState.CLAIMED && workerId.equals(attempt.workerId()));
                    if (held.isPresent()) {
                        return RemoteAttempts.Claim.granted(held.get().orchestratorId());
                    }
                }
                return claim;
            } catch (RuntimeException e) {
                failedOnce = true;
                if (stopping) {
                    throw e;
                }
                if (!failing) {
                    listener.storeFailed(key, e.getMessage() == null ? e.toString() : e.getMessage());
                    failing = true;
                }
                TimeUnit.MILLISECONDS.sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private void run(AttemptKey key, AgentProfile agent, WorkMessage message, String orchestratorId, Semaphore slot) {
        try {
            RunResult result = execute(key, agent, message);
            // Ended: a renewal from now on has nothing of this run to stop, whatever it finds of the lease.
            running.remove(key);
            claimedAt.remove(key);
            RemoteAttempts.Report report = reportUntilStored(key, result);
            listener.finished(key, result, report);
            if (report.accepted() && orchestratorId != null) {
                try {
                    doorbell.ring(key, orchestratorId);
                } catch (RuntimeException e) {
                    // Only a doorbell: the orchestrator finds the result in the store at its next look.
                }
            }
        } finally {
            running.remove(key);
            threads.remove(key);
            claimedAt.remove(key);
            slot.release();
        }
    }

    private RunResult execute(AttemptKey key, AgentProfile agent, WorkMessage message) {
        String prompt;
        String verify;
        try {
            // The task is read once, for its verify command and, when the message refers to it, its prompt.
            Optional<Task> task = tasks.loadTask(key.taskId());
            prompt = promptOf(message, key.taskId(), task);
            verify = task.map(config.execution()::verifyLine).orElse(null);
        } catch (RuntimeException e) {
            return RunResult.notStarted(FailureInfo.of(FailureType.INVALID_TASK, "its prompt or verification could "
                    + "not be read: " + e.getMessage()), "");
        }
        Map<String, String> env = environment.environmentFor(agent.name());
        Set<String> secrets = environment.secretsIn(agent.name(), env);
        Duration timeout = timeoutFor(agent.name(), message.deadline());
        if (!timeout.isPositive()) {
            return RunResult.notStarted(FailureInfo.of(FailureType.TIMEOUT, "its deadline " + message.deadline()
                    + " had passed when worker " + workerId + " took it"), "");
        }
        Duration idle = firstOf(config.limitsFor(agent.name()).idleTimeout(), config.execution().idleTimeout());
        RunRequest request = new RunRequest(key.taskId(), key.number(), agent, message.mode(), prompt,
                workingDirectory, env, secrets, timeout, idle, null, workerId + ":" + key.taskId() + ":" + key.number(),
                config.execution().bypassPermissions().contains(agent.name()));
        RunResult result = awaitRun(key, runner.start(request, RunObserver.NONE));
        if (!result.succeeded() || verify == null) {
            return result;
        }
        // The task's verification, in the same directory, after the agent: the attempt succeeds only if both do.
        RunResult verified = awaitRun(key, runner.verify(new VerifyRequest(key.taskId(), key.number(),
                CommandWords.split(verify), workingDirectory, env, secrets, config.execution().verifyTimeout(),
                request.marker())));
        if (verified.succeeded()) {
            return result;
        }
        FailureInfo failure = verified.failure().type() == FailureType.CANCELLED ? verified.failure()
                : new FailureInfo(FailureType.VERIFY_FAILED, "verification '" + verify + "' failed on worker "
                        + workerId + ": " + verified.failure().message(), false,
                        KeptText.headTail(verified.joinedOutput(), KeptText.STORED_OUTPUT_CHARS / 2), null);
        return new RunResult(failure, result.exitCode(), result.duration(), result.usage(), result.sessionId(),
                result.summary(), result.agentVersion(), result.stdout(), result.stderr());
    }

    /** Waits for a run (the agent's or the verification's) to end; stopped if this worker stops or is interrupted. */
    private RunResult awaitRun(AttemptKey key, RunningAgent run) {
        running.put(key, run);
        if (stopping) {
            run.stop(FailureType.CANCELLED);
        }
        boolean interrupted = false;
        while (true) {
            try {
                RunResult result = run.await();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return result;
            } catch (InterruptedException e) {
                interrupted = true;
                run.stop(FailureType.CANCELLED);
            }
        }
    }

    /** The agent's wall-clock limit by this worker's configuration, cut short by the attempt's deadline. */
    private Duration timeoutFor(String agent, Instant deadline) {
        Duration limit = firstOf(config.limitsFor(agent).timeout(), config.execution().timeout());
        if (deadline == null) {
            return limit;
        }
        Duration left = Duration.between(clock.instant(), deadline);
        return left.compareTo(limit) < 0 ? left : limit;
    }

    private static Duration firstOf(Duration first, Duration second) {
        return first != null ? first : second;
    }

    /**
     * The message's prompt: its own, or the stored task's it refers to ({@code task} when that is the attempt's
     * own task, read already).
     */
    private String promptOf(WorkMessage message, String ownTaskId, Optional<Task> ownTask) {
        return switch (message.prompt()) {
            case WorkMessage.Inline inline -> inline.text();
            case WorkMessage.Reference reference -> {
                String location = reference.location();
                if (!location.startsWith("task:")) {
                    throw new IllegalArgumentException("unknown prompt reference '" + location + "'");
                }
                String taskId = location.substring("task:".length());
                Optional<Task> task = taskId.equals(ownTaskId) ? ownTask : tasks.loadTask(taskId);
                yield task.map(Task::prompt).orElseThrow(() -> new IllegalArgumentException(
                        "task " + taskId + " is not stored"));
            }
        };
    }

    /**
     * Reports the result until the store takes it: a failing database delays the report, reported once per outage,
     * and loses nothing. Gives up only when the attempt is no longer this worker's to report, which the store says.
     */
    private RemoteAttempts.Report reportUntilStored(AttemptKey key, RunResult result) {
        long backoff = 50;
        boolean failing = false;
        while (true) {
            try {
                RemoteAttempts.Report report = store.report(key, workerId, result);
                if (failing) {
                    listener.storeRecovered(key);
                }
                return report;
            } catch (RuntimeException e) {
                if (!failing) {
                    listener.storeFailed(key, e.getMessage() == null ? e.toString() : e.getMessage());
                    failing = true;
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    // Stopping hard: the lease passes and the orchestrator abandons the attempt, as for a killed worker.
                    return RemoteAttempts.Report.superseded("not reported: the worker stopped while the store was "
                            + "unavailable");
                }
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    /**
     * Renews this worker's leases (with its heartbeat), and stops the runs whose attempt is no longer its own.
     *
     * @return the attempts it lost
     */
    public Set<AttemptKey> renew() {
        // A claim committed after the renewal read the leases is missing from what it returns, and is not lost: only
        // attempts claimed before the renewal began are judged by it.
        long began = System.nanoTime();
        Set<AttemptKey> held = store.renew(workerId, lease);
        for (AttemptKey key : held) {
            if (!threads.containsKey(key) && !claiming.contains(key)) {
                handBack(key);
            }
        }
        Set<AttemptKey> lost = new java.util.HashSet<>();
        for (Map.Entry<AttemptKey, RunningAgent> entry : running.entrySet()) {
            Long claimed = claimedAt.get(entry.getKey());
            if (claimed != null && claimed - began < 0 && !held.contains(entry.getKey())) {
                lost.add(entry.getKey());
                listener.lost(entry.getKey());
                entry.getValue().stop(FailureType.CANCELLED);
            }
        }
        return lost;
    }

    /**
     * Ends an attempt this worker holds a claim on in the store but does not run, with a cancelled result that hands it
     * back to its orchestrator to route again. Such a claim committed while its delivery was given up (the try that
     * committed it interrupted, or failed with nobody left to try again); renewed with every beat, its lease would
     * never pass, and its task would wait forever. A store that fails leaves it to the next renewal.
     *
     * <p>The claim is read again first: a run of this worker's that ended after the renewal read its leases reported
     * its result before it left {@link #threads}, and the store holds it as reported, not claimed. Reporting again
     * would store nothing (the store returns the first verdict), but the attempt would be told as dropped.
     */
    private void handBack(AttemptKey key) {
        String reason = "worker " + workerId + " held a claim on it without running it; handed back";
        try {
            boolean held = store.remoteAttempt(key).filter(attempt -> attempt.state() == RemoteState.CLAIMED
                    && workerId.equals(attempt.workerId())).isPresent();
            if (!held) {
                return;
            }
            store.report(key, workerId, RunResult.notStarted(FailureInfo.of(FailureType.CANCELLED, reason), ""));
            listener.dropped(key, reason);
        } catch (RuntimeException e) {
            // The next renewal finds the claim again.
        }
    }

    /** How many attempts this worker runs now. */
    public int runningCount() {
        return threads.size();
    }

    /**
     * A clean stop: takes no more work, lets the running attempts finish within {@code grace}, then stops the rest,
     * whose results (cancelled: "worker stopping") hand them back to their orchestrators to run again. Returns once
     * every run has reported, or after {@code grace} twice over when the store does not take the reports.
     *
     * @param report called with how many runs were still going when the grace ran out
     */
    public void drain(Duration grace, BiConsumer<Integer, Integer> report) throws InterruptedException {
        stopping = true;
        int atStart = threads.size();
        joinAll(grace);
        int stopped = 0;
        for (RunningAgent run : running.values()) {
            run.stop(FailureType.CANCELLED);
            stopped++;
        }
        joinAll(grace);
        report.accept(atStart, stopped);
    }

    private void joinAll(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        for (Thread thread : List.copyOf(threads.values())) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            thread.join(Duration.ofNanos(left));
        }
    }
}
