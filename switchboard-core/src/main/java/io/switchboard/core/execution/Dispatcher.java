package io.switchboard.core.execution;

import io.switchboard.core.agent.AgentOrigin;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.agent.Skills;
import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptChanges;
import io.switchboard.core.attempt.AttemptOutcome;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptStart;
import io.switchboard.core.attempt.AttemptWorkspace;
import io.switchboard.core.attempt.DecidedStart;
import io.switchboard.core.attempt.StartResult;
import io.switchboard.core.attempt.TaskMove;
import io.switchboard.core.config.Budgets;
import io.switchboard.core.config.CooldownPolicy;
import io.switchboard.core.config.ExecutionSettings;
import io.switchboard.core.config.RetryPolicy;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.handoff.HandoffPacket;
import io.switchboard.core.performance.Difficulty;
import io.switchboard.core.port.AgentDirectory;
import io.switchboard.core.port.AgentRunner;
import io.switchboard.core.port.AttemptWorkspaces;
import io.switchboard.core.port.CooldownStore;
import io.switchboard.core.port.Outbox;
import io.switchboard.core.port.TaskClaims;
import io.switchboard.core.port.TaskStore;
import io.switchboard.core.port.Waiter;
import io.switchboard.core.port.WorkspaceUnavailableException;
import io.switchboard.core.remote.AttemptKey;
import io.switchboard.core.remote.RemoteRunner;
import io.switchboard.core.remote.WorkMessage;
import io.switchboard.core.remote.WorkPriority;
import io.switchboard.core.routing.Cooldown;
import io.switchboard.core.routing.Exclusion;
import io.switchboard.core.routing.ExclusionReason;
import io.switchboard.core.routing.Placement;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.routing.RoutingRequest;
import io.switchboard.core.routing.RoutingService;
import io.switchboard.core.routing.ScoredCandidate;
import io.switchboard.core.task.Handoff;
import io.switchboard.core.task.HandoffPendingException;
import io.switchboard.core.task.PlanRun;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskClaimedException;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs stored tasks to a final state: route, record the decision, start the attempt, run the agent (and the
 * task's verification), record the outcome with the agent's performance in one transaction, cool the agent
 * down when it earned it, and follow {@link Recovery#recover} until the task succeeds, fails for good, or the
 * dispatcher is stopped.
 *
 * <p>Every step is written before it is acted on: a retry's due time is stored before waiting for it, an
 * attempt is started in the store before its process, so {@code resume} can continue from the store alone.
 *
 * <p>A retry after a failure is given the task's prompt followed by a {@link HandoffPacket}: what the attempts
 * before it did and why they failed. The packet is stored with the attempt.
 *
 * <p>A task a person hands off ({@code switchboard handoff}) carries a pending {@link Handoff} in the store. A run
 * that does not take it up ({@link #run}) leaves the task as soon as it sees one: an attempt of it that ends then is
 * recorded cancelled ("handed off to AGENT"), and no further attempt starts (the store refuses one). A run that takes
 * it up ({@link #runHandedOff}) starts the next attempt on that agent, with the packet; the task then stays on that
 * agent until it ends.
 *
 * <p>A task submitted in an isolated plan run ({@link PlanRun#isolated()}) runs each attempt in a workspace of its
 * own when the settings carry {@link AttemptWorkspaces}: the attempt is started in the store first, then its
 * workspace prepared (a workspace that cannot be made fails the attempt as {@link FailureType#WORKSPACE}), the agent
 * and the verification run there, and what changed is recorded with the attempt's outcome, where the packet of the
 * attempt after it finds it.
 *
 * <p>Thread-safe: several threads may run different tasks at once. One task must be run by one thread. Routing a
 * task and starting its attempt happen under one lock, so tasks routed at once never take more than an agent's max
 * concurrency between them; a task whose every capable agent is busy with this dispatcher's own attempts waits in
 * {@link #run} for one of them to end, without polling the store. Tasks that queue for the lock are routed together
 * by the thread that takes it: one read of the routing state and one transaction for all their decisions and attempt
 * starts ({@link TaskStore#startAttempts}), so the lock is held once per batch rather than once per task.
 */
public final class Dispatcher {
    /** How long a task waits before it looks again when every capable agent is busy with other tasks. */
    public static final Duration BUSY_RECHECK = Duration.ofSeconds(1);
    /**
     * The states a task is routed from, and the only ones its routing may move it from when no agent can take it: a
     * task that another run started meanwhile (RUNNING) is its attempt's to move, and a routing decided before that
     * start must not take it back out of RUNNING (its attempt's result, reported later, could no longer be applied).
     */
    private static final java.util.Set<TaskState> NOT_STARTED = java.util.EnumSet.of(TaskState.QUEUED,
            TaskState.WAITING);

    /** Tasks routed in one batch at most, so that one transaction stays short under a long queue. */
    static final int MOST_IN_ONE_BATCH = 64;

    private final RoutingService routing;
    private final TaskStore tasks;
    private final CooldownStore cooldowns;
    private final AgentDirectory agents;
    private final AgentRunner runner;
    private final Waiter waiter;
    private final InstantSource clock;
    private final SwitchboardListener listener;
    private final SwitchboardConfig config;
    private final Settings settings;
    private final AgentEnvironment environment;
    private final Map<String, RunningAgent> running = new ConcurrentHashMap<>();
    private final AtomicLong spentMicros = new AtomicLong();
    /**
     * Held while a batch of tasks is routed, so that two tasks routed at once cannot both take an agent's last free
     * slot: the router counts attempts in flight, and the second decision must see the first's. A batch's starts are
     * counted in {@link #uncommitted} before it is let go, and recorded after.
     */
    private final ReentrantLock dispatching = new ReentrantLock();
    /** Tasks waiting to be routed: whichever thread takes {@link #dispatching} next routes them as a batch. */
    private final ConcurrentLinkedQueue<Pending> queued = new ConcurrentLinkedQueue<>();
    /**
     * Guards {@link #ownInFlight}, {@link #uncommitted}, {@link #reserved} and {@link #attemptsEnded}; notified when an
     * attempt ends, a batch's starts are recorded, a held slot is given back, or on a stop.
     */
    private final Object slots = new Object();
    /**
     * This dispatcher's attempts in flight, per agent. Routing counts them (with {@link #uncommitted}) instead of
     * reading them from the store, where a batch's starts appear only once committed.
     */
    private final Map<UUID, Integer> ownInFlight = new HashMap<>();
    /** Attempts of batches routed whose starts are being recorded, per agent: in flight for routing already. */
    private final Map<UUID, Integer> uncommitted = new HashMap<>();
    /** Slots on busy agents held by waiting tasks for their next routing ({@link #awaitSlot}), per agent. */
    private final Map<UUID, Integer> reserved = new HashMap<>();
    /** How many of this dispatcher's attempts have ended, so a task waiting for a busy agent can tell. */
    private long attemptsEnded;
    private volatile boolean stopping;

    /**
     * What one orchestrator run brings besides the configuration.
     *
     * @param orchestratorId the id attempts are recorded under, and the prefix of their markers
     * @param workingDirectory where agents run when a task does not say
     * @param hostEnvironment Switchboard's own environment, from which allowed variables are passed on
     * @param envOverrides variables set for this run with {@code --env}; each must be allowed for the agent
     * @param runBudget dollars this run may spend on all its tasks, or {@code null}
     * @param halfLife the decay applied to performance records
     * @param workspaces gives an attempt a working directory of its own when its task was submitted in an
     *     isolated plan run ({@link PlanRun#isolated()}); {@code null}: every attempt runs in its task's working
     *     directory
     * @param remote how attempts on remote workers' agents are sent and awaited; {@code null} when this orchestrator
     *     has no broker (its routing must then keep workers' agents out: {@link RoutingService#withoutWorkers()})
     * @param claims the claims of orchestrators sharing the database; {@code null} for a dispatcher that claims nothing
     */
    public record Settings(String orchestratorId, Path workingDirectory, Map<String, String> hostEnvironment,
            Map<String, String> envOverrides, Double runBudget, Duration halfLife, AttemptWorkspaces workspaces,
            Remote remote, TaskClaims claims) {
        public Settings {
            Objects.requireNonNull(orchestratorId, "orchestratorId");
            Objects.requireNonNull(workingDirectory, "workingDirectory");
            hostEnvironment = Map.copyOf(hostEnvironment);
            envOverrides = Map.copyOf(envOverrides);
            Objects.requireNonNull(halfLife, "halfLife");
        }

        /** Settings for an orchestrator that runs every attempt on this machine. */
        public Settings(String orchestratorId, Path workingDirectory, Map<String, String> hostEnvironment,
                Map<String, String> envOverrides, Double runBudget, Duration halfLife, AttemptWorkspaces workspaces) {
            this(orchestratorId, workingDirectory, hostEnvironment, envOverrides, runBudget, halfLife, workspaces,
                    null, null);
        }

        /** These settings with attempts on workers' agents sent through {@code remote}. */
        public Settings withRemote(Remote remote) {
            return new Settings(orchestratorId, workingDirectory, hostEnvironment, envOverrides, runBudget, halfLife,
                    workspaces, Objects.requireNonNull(remote, "remote"), claims);
        }

        /**
         * These settings for an orchestrator that shares its database with others: it claims each task before it runs
         * it ({@link TaskClaims#claimTask}), and leaves a task another live orchestrator holds.
         */
        public Settings withClaims(TaskClaims claims) {
            return new Settings(orchestratorId, workingDirectory, hostEnvironment, envOverrides, runBudget, halfLife,
                    workspaces, remote, Objects.requireNonNull(claims, "claims"));
        }
    }

    /**
     * How an attempt on a remote worker's agent ({@link AgentOrigin#WORKER}) is sent and awaited: it is started in the
     * store together with its message ({@link Outbox#startAttempts}), {@code sent} tells the relay there is something
     * to publish, and {@code runner} waits for what its worker reports. The worker runs it in its own working
     * directory, then its verification ({@link io.switchboard.core.remote.RemoteWorker}); the orchestrator prepares no
     * workspace for it.
     *
     * @param claimWithin how long a worker has to claim the attempt before it is abandoned (and retried elsewhere)
     */
    public record Remote(Outbox outbox, RemoteRunner runner, Duration claimWithin, Runnable sent) {
        public Remote {
            Objects.requireNonNull(outbox, "outbox");
            Objects.requireNonNull(runner, "runner");
            Objects.requireNonNull(claimWithin, "claimWithin");
            Objects.requireNonNull(sent, "sent");
        }
    }

    public Dispatcher(RoutingService routing, TaskStore tasks, CooldownStore cooldowns, AgentDirectory agents,
            AgentRunner runner, Waiter waiter, InstantSource clock, SwitchboardListener listener,
            SwitchboardConfig config, Settings settings) {
        this.routing = Objects.requireNonNull(routing, "routing");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.cooldowns = Objects.requireNonNull(cooldowns, "cooldowns");
        this.agents = Objects.requireNonNull(agents, "agents");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.waiter = Objects.requireNonNull(waiter, "waiter");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.config = Objects.requireNonNull(config, "config");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.environment = new AgentEnvironment(config, settings.hostEnvironment(), settings.envOverrides());
    }

    /**
     * Runs a stored task until it reaches a final state, or until {@link #stopTakingWork()}: then a task that
     * was running goes back to the queue and a waiting one keeps its due time.
     *
     * @return the task's status when this returns
     * @throws IllegalArgumentException when the task is not stored
     * @throws IllegalStateException when the task has an attempt in flight (another orchestrator runs it, or a
     *     dead one did: {@code resume} settles that first)
     */
    public TaskStatus run(String taskId) throws InterruptedException {
        return run(taskId, false, true);
    }

    /**
     * {@link #run} for a task this orchestrator has just claimed itself ({@link TaskClaims#claimTasks}): it is not
     * claimed again, one commit fewer. Should the claim have passed to another orchestrator since, the store refuses
     * the attempt's start and this returns as {@link #run} does for a task claimed elsewhere.
     */
    public TaskStatus runClaimed(String taskId) throws InterruptedException {
        return run(taskId, false, false);
    }

    /**
     * Runs a stored task as {@link #run} does, taking up the handoff a person asked for: the next attempt runs on
     * the agent the task was handed to, with a packet of what was done before, and so do the attempts after it.
     * Without a pending handoff, this is {@link #run}.
     */
    public TaskStatus runHandedOff(String taskId) throws InterruptedException {
        return run(taskId, true, true);
    }

    private TaskStatus run(String taskId, boolean takeUpHandoff, boolean claim) throws InterruptedException {
        if (claim && settings.claims() != null && !settings.claims().claimTask(taskId, settings.orchestratorId())) {
            // Another live orchestrator runs it, or there is no such task to claim.
            TaskStatus status = tasks.taskStatus(taskId).orElseThrow(() -> notStored(taskId));
            listener.claimedElsewhere(taskId);
            return status;
        }
        // Claimed first, when it is claimed, and read once, as held: the task, its options, status and handoff in one
        // read; the status and handoff read again each turn.
        TaskStore.TaskRun current = tasks.taskRun(taskId).filter(read -> read.task() != null)
                .orElseThrow(() -> notStored(taskId));
        Task task = current.task();
        TaskOptions options = current.options();
        Handoff atStart = null;
        boolean first = true;
        // A slot on a busy agent this run holds for the task's next routing, once one of its attempts freed it.
        UUID slot = null;
        // The task's attempts as last read, when nothing was stored for it since (it waited for a slot); else null.
        List<AttemptRecord> known = null;
        try {
            while (true) {
                if (current == null) {
                    current = tasks.taskRun(taskId).orElseThrow();
                }
                TaskStatus status = current.status();
                Handoff handoff = current.handoff();
                // None stored as of this read: nothing to read of them.
                boolean noneStored = !current.hasAttempts();
                current = null;
                if (status.state().isFinal() || stopping) {
                    return status;
                }
                if (first) {
                    atStart = handoff;
                    first = false;
                }
                if (handedAway(handoff, atStart, takeUpHandoff)) {
                    listener.handedOff(taskId, handoff);
                    return status;
                }
                if (status.state() == TaskState.RUNNING) {
                    throw new IllegalStateException("task " + taskId + " has an attempt in flight; if the orchestrator "
                            + "that ran it is gone, run 'switchboard resume'");
                }
                Instant now = clock.instant();
                if (status.dueAt() != null && now.isBefore(status.dueAt())) {
                    // The waiter returns when the due time has come, or early on a shutdown (checked above).
                    waiter.until(status.dueAt());
                    if (stopping) {
                        continue;
                    }
                    // While it waited, a person may have handed the task off (asking moves it out of waiting):
                    // look again.
                    if (!Objects.equals(tasks.handoff(taskId).orElse(null), handoff)) {
                        continue;
                    }
                    // What was read of its attempts is as old as the wait.
                    noneStored = false;
                }
                UUID held = slot;
                slot = null;
                Next next = attemptOnce(task, options, handoff, held, known != null ? known
                        : noneStored ? List.of() : null);
                slot = next.slot();
                known = next.history();
                if (known != null) {
                    // It waited in memory for one of this dispatcher's own attempts to end, and nothing was stored for
                    // it: what was read of it holds. A handoff or a take-over meanwhile is refused by the store when
                    // the attempt starts, and the run leaves the task then as it would have on reading it.
                    current = new TaskStore.TaskRun(task, options, status, handoff, !known.isEmpty());
                }
                if (!next.goOn()) {
                    return tasks.taskStatus(taskId).orElseThrow();
                }
                if (next.ended() != null) {
                    return next.ended();
                }
            }
        } finally {
            release(slot);
        }
    }

    private static IllegalArgumentException notStored(String taskId) {
        return new IllegalArgumentException("task " + taskId + " is not stored");
    }

    /**
     * What follows an attempt: whether the run goes on with the task, and the slot it holds for its next routing (see
     * {@link #awaitSlot}), if it holds one.
     */
    private record Next(boolean goOn, UUID slot, TaskStatus ended, List<AttemptRecord> history) {
        static final Next ON = new Next(true, null, null, null);
        static final Next OFF = new Next(false, null, null, null);

        /**
         * The task waited for one of this dispatcher's own attempts to end, and is routed again: {@code slot} is held
         * for it on the busy agent that came free (null when none is held: the last attempt ended, or a stop came);
         * {@code history} is its attempts as read for this routing, unchanged since, as nothing was stored for it.
         */
        static Next awaiting(UUID slot, List<AttemptRecord> history) {
            return new Next(true, slot, null, Objects.requireNonNull(history, "history"));
        }

        /** The attempt's end moved the task to a final state, committed: the run returns it without reading it. */
        static Next ended(TaskStatus status) {
            return new Next(true, null, status, null);
        }
    }

    /**
     * Whether a person handed the task off for another run to carry out, so that this one leaves it: a pending
     * handoff this run does not take up, or one taken up that this run did not know when it began (another process
     * runs it now). A handoff taken up before this run began pins the task, and this run goes on with it.
     */
    private static boolean handedAway(Handoff now, Handoff atStart, boolean takeUp) {
        if (now == null) {
            return false;
        }
        return now.pending() ? !takeUp : !now.sameRequestAs(atStart);
    }

    /**
     * Settles an attempt whose orchestrator is gone (found by {@code resume}): it becomes ABANDONED, and its task
     * follows {@link Recovery#recover} (retried at once on another agent, or failed when its attempts are used
     * up). Its agent's record is untouched: a dead orchestrator says nothing about the agent.
     *
     * @return whether the attempt was still in flight and is now settled
     */
    public boolean abandon(AttemptRecord record, String why) {
        Attempt attempt = record.attempt();
        if (settings.remote() != null) {
            // A remote attempt is given up in the store first; one its worker reported already is finished with that
            // result instead, so an accepted result is never thrown away and run again.
            Optional<RunResult> reported = settings.remote().runner().revoke(new AttemptKey(attempt.taskId(),
                    attempt.number()));
            if (reported.isPresent() && finishReported(record, reported.get())) {
                return true;
            }
        }
        Instant now = clock.instant();
        FailureInfo failure = FailureInfo.of(FailureType.ABANDONED, why);
        List<AttemptRecord> history = tasks.attemptRecords(attempt.taskId());
        int used = (int) history.stream().filter(Dispatcher::countedFailure).count() + 1;
        TaskOptions options = tasks.taskOptions(attempt.taskId()).orElse(TaskOptions.DEFAULTS);
        Handoff pending = tasks.handoff(attempt.taskId()).filter(Handoff::pending).orElse(null);
        // A task someone handed off waits for the handoff, whatever its attempts so far.
        TaskMove move = pending != null ? TaskMove.to(TaskState.QUEUED, pending.reason())
                : moveAfter(failure, used, options, now);
        long ran = Math.max(0, java.time.Duration.between(attempt.startedAt(), now).toMillis());
        AttemptOutcome outcome = new AttemptOutcome(attempt.taskId(), attempt.number(),
                io.switchboard.core.attempt.AttemptState.ABANDONED, failure, now, ran, 0, 0, 0, null, null, "", "",
                null, null, move, "", "", null);
        if (!tasks.finishAttempt(outcome)) {
            return false;
        }
        listener.attemptFinished(attempt, outcome);
        return true;
    }

    /** Records a reported result for an attempt another orchestrator started and left behind. */
    private boolean finishReported(AttemptRecord record, RunResult result) {
        Attempt attempt = record.attempt();
        Optional<Task> task = tasks.loadTask(attempt.taskId());
        Optional<RegisteredAgent> agent = agents.find(attempt.agentName());
        if (task.isEmpty() || agent.isEmpty()) {
            return false;
        }
        TaskOptions options = tasks.taskOptions(attempt.taskId()).orElse(TaskOptions.DEFAULTS);
        List<AttemptRecord> before = tasks.attemptRecords(attempt.taskId()).stream()
                .filter(earlier -> earlier.attempt().number() < attempt.number()).toList();
        finish(task.get(), options, before, agent.get(), attempt, result, result.failure(), "", null);
        return !tasks.attemptRecords(attempt.taskId()).stream()
                .filter(same -> same.attempt().number() == attempt.number())
                .anyMatch(same -> same.attempt().state().inFlight());
    }

    private TaskMove moveAfter(FailureInfo failure, int used, TaskOptions options, Instant now) {
        return switch (Recovery.recover(failure, used, retryPolicy(options), deadline(options), now)) {
            case Recovery.GiveUp giveUp -> TaskMove.to(TaskState.FAILED, giveUp.reason());
            case Recovery.RetryAt retry -> new TaskMove(TaskState.WAITING, retry.reason(), retry.due());
            case Recovery.Requeue requeue -> TaskMove.to(TaskState.QUEUED, requeue.reason());
        };
    }

    /** Stops starting attempts and leaves waiting tasks as they are; running agents go on. */
    public void stopTakingWork() {
        stopping = true;
        synchronized (slots) {
            slots.notifyAll();
        }
    }

    /** Stops every running agent (TERM, grace, KILL); their tasks go back to the queue. */
    public void stopRunning() {
        stopTakingWork();
        running.values().forEach(run -> run.stop(FailureType.CANCELLED));
    }

    /** How many agents (and verifications) are running now. */
    public int runningCount() {
        return running.size();
    }

    /** Dollars recorded by this dispatcher's attempts so far. */
    public double spent() {
        return spentMicros.get() / 1_000_000.0;
    }

    /**
     * Routes the task and runs one attempt, or waits, or gives up.
     *
     * @param handoff the task's handoff: pending when this run takes it up (the loop left it otherwise), or taken
     *     up, which pins the task to its agent; {@code null} for none
     * @param slot the slot on a busy agent this run holds for this routing ({@link #awaitSlot}), or {@code null}; given
     *     back once the task is routed, whatever came of it
     * @param known the task's attempts when nothing was stored for it since they were read, or {@code null}: read now
     * @return whether the run goes on with the task ({@code false} once it was handed off to someone else), and the
     *     slot it now holds for the next routing
     */
    private Next attemptOnce(Task task, TaskOptions options, Handoff handoff, UUID slot, List<AttemptRecord> known)
            throws InterruptedException {
        Pending pending;
        try {
            long endedBefore;
            synchronized (slots) {
                endedBefore = attemptsEnded;
            }
            List<AttemptRecord> history = known != null ? known : tasks.attemptRecords(task.id());
            Instant now = clock.instant();
            Double remaining = remainingBudget(options, history, now);
            if (remaining != null && remaining <= 0) {
                giveUp(task.id(), "budget spent: nothing is left of " + budgetsText(options), now);
                return Next.ON;
            }
            pending = route(new Pending(task, options, handoff, history, remaining, endedBefore));
        } finally {
            // The batch that routed the task counted whatever it started in flight: the slot has done its work.
            release(slot);
        }
        // The events of a batch are told on each task's own thread, as every other event.
        for (RoutingService.Recorded recorded : pending.decided) {
            listener.decided(task.id(), recorded.id(), recorded.decision());
        }
        if (pending.failure != null) {
            throw pending.failure;
        }
        return switch (pending.routed) {
            case Routed.NoAgent noAgent -> {
                waitOrGiveUp(task, options, noAgent.decision(), clock.instant());
                yield Next.ON;
            }
            case Routed.HandedOff handedOff -> {
                if (handedOff.handoff() != null) {
                    // A person handed the task off after this run last looked: it is theirs now.
                    listener.handedOff(task.id(), handedOff.handoff());
                } else {
                    // Taken over while this orchestrator was silent: the task is the other one's now.
                    listener.claimedElsewhere(task.id());
                }
                yield Next.OFF;
            }
            case Routed.AwaitOwnAttempt await -> {
                listener.waitingForAgent(task.id(), "every capable agent is busy with this run's other tasks; it "
                        + "starts when one of them ends");
                yield Next.awaiting(awaitSlot(await.agents()), pending.history);
            }
            case Routed.Started started -> {
                try {
                    listener.attemptStarted(started.attempt());
                    yield run(task, options, started);
                } finally {
                    synchronized (slots) {
                        ownInFlight.computeIfPresent(started.agent().id(),
                                (agent, count) -> count == 1 ? null : count - 1);
                        attemptsEnded++;
                        slots.notifyAll();
                    }
                }
            }
        };
    }

    /** What routing a task under {@link #dispatching} came to. */
    private sealed interface Routed {
        /** No agent can take the task, nor will one of this dispatcher's attempts free one: it waits, or fails. */
        record NoAgent(RoutingDecision decision) implements Routed {
        }

        /**
         * Every capable agent is busy with this dispatcher's own attempts: route again when one of them ends.
         *
         * @param agents the agents at their max concurrency, by id, with that max
         */
        record AwaitOwnAttempt(Map<UUID, Integer> agents) implements Routed {
        }

        /**
         * A person handed the task off after this run last looked ({@code handoff}), or another orchestrator took it
         * over ({@code handoff} null): it is not this run's now.
         */
        record HandedOff(Handoff handoff) implements Routed {
        }

        /**
         * An attempt started on its agent, with the task's attempts before it and the prompt it is given (the task's,
         * followed by the handoff packet when it gets one).
         */
        record Started(Attempt attempt, RegisteredAgent agent, List<AttemptRecord> history, String prompt)
                implements Routed {
        }
    }

    /**
     * A task waiting to be routed, with what its thread read for it. Its outcome is set by whichever thread routes the
     * batch it is in (under {@link #dispatching}) and starts it (after); its own thread reads it once it is done.
     */
    private static final class Pending {
        final Task task;
        final TaskOptions options;
        final Handoff handoff;
        final List<AttemptRecord> history;
        final Double remaining;
        /** How many of this dispatcher's attempts had ended when its thread began to route it. */
        final long endedBefore;
        /** The decisions recorded for it, in order. */
        final List<RoutingService.Recorded> decided = new ArrayList<>(2);
        /** The chosen agent and the prompt it is given, once routed to one. */
        RegisteredAgent agent;
        String prompt;
        Routed routed;
        RuntimeException failure;
        /** Counted down once routed (whatever came of it), after everything above was set. */
        private final CountDownLatch done = new CountDownLatch(1);

        Pending(Task task, TaskOptions options, Handoff handoff, List<AttemptRecord> history, Double remaining,
                long endedBefore) {
            this.endedBefore = endedBefore;
            this.task = task;
            this.options = options;
            this.handoff = handoff;
            this.history = history;
            this.remaining = remaining;
        }

        void routed(Routed outcome) {
            this.routed = outcome;
        }

        void finished() {
            done.countDown();
        }

        boolean isDone() {
            return done.getCount() == 0;
        }

        /** Waits for the batch that holds this task to be started; not cut short, as its attempt may start. */
        void awaitDone() {
            uninterruptibly(() -> {
                done.await();
                return null;
            });
        }
    }

    /**
     * Routes the task and starts its attempt, together with whatever other tasks are waiting to be routed at the same
     * moment: the thread that takes {@link #dispatching} routes every task queued by then (a batch), against one read
     * of the routing state, then lets the lock go and records all their decisions and attempt starts in one transaction
     * ({@link TaskStore#startAttempts}) while the next batch is routed. Alone, a task is a batch of one, routed at
     * once; under load, the lock's cost is shared by the batch instead of paid by each task, and a batch's commit no
     * longer holds up the routing of the next. The starts a batch routed count as this dispatcher's own in flight from
     * the moment they are decided ({@link #uncommitted}), so the next batch's routing sees them committed or not.
     */
    private Pending route(Pending pending) {
        queued.add(pending);
        while (!pending.isDone()) {
            List<Pending> batch = new ArrayList<>();
            Planned planned = null;
            dispatching.lock();
            try {
                if (pending.isDone()) {
                    break;
                }
                Pending next;
                while (batch.size() < MOST_IN_ONE_BATCH && (next = queued.poll()) != null) {
                    batch.add(next);
                }
                if (!batch.isEmpty()) {
                    planned = planAll(batch);
                }
            } finally {
                dispatching.unlock();
            }
            if (batch.isEmpty()) {
                // Not queued any more, nor done: a batch another thread routed holds it, and is being started.
                pending.awaitDone();
            } else if (planned != null) {
                startAll(planned);
            }
        }
        return pending;
    }

    /**
     * A batch routed under {@link #dispatching}, its starts counted in {@link #uncommitted}: the items to record, the
     * task each belongs to, and the starts per agent.
     */
    private record Planned(List<Pending> batch, Instant now, List<DecidedStart> items, List<Pending> owners,
            Map<UUID, Integer> starting) {
    }

    /**
     * Routes a batch; under {@link #dispatching}. The attempts it is to start are counted in {@link #uncommitted}
     * before the lock is let go. A batch that failed to route is done when this returns, and {@code null} comes back.
     */
    private Planned planAll(List<Pending> batch) {
        try {
            // By task, so that transactions of orchestrators sharing a database lock tasks in one order.
            batch.sort(java.util.Comparator.comparing(queuedTask -> queuedTask.task.id()));
            Map<UUID, Integer> own = new HashMap<>();
            synchronized (slots) {
                own.putAll(ownInFlight);
                uncommitted.forEach((agent, count) -> own.merge(agent, count, Integer::sum));
            }
            RoutingService.Batch decisions = routing.batch(settings.orchestratorId(), own);
            List<DecidedStart> items = new ArrayList<>();
            List<Pending> owners = new ArrayList<>();
            // The attempts this batch starts, per agent: this dispatcher's own once committed.
            Map<UUID, Integer> starting = new HashMap<>();
            for (Pending pending : batch) {
                try {
                    List<DecidedStart> planned = plan(pending, decisions);
                    if (pending.routed instanceof Routed.NoAgent noAgent) {
                        Map<UUID, Integer> busy = busyWithOwnAttempts(noAgent.decision(), pending.options, decisions,
                                pending.endedBefore, starting);
                        if (!busy.isEmpty()) {
                            // It waits here for a slot this dispatcher's own attempts hold: nothing was decided yet,
                            // and nothing is recorded; its decision is, once it is routed again.
                            pending.routed(new Routed.AwaitOwnAttempt(busy));
                            continue;
                        }
                    } else if (pending.agent != null) {
                        starting.merge(pending.agent.id(), 1, Integer::sum);
                    }
                    items.addAll(planned);
                    planned.forEach(item -> owners.add(pending));
                } catch (RuntimeException e) {
                    pending.failure = e;
                }
            }
            synchronized (slots) {
                starting.forEach((agent, count) -> uncommitted.merge(agent, count, Integer::sum));
            }
            return new Planned(batch, decisions.now(), items, owners, starting);
        } catch (RuntimeException e) {
            for (Pending pending : batch) {
                if (pending.failure == null) {
                    pending.failure = e;
                }
                pending.finished();
            }
            return null;
        }
    }

    /**
     * Records a routed batch's decisions and starts its attempts, outside {@link #dispatching}; every task in it is
     * done when this returns. Its starts move from {@link #uncommitted} to {@link #ownInFlight} (or leave, when refused) in
     * one step, so the dispatcher's own count never misses one.
     */
    private void startAll(Planned planned) {
        List<UUID> started = new ArrayList<>();
        try {
            List<DecidedStart> items = planned.items();
            List<StartResult> results = items.isEmpty() ? List.of()
                    : settings.remote() != null ? settings.remote().outbox().startAttempts(items, planned.now())
                    : tasks.startAttempts(items, planned.now());
            boolean sent = false;
            for (int i = 0; i < items.size(); i++) {
                DecidedStart item = items.get(i);
                Pending owner = planned.owners().get(i);
                StartResult result = results.get(i);
                owner.decided.add(new RoutingService.Recorded(result.decisionId(), item.decision()));
                if (item.start() == null) {
                    continue;
                }
                if (result.attempt() != null) {
                    started.add(owner.agent.id());
                    sent |= item.send() != null;
                    owner.routed(new Routed.Started(result.attempt(), owner.agent, owner.history, owner.prompt));
                } else if (result.refused() instanceof HandoffPendingException handedOff) {
                    owner.routed(new Routed.HandedOff(handedOff.handoff()));
                } else if (result.refused() instanceof TaskClaimedException) {
                    owner.routed(new Routed.HandedOff(null));
                } else {
                    owner.failure = result.refused();
                }
            }
            if (sent) {
                settings.remote().sent().run();
            }
        } catch (RuntimeException e) {
            for (Pending pending : planned.batch()) {
                // An attempt that started is run whatever failed after its start: its thread ends it.
                if (pending.failure == null && !(pending.routed instanceof Routed.Started)) {
                    pending.failure = e;
                }
            }
        } finally {
            synchronized (slots) {
                started.forEach(agent -> ownInFlight.merge(agent, 1, Integer::sum));
                planned.starting().forEach((agent, count) -> uncommitted.computeIfPresent(agent,
                        (id, now) -> now.equals(count) ? null : now - count));
                slots.notifyAll();
            }
            for (Pending pending : planned.batch()) {
                pending.finished();
            }
        }
    }

    /**
     * Decides for one task of a batch: the decision to record, then (when no agent could take it) the fallback's, and
     * the attempt the last one starts, with its packet when it gets one. The chosen agent is counted in flight for the
     * batch's later decisions.
     */
    private List<DecidedStart> plan(Pending pending, RoutingService.Batch decisions) {
        Task task = pending.task;
        TaskOptions options = pending.options;
        List<AttemptRecord> history = pending.history;
        Handoff handoff = pending.handoff;
        String taskId = task.id();
        RoutingRequest request = new RoutingRequest(task, history.size() + 1, Set.of(), options.excluded(),
                options.prefer(), options.maxCost(), pending.remaining, placement(options, handoff, history));
        RoutingDecision decision = decisions.decide(request, history);
        List<DecidedStart> planned = new ArrayList<>(2);
        if (decision.chosen().isEmpty()) {
            planned.add(DecidedStart.only(decision));
            Optional<RoutingDecision> fallback = decisions.fallback(request, decision, history,
                    fallbackChain(history, options), fallbackReason(history, options));
            if (fallback.isEmpty()) {
                // The last resort, before waiting or failing: agents kept out only by attempts lost with their worker.
                fallback = decisions.forgivingAbandoned(request, decision, history);
            }
            if (fallback.isEmpty()) {
                pending.routed(new Routed.NoAgent(decision));
                return planned;
            }
            decision = fallback.get();
        }
        RoutingDecision chosenBy = decision;
        ScoredCandidate chosen = decision.chosen().orElseThrow();
        RegisteredAgent agent = decisions.agent(chosen.agent()).orElseThrow(
                () -> new IllegalStateException("agent " + chosen.agent() + " was chosen but is not registered"));
        int number = history.size() + 1;
        String marker = settings.orchestratorId() + ":" + taskId + ":" + number;
        String workType = Skills.normalize(task.traits().workType());
        Handoff takingUp = handoff != null && handoff.pending() ? handoff : null;
        // The first attempt of a run gets the prompt alone; a retry after a failure, and the attempt that takes a
        // handoff up, get it followed by the packet.
        String packet = "";
        String prompt = task.prompt();
        if (takingUp != null || HandoffPacket.dueAfter(history)) {
            HandoffPacket.Fitted fitted = HandoffPacket.of(task, history, verifyLine(task), handoff, agent.name(),
                    number, clock.instant())
                    .fit(HandoffPacket.Budget.after(task.prompt(), agent.name(), agent.profile().contextLimit()));
            packet = fitted.text();
            prompt = fitted.after(task.prompt());
        }
        AttemptStart start = new AttemptStart(taskId, agent.id(), agent.name(), decision.mode(), workType, null,
                settings.orchestratorId(), marker, "", packet, takingUp);
        DecidedStart.Send send = null;
        if (remote(agent)) {
            String given = prompt;
            send = new DecidedStart.Send(settings.remote().claimWithin(),
                    started -> WorkMessage.of(taskId, started.number(), agent.name(), chosenBy.mode(),
                            new WorkMessage.Inline(given), options.deadline(),
                            WorkPriority.of(task.draft().priority())));
        }
        planned.add(new DecidedStart(decision, start, send));
        pending.agent = agent;
        pending.prompt = prompt;
        decisions.took(agent.id());
        return planned;
    }

    /**
     * Whether an attempt on this agent runs on a remote worker. An orchestrator without a broker never gets here with a
     * worker's agent when its routing keeps them out, as it must.
     */
    private boolean remote(RegisteredAgent agent) {
        if (agent.origin() != AgentOrigin.WORKER) {
            return false;
        }
        if (settings.remote() == null) {
            throw new IllegalStateException("agent " + agent.name() + " is a remote worker's, and this orchestrator has"
                    + " no broker to send it work; its routing should have kept it out");
        }
        return true;
    }

    /**
     * What the task asks of routing: its options' placement, pinned to the agent it is handed off to when it is, from
     * the attempt that takes the handoff up (the agent's failures before it do not keep it out).
     */
    private static Placement placement(TaskOptions options, Handoff handoff, List<AttemptRecord> history) {
        if (handoff == null) {
            return options.placement();
        }
        return options.placement().handedOffTo(handoff.toAgent(),
                handoff.pending() ? history.size() + 1 : handoff.attempt());
    }

    /**
     * Whether no agent can take the task only because agents are at their max concurrency with this dispatcher's
     * own attempts: then one of those ending is what frees a slot, and the task can wait for that in this process
     * instead of looking again through the store every {@link #BUSY_RECHECK}; and when one of them has ended since the
     * task's thread began to route it, the wait returns at once and the task is routed again. Not when a slot is held
     * by another orchestrator, when an agent cooling down may come back first, nor once the task's deadline has passed.
     *
     * @param starting the attempts the batch being routed starts, per agent (this dispatcher's once committed)
     * @return the busy agents by id, with their max concurrency; empty when the task is not to wait in memory
     */
    private Map<UUID, Integer> busyWithOwnAttempts(RoutingDecision decision, TaskOptions options,
            RoutingService.Batch decisions, long endedBefore, Map<UUID, Integer> starting) {
        Instant now = decisions.now();
        Instant deadline = deadline(options);
        if (deadline != null && !now.isBefore(deadline)) {
            return Map.of();
        }
        Map<UUID, Integer> busy = new HashMap<>();
        synchronized (slots) {
            // One of this dispatcher's attempts ended since the task was routed: the slot it left may be why the agent
            // now counts fewer than its max, and waiting for an end returns at once, so the task is routed again now.
            boolean endedSince = attemptsEnded != endedBefore;
            for (Exclusion exclusion : decision.exclusions()) {
                if (exclusion.reason() == ExclusionReason.COOLING_DOWN) {
                    return Map.of();
                }
                if (exclusion.reason() != ExclusionReason.AT_MAX_CONCURRENCY) {
                    continue;
                }
                if (exclusion.agentId() == null) {
                    return Map.of();
                }
                int taken = ownTaken(exclusion.agentId()) + starting.getOrDefault(exclusion.agentId(), 0);
                int max = decisions.agent(exclusion.agent()).map(agent -> agent.profile().maxConcurrency())
                        .orElse(Integer.MAX_VALUE);
                if (taken < max && !endedSince) {
                    return Map.of();
                }
                busy.put(exclusion.agentId(), max);
            }
        }
        return busy;
    }

    /**
     * Waits until one of these agents has a slot that neither this dispatcher's attempts nor another waiting task
     * holds, and holds it for the task's next routing; so an attempt's end sends one waiting task to route again, not
     * all of them. Returns without a slot on a stop, or once this dispatcher has no attempt in flight (what holds the
     * agents then is not its own, and routing says when they are free).
     *
     * @param agents the busy agents, by id, with their max concurrency
     * @return the agent whose slot is held, or {@code null}
     */
    private UUID awaitSlot(Map<UUID, Integer> agents) throws InterruptedException {
        synchronized (slots) {
            while (!stopping && !(ownInFlight.isEmpty() && uncommitted.isEmpty())) {
                for (Map.Entry<UUID, Integer> agent : agents.entrySet()) {
                    UUID id = agent.getKey();
                    if (ownTaken(id) < agent.getValue()) {
                        reserved.merge(id, 1, Integer::sum);
                        return id;
                    }
                }
                slots.wait();
            }
            return null;
        }
    }

    /** The agent's slots this dispatcher holds: attempts in flight or starting, and slots held; under slots. */
    private int ownTaken(UUID agent) {
        return ownInFlight.getOrDefault(agent, 0) + uncommitted.getOrDefault(agent, 0)
                + reserved.getOrDefault(agent, 0);
    }

    /** Gives back a slot {@link #awaitSlot} held, for another waiting task to take. */
    private void release(UUID slot) {
        if (slot == null) {
            return;
        }
        synchronized (slots) {
            reserved.computeIfPresent(slot, (agent, count) -> count == 1 ? null : count - 1);
            slots.notifyAll();
        }
    }

    /**
     * Runs a started attempt to its end: prepares its workspace when its task runs isolated, runs the agent and the
     * verification there, records what changed, and finishes the attempt.
     *
     * @return whether this run goes on with the task ({@code false} once it was handed off to someone else), and the
     *     task's status when the attempt's end moved it to a final state
     */
    private Next run(Task task, TaskOptions options, Routed.Started started) throws InterruptedException {
        String taskId = task.id();
        Attempt attempt = started.attempt();
        RegisteredAgent agent = started.agent();
        List<AttemptRecord> history = started.history();
        String marker = settings.orchestratorId() + ":" + taskId + ":" + attempt.number();
        Path projectDirectory = options.workingDirectory() == null ? settings.workingDirectory()
                : Path.of(options.workingDirectory());

        boolean remote = remote(agent);
        AttemptWorkspace workspace = null;
        PlanRun plan = options.planRun();
        if (!remote && settings.workspaces() != null && plan != null && plan.isolated()) {
            try {
                workspace = settings.workspaces().prepare(projectDirectory, taskId, attempt.number(),
                        plan.dependencies());
            } catch (WorkspaceUnavailableException e) {
                FailureInfo failure = new FailureInfo(FailureType.WORKSPACE, "its workspace could not be prepared: "
                        + e.getMessage(), !e.retryable(), "", null);
                return finish(task, options, history, agent, attempt, RunResult.notStarted(failure, ""), failure, "",
                        null);
            }
        }
        Path workingDirectory = workspace == null ? projectDirectory : workspace.directory();
        Map<String, String> environment = environmentFor(agent.name());
        Set<String> secrets = secretsIn(agent.name(), environment);
        Double remaining = remainingBudget(options, history, clock.instant());
        RunRequest request = new RunRequest(taskId, attempt.number(), agent.profile(), attempt.mode(),
                started.prompt(), workingDirectory, environment, secrets, timeout(options, task, agent.name()),
                idleTimeout(options, task, agent.name()), remaining, marker,
                config.execution().bypassPermissions().contains(agent.name()));
        AgentRunner using = remote ? settings.remote().runner() : runner;
        RunResult result = await(taskId, using.start(request, new RunObserver() {
            @Override
            public void usage(Usage soFar) {
                listener.usage(taskId, attempt.number(), soFar);
            }
        }));

        FailureInfo failure = result.failure();
        String verifyOutput = "";
        List<String> verify = verifyCommand(task);
        if (failure == null && verify != null && !remote) {
            RunResult verified = await(taskId, runner.verify(new VerifyRequest(taskId, attempt.number(), verify,
                    workingDirectory, environment, secrets, config.execution().verifyTimeout(), marker)));
            verifyOutput = KeptText.headTail(verified.joinedOutput(), KeptText.STORED_OUTPUT_CHARS / 2);
            if (!verified.succeeded()) {
                failure = verified.failure().type() == FailureType.CANCELLED ? verified.failure()
                        : new FailureInfo(FailureType.VERIFY_FAILED, "verification '" + String.join(" ", verify)
                                + "' failed: " + verified.failure().message(), false, "", null);
            }
        }
        AttemptChanges changes = null;
        if (workspace != null) {
            try {
                changes = settings.workspaces().finish(workspace, task.title(), agent.name());
            } catch (WorkspaceUnavailableException e) {
                changes = AttemptChanges.notRecorded(workspace.branch(), e.getMessage());
                if (failure == null) {
                    failure = new FailureInfo(FailureType.WORKSPACE, changes.diffStat(), !e.retryable(), "", null);
                }
            }
        }
        return finish(task, options, history, agent, attempt, result, failure, verifyOutput, changes);
    }

    private RunResult await(String taskId, RunningAgent run) throws InterruptedException {
        running.put(taskId, run);
        try {
            if (stopping) {
                run.stop(FailureType.CANCELLED);
            }
            return run.await();
        } catch (InterruptedException e) {
            // The thread is being stopped: stop the agent too, and still record how it ended.
            run.stop(FailureType.CANCELLED);
            RunResult result = awaitUninterruptibly(run);
            Thread.currentThread().interrupt();
            return result;
        } finally {
            running.remove(taskId, run);
        }
    }

    private static RunResult awaitUninterruptibly(RunningAgent run) {
        return uninterruptibly(run::await);
    }

    /** A wait that an interrupt may cut short. */
    private interface Wait<T> {
        T await() throws InterruptedException;
    }

    /** Waits to the end whatever interrupts come, and leaves the thread interrupted when one came. */
    private static <T> T uninterruptibly(Wait<T> wait) {
        boolean interrupted = false;
        while (true) {
            try {
                T result = wait.await();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return result;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    /**
     * Records the attempt's end; returns whether this run goes on with the task (not once it was handed off), and the
     * task's status when the end moved it to a final state.
     */
    private Next finish(Task task, TaskOptions options, List<AttemptRecord> history, RegisteredAgent agent,
            Attempt attempt, RunResult result, FailureInfo failure, String verifyOutput, AttemptChanges changes) {
        String taskId = task.id();
        Instant end = clock.instant();
        AgentProfile profile = agent.profile();
        double cost = result.usage().costAt(profile.costPer1kTokens());
        spentMicros.addAndGet(Math.round(cost * 1_000_000));
        int usedBefore = (int) history.stream().filter(Dispatcher::countedFailure).count();

        // A person handed the task off while it ran, and stopped it: the attempt ends as theirs, not the agent's.
        Handoff handedOff = failure == null ? null : tasks.handoff(taskId).filter(Handoff::pending).orElse(null);
        if (handedOff != null) {
            failure = new FailureInfo(FailureType.CANCELLED, handedOff.reason(), false, "it ended as " + failure,
                    null);
        }

        TaskMove move;
        Difficulty difficulty;
        if (handedOff != null) {
            move = TaskMove.to(TaskState.QUEUED, handedOff.reason());
            difficulty = Difficulty.FAILED;
        } else if (failure == null) {
            move = TaskMove.to(TaskState.SUCCEEDED, "succeeded on " + agent.name() + " at attempt " + attempt.number());
            difficulty = usedBefore == 0 ? Difficulty.STRAIGHTFORWARD : Difficulty.TRICKY;
        } else {
            int used = usedBefore + (Recovery.countsAsAttempt(failure.type()) ? 1 : 0);
            move = moveAfter(failure, used, options, end);
            difficulty = Difficulty.FAILED;
        }
        boolean learn = failure == null || saysSomethingAboutTheAgent(failure.type());
        String output = KeptText.headTail(result.joinedOutput(), KeptText.STORED_OUTPUT_CHARS);
        AttemptOutcome outcome = new AttemptOutcome(taskId, attempt.number(),
                failure == null ? io.switchboard.core.attempt.AttemptState.SUCCEEDED : failure.type().attemptState(),
                failure, end, result.duration().toMillis(), result.usage().inputTokens(), result.usage().outputTokens(),
                cost, result.exitCode(), result.sessionId(), output, verifyOutput, learn ? difficulty : null,
                learn ? settings.halfLife() : null, move, result.agentVersion(), answer(result), changes);
        if (!tasks.finishAttempt(outcome)) {
            // Someone else settled this attempt (resume from another process): ours is no longer current.
            return handedOff == null ? Next.ON : Next.OFF;
        }
        listener.attemptFinished(attempt, outcome);
        if (handedOff != null) {
            listener.handedOff(taskId, handedOff);
            return Next.OFF;
        }
        if (failure != null) {
            coolDown(agent, failure, end);
        }
        if (move.to() == TaskState.WAITING) {
            listener.waiting(taskId, move.dueAt(), move.reason());
        } else {
            listener.taskFinished(taskId, move.to(), move.reason());
        }
        // As the store keeps it, to the millisecond: the status a read would give now.
        return move.to().isFinal() ? Next.ended(new TaskStatus(taskId, move.to(), move.reason(), null,
                end.truncatedTo(ChronoUnit.MILLIS))) : Next.ON;
    }

    /**
     * When no agent can take the task: wait for the earliest cooldown to end (or for a busy agent to be free)
     * when that is before the deadline; otherwise fail for good.
     */
    private void waitOrGiveUp(Task task, TaskOptions options, RoutingDecision decision, Instant now) {
        Map<java.util.UUID, Cooldown> active = cooldowns.active(now);
        Instant earliest = null;
        boolean busy = false;
        boolean workerGone = false;
        for (Exclusion exclusion : decision.exclusions()) {
            if (exclusion.reason() == ExclusionReason.AT_MAX_CONCURRENCY) {
                busy = true;
            }
            if ((exclusion.reason() == ExclusionReason.OFFLINE || exclusion.reason() == ExclusionReason.HEARTBEAT_STALE)
                    && agents.find(exclusion.agent()).map(agent -> agent.origin() == AgentOrigin.WORKER)
                            .orElse(false)) {
                // A remote worker's agent comes back when its worker does: as good as busy.
                workerGone = true;
            }
            Cooldown cooldown = exclusion.reason() == ExclusionReason.COOLING_DOWN ? active.get(exclusion.agentId())
                    : null;
            if (cooldown != null && !cooldown.untilConfigChanges()
                    && (earliest == null || cooldown.until().isBefore(earliest))) {
                earliest = cooldown.until();
            }
        }
        if ((busy || workerGone) && (earliest == null || now.plus(BUSY_RECHECK).isBefore(earliest))) {
            earliest = now.plus(BUSY_RECHECK);
        }
        Instant deadline = deadline(options);
        if (earliest != null && (deadline == null || !earliest.isAfter(deadline))) {
            String reason = !earliest.equals(now.plus(BUSY_RECHECK))
                    ? "every capable agent is cooling down; the earliest is free at " + earliest
                    : busy ? "every capable agent is busy; looking again at " + earliest
                    : "every capable agent is a worker's that is offline; looking again at " + earliest;
            if (tasks.moveTaskFrom(task.id(), NOT_STARTED, new TaskMove(TaskState.WAITING, reason, earliest), now)) {
                listener.waiting(task.id(), earliest, reason);
            }
            return;
        }
        giveUp(task.id(), earliest == null ? decision.reason()
                : decision.reason() + " The earliest cooldown ends after the deadline " + deadline + ".", now);
    }

    private void giveUp(String taskId, String reason, Instant now) {
        if (tasks.moveTaskFrom(taskId, NOT_STARTED, TaskMove.to(TaskState.FAILED, reason), now)) {
            listener.taskFinished(taskId, TaskState.FAILED, reason);
        }
    }

    /** Cooldowns after a failure (DESIGN §4). */
    private void coolDown(RegisteredAgent agent, FailureInfo failure, Instant now) {
        CooldownPolicy policy = config.execution().cooldowns();
        FailureType type = failure.type();
        if (type.quotaOrRateLimit()) {
            Instant until = failure.resetAt() != null && failure.resetAt().isAfter(now) ? failure.resetAt()
                    : now.plus(policy.quota());
            cooldowns.coolDown(new Cooldown(agent.id(), until, failure.toString()));
        } else if (type.agentUnusable()) {
            cooldowns.coolDown(Cooldown.untilConfigChanges(agent.id(), failure + "; until its configuration changes",
                    agent.profile().fingerprint()));
        } else if (saysSomethingAboutTheAgent(type)) {
            TaskStore.RecentOutcomes recent = tasks.recentOutcomes(agent.id(), now.minus(policy.failureWindow()));
            if (recent.total() >= policy.failureMinAttempts() && recent.failed() * 2 > recent.total()) {
                cooldowns.coolDown(new Cooldown(agent.id(), now.plus(policy.failureCooldown()),
                        "failed " + recent.failed() + " of its last " + recent.total() + " attempts in "
                                + RetryPolicy.text(policy.failureWindow())));
            }
        }
    }

    /**
     * Whether a failure of this kind is the agent's doing, so that it counts in its record: not a stop on
     * request, not a dead orchestrator, not an invalid task, not a spent budget, not a setup problem.
     */
    private static boolean saysSomethingAboutTheAgent(FailureType type) {
        return switch (type) {
            case EXIT_CODE, SIGNAL, TIMEOUT, IDLE, OUTPUT_LIMIT, QUOTA, RATE_LIMIT, AGENT_ERROR, MALFORMED_OUTPUT,
                    VERIFY_FAILED, LAUNCH_FAILED -> true;
            case BUDGET, BINARY_MISSING, NOT_EXECUTABLE, NOT_LOGGED_IN, INVALID_TASK, WORKSPACE, CANCELLED, ABANDONED ->
                    false;
        };
    }

    private static boolean countedFailure(AttemptRecord record) {
        return record.failure() != null && Recovery.countsAsAttempt(record.failure().type());
    }

    /** The fallbacks of the agents that failed this task (latest first), then of the preferred agent. */
    private List<String> fallbackChain(List<AttemptRecord> history, TaskOptions options) {
        LinkedHashSet<String> chain = new LinkedHashSet<>();
        for (int i = history.size() - 1; i >= 0; i--) {
            chain.addAll(config.fallbacksFor(history.get(i).attempt().agentName()));
        }
        if (options.prefer() != null) {
            chain.addAll(config.fallbacksFor(options.prefer()));
        }
        return new ArrayList<>(chain);
    }

    private static String fallbackReason(List<AttemptRecord> history, TaskOptions options) {
        if (!history.isEmpty()) {
            AttemptRecord last = history.getLast();
            return last.attempt().agentName() + " failed attempt " + last.attempt().number();
        }
        return options.prefer() + " was asked for";
    }

    private Double remainingBudget(TaskOptions options, List<AttemptRecord> history, Instant now) {
        Budgets budgets = config.budgets();
        Double remaining = null;
        Double perTask = options.maxCost() != null ? options.maxCost() : budgets.perTask();
        if (perTask != null) {
            remaining = perTask - history.stream().mapToDouble(AttemptRecord::cost).sum();
        }
        if (budgets.daily() != null) {
            // Instants are UTC: the daily budget counts per UTC day.
            double today = budgets.daily() - tasks.spentSince(now.truncatedTo(ChronoUnit.DAYS));
            remaining = remaining == null ? today : Math.min(remaining, today);
        }
        if (settings.runBudget() != null) {
            double run = settings.runBudget() - spent();
            remaining = remaining == null ? run : Math.min(remaining, run);
        }
        return remaining;
    }

    private String budgetsText(TaskOptions options) {
        List<String> parts = new ArrayList<>();
        Double perTask = options.maxCost() != null ? options.maxCost() : config.budgets().perTask();
        if (perTask != null) {
            parts.add("the task's " + dollars(perTask));
        }
        if (config.budgets().daily() != null) {
            parts.add("today's " + dollars(config.budgets().daily()) + " (UTC)");
        }
        if (settings.runBudget() != null) {
            parts.add("this run's " + dollars(settings.runBudget()));
        }
        return String.join(", ", parts);
    }

    private static String dollars(double amount) {
        return String.format(java.util.Locale.ROOT, "$%.2f", amount);
    }

    /** The configured retry policy, with fewer attempts when the task asks for fewer. */
    private RetryPolicy retryPolicy(TaskOptions options) {
        RetryPolicy policy = config.retry();
        Integer most = options.maxAttempts();
        if (most == null || most >= policy.maxAttempts()) {
            return policy;
        }
        return new RetryPolicy(policy.initialDelay(), policy.multiplier(), policy.maxDelay(), most,
                policy.deadline());
    }

    private Instant deadline(TaskOptions options) {
        return options.deadline();
    }

    /**
     * An attempt's wall-clock limit: {@code --timeout} (asked for this run), else the task file's, else the agent's
     * own, else {@code execution.timeout}. The task's comes before the agent's because it is the more specific:
     * it knows this piece of work, the agent's knows only the agent.
     */
    private Duration timeout(TaskOptions options, Task task, String agent) {
        return firstOf(options.timeout(), task.draft().timeout(), config.limitsFor(agent).timeout(),
                config.execution().timeout());
    }

    /** An attempt's idle-output limit, in the order of {@link #timeout}. */
    private Duration idleTimeout(TaskOptions options, Task task, String agent) {
        return firstOf(options.idleTimeout(), task.draft().idleTimeout(), config.limitsFor(agent).idleTimeout(),
                config.execution().idleTimeout());
    }

    private static Duration firstOf(Duration... limits) {
        for (Duration limit : limits) {
            if (limit != null) {
                return limit;
            }
        }
        throw new IllegalStateException("the execution defaults are never null");
    }

    /** The verify command: the task's own, else the one configured for its work type; {@code null} for none. */
    private List<String> verifyCommand(Task task) {
        String line = verifyLine(task);
        return line == null ? null : CommandWords.split(line);
    }

    private String verifyLine(Task task) {
        return config.execution().verifyLine(task);
    }

    /** What the agent may see of the environment ({@link AgentEnvironment#environmentFor}). */
    Map<String, String> environmentFor(String agent) {
        return environment.environmentFor(agent);
    }

    /** The values to redact ({@link AgentEnvironment#secretsIn}). */
    Set<String> secretsIn(String agent, Map<String, String> environment) {
        return this.environment.secretsIn(agent, environment);
    }

    /** The agent's final answer as its adapter read it, else what it printed on standard output; bounded. */
    private static String answer(RunResult result) {
        String answer = result.summary().isEmpty() ? result.stdout().text() : result.summary();
        return KeptText.headTail(answer, KeptText.STORED_OUTPUT_CHARS);
    }
}
