package io.switchboard.cli;

import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.OrchestratorRecord;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.execution.Dispatcher;
import io.switchboard.core.plan.PlanExecution;
import io.switchboard.core.plan.PlanGraph;
import io.switchboard.core.plan.PlanTask;
import io.switchboard.core.port.AgentRunner;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.workflow.HandoffBrief;
import io.switchboard.core.workflow.WorkflowDispatcher;
import io.switchboard.core.workflow.WorkflowRun;
import io.switchboard.process.workspace.LocalWorkingTree;
import io.switchboard.process.workspace.ProjectWorkspaces;
import io.switchboard.process.workspace.WorkspaceSettings;
import io.switchboard.store.Store;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One orchestrator at work: registered in the store, running tasks through a {@link Dispatcher} with the local
 * runner (one after another, or a plan's several at a time, each attempt of an isolated plan in a workspace of its
 * own) and workflow runs through a {@link WorkflowDispatcher} over it, showing progress, and stopping cleanly on
 * SIGTERM or Ctrl-C (stop taking work, give running agents the grace period, stop them, leave no RUNNING rows).
 * Shared by {@code orchestrate}, {@code workflow run}, {@code handoff} and {@code resume}.
 */
final class Orchestration implements AutoCloseable {
    private final Shell shell;
    private final Store store;
    private final SwitchboardConfig config;
    private final AgentRunner runner;
    private final ClockWaiter waiter;
    private final Dispatcher dispatcher;
    private final WorkflowDispatcher workflows;
    /** The threads a workflow's steps run on, several at once when they are independent. */
    private final ExecutorService stepThreads;
    private final Progress progress;
    private final String id;
    private final ProjectWorkspaces workspaces;
    /** The relay, notice queue and lease checker when this orchestrator has a broker; {@code null} otherwise. */
    private final RemoteDispatch remote;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread beats;
    /** Notified when a served task ends or the orchestrator stops taking work. */
    private final Object serving = new Object();
    /** Another orchestrator took this one's work over: it holds nothing any more. */
    private volatile boolean superseded;
    private volatile boolean interrupted;
    private volatile PlanExecution plan;

    /**
     * @param envOverrides variables set with {@code --env}, already checked against the allow-list
     * @param runBudget dollars this run may spend, or {@code null}
     */
    Orchestration(Workspace workspace, Store store, AgentRunner runner, Map<String, String> envOverrides,
            Double runBudget, boolean quiet) {
        this.shell = workspace.shell();
        this.store = store;
        this.config = workspace.config();
        this.runner = runner;
        this.id = newId();
        this.waiter = new ClockWaiter(shell.clock());
        this.progress = new Progress(shell, quiet);
        this.workspaces = new ProjectWorkspaces(WorkspaceSettings.defaults());
        // Only tasks submitted in an isolated plan run use the workspaces; the others run in their directory.
        Dispatcher.Settings settings = new Dispatcher.Settings(id, workspace.base(), shell.env(), envOverrides,
                runBudget, config.policy().halfLife(), workspaces).withClaims(store);
        // With a broker, workers' agents are routed to and their attempts sent; without, they are kept out.
        this.remote = workspace.amqpUrl() == null ? null : RemoteDispatch.start(workspace.amqpUrl(), store, id,
                config.workers().claimWithin(), RemoteDispatch.topology(shell.env()), shell.clock(), shell.err(),
                this::submitted);
        var routing = workspace.routingService(store);
        if (remote == null) {
            routing = routing.withoutWorkers();
        } else {
            settings = settings.withRemote(remote.remote());
        }
        this.dispatcher = new Dispatcher(routing, store, store, store, runner, waiter, shell.clock(), progress, config,
                settings);
        this.stepThreads = Executors.newCachedThreadPool(Thread.ofPlatform().name("switchboard-step-", 1).daemon()
                .factory());
        // Workflow steps run in the workflow's working directory, one file-changing step at a time: not in workspaces.
        this.workflows = new WorkflowDispatcher(dispatcher, store, store, new LocalWorkingTree(
                WorkspaceSettings.defaults()), HandoffBrief.packet(store, config.execution(), shell.clock()), progress,
                shell.clock(), stepThreads);
        store.registerOrchestrator(new OrchestratorRecord(id, hostName(), ProcessHandle.current().pid(),
                shell.clock().instant(), null));
        store.beatOrchestrator(id, config.workers().staleAfter());
        this.beats = Thread.ofPlatform().daemon().name("switchboard-orchestrator-beat").start(this::beat);
        if (shell.ownsProcess()) {
            handleStopSignals();
        }
    }

    /**
     * Beats every {@code workers.heartbeat}, stamped by the database, so that orchestrators sharing the database can
     * tell this one is alive (by the same window as workers: {@code heartbeat × missed_beats}). A beat refused means
     * another orchestrator took this one's work over (it was silent too long): it stops taking work at once.
     */
    private void beat() {
        boolean failing = false;
        try {
            while (!finished.await(config.workers().heartbeat().toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    if (!store.beatOrchestrator(id, config.workers().staleAfter())) {
                        shell.err().println("switchboard: orchestrator " + id + " was taken over by another after"
                                + " missing its heartbeats; it stops taking work");
                        shell.err().flush();
                        superseded = true;
                        stopTakingWork();
                        return;
                    }
                    failing = false;
                } catch (RuntimeException e) {
                    if (!failing) {
                        shell.err().println("switchboard: a heartbeat failed, trying again: " + e.getMessage());
                        shell.err().flush();
                        failing = true;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Tasks were submitted ('switchboard submit' rang): serving looks for them now, not at its next poll. */
    private void submitted() {
        synchronized (serving) {
            serving.notifyAll();
        }
    }

    /** Stops starting attempts and claiming tasks; running agents go on. */
    private void stopTakingWork() {
        interrupted = true;
        dispatcher.stopTakingWork();
        workflows.stopTakingWork();
        PlanExecution running = plan;
        if (running != null) {
            running.stop();
        }
        waiter.wakeAll();
        synchronized (serving) {
            serving.notifyAll();
        }
    }

    /**
     * Serves the database: claims tasks that are due and that no live orchestrator holds, up to {@code parallel} at a
     * time, and runs each to its end; takes over the attempts of orchestrators that stopped heartbeating (their
     * processes here are stopped, the attempts abandoned, their tasks claimable again). Returns on a stop signal (its
     * claims released for others), or, with {@code untilEmpty}, once no task is left unfinished.
     *
     * @return how many tasks it ran
     */
    int serve(int parallel, boolean untilEmpty, Duration poll) throws InterruptedException {
        java.util.Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
        boolean failing = false;
        // After a failed round, a claim may have committed without this process hearing of it: look for such tasks.
        boolean recheckOwn = false;
        while (!interrupted) {
            try {
                takeOver(store.orphanedAttempts());
                if (recheckOwn) {
                    recheckOwn = serveOwnClaims(parallel, running, ran);
                }
                int free = parallel - running.size();
                if (free > 0) {
                    for (String taskId : store.claimTasks(id, free, shell.clock().instant())) {
                        serveOne(taskId, running, ran);
                    }
                }
                if (untilEmpty && running.isEmpty() && store.unfinishedTasks().isEmpty()) {
                    break;
                }
                if (failing) {
                    shell.err().println("switchboard: the database answers again; serving");
                    failing = false;
                }
            } catch (RuntimeException e) {
                recheckOwn = true;
                if (!failing) {
                    shell.err().println("switchboard: serving failed, trying again: " + e.getMessage());
                    failing = true;
                }
            }
            shell.err().flush();
            synchronized (serving) {
                serving.wait(poll.toMillis());
            }
        }
        // Stopping: the running tasks end as the stop signal's grace allows; then nothing is held for others.
        while (!running.isEmpty()) {
            synchronized (serving) {
                serving.wait(100);
            }
        }
        if (!superseded) {
            store.releaseTasks(id);
        }
        progress.done();
        return ran.get();
    }

    /**
     * Serves the unfinished tasks this orchestrator holds and is not running, oldest first, as far as there is room:
     * after a failed round a claim may have been committed without this process hearing of it, and no other
     * orchestrator takes a task a live one holds. Returns whether any is left for a later round (no room for it, or
     * waiting and not due yet), so that none is forgotten.
     */
    private boolean serveOwnClaims(int parallel, Set<String> running, java.util.concurrent.atomic.AtomicInteger ran) {
        Instant now = shell.clock().instant();
        boolean left = false;
        for (String taskId : store.claimedTasks(id)) {
            if (running.contains(taskId)) {
                continue;
            }
            if (running.size() >= parallel || !due(taskId, now)) {
                left = true;
            } else {
                serveOne(taskId, running, ran);
            }
        }
        return left;
    }

    /** Runs a claimed task to its end on a thread of its own. */
    private void serveOne(String taskId, Set<String> running, java.util.concurrent.atomic.AtomicInteger ran) {
        running.add(taskId);
        progress.expect(List.of(taskId));
        Thread.ofPlatform().name("switchboard-task-" + taskId).start(() -> {
            try {
                runHeld(taskId);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.remove(taskId);
                ran.incrementAndGet();
                synchronized (serving) {
                    serving.notifyAll();
                }
            }
        });
    }

    /** Whether the task is one to run now: queued, or waiting and due. */
    private boolean due(String taskId, Instant now) {
        return store.taskStatus(taskId).map(status -> status.state() == TaskState.QUEUED
                || status.state() == TaskState.WAITING && (status.dueAt() == null || !status.dueAt().isAfter(now)))
                .orElse(false);
    }

    /**
     * Runs a task this orchestrator claimed to its end. When the store fails under it (a lost connection, a restarted
     * database), what became of its attempt is not known here: after a back-off, its own attempts still in flight are
     * abandoned and the task runs on, so a claimed task is never left behind by the thread that held it.
     */
    private void runHeld(String taskId) throws InterruptedException {
        long backoff = 100;
        boolean failing = false;
        while (!interrupted) {
            try {
                // Claimed by this orchestrator just now; after a failure, the claim is taken again (it may have lapsed).
                if (failing) {
                    dispatcher.run(taskId);
                } else {
                    dispatcher.runClaimed(taskId);
                }
                return;
            } catch (RuntimeException e) {
                if (!failing) {
                    shell.err().println("switchboard: " + taskId + ": " + e.getMessage() + "; trying again");
                    shell.err().flush();
                    failing = true;
                }
            }
            Thread.sleep(backoff);
            backoff = Math.min(backoff * 2, 5_000);
            try {
                for (AttemptRecord record : store.attemptRecords(taskId)) {
                    if (record.attempt().state().inFlight() && id.equals(record.orchestratorId())) {
                        dispatcher.abandon(record, "its orchestrator lost track of it when the database failed");
                    }
                }
            } catch (RuntimeException stillFailing) {
                // The store is still unavailable: the next round tries again.
            }
        }
    }

    /**
     * Takes over attempts whose orchestrator stopped heartbeating: that orchestrator is recorded ended (so its beats
     * are refused and it stops, should it come back), its agent processes on this machine are stopped, and each
     * attempt is abandoned as {@code resume} does.
     */
    private void takeOver(List<AttemptRecord> orphans) {
        Set<String> ended = new HashSet<>();
        for (AttemptRecord record : orphans) {
            String owner = record.orchestratorId();
            if (owner == null || owner.equals(id)) {
                continue;
            }
            if (ended.add(owner)) {
                store.endOrchestrator(owner, shell.clock().instant());
                int stopped = runner.sweep(owner + ":");
                shell.err().println("switchboard: orchestrator " + owner + " stopped heartbeating; taking over its"
                        + " work" + (stopped > 0 ? " (stopped " + stopped + " of its agent processes here)" : ""));
            }
            dispatcher.abandon(record, "the orchestrator that ran it (" + owner + ") stopped heartbeating");
        }
    }

    boolean interrupted() {
        return interrupted;
    }

    /** The tasks a person handed off while this run had them, which it left to the handoff. */
    Set<String> handedOff() {
        return progress.handedOff();
    }

    /** The id this orchestrator is registered under. */
    String id() {
        return id;
    }

    WorkflowDispatcher workflows() {
        return workflows;
    }

    /**
     * Runs (or continues) a workflow run, recorded as this orchestrator's, until it ends or a stop signal stops
     * it.
     */
    WorkflowDispatcher.Result runWorkflow(String runId) {
        store.claimRun(runId, id, shell.clock().instant());
        WorkflowDispatcher.Result result = workflows.run(runId);
        if (result.stopped()) {
            interrupted = true;
        }
        progress.done();
        return result;
    }

    /**
     * The orchestrator that runs this workflow run now, when it is another one that is still alive (so resume
     * leaves the run alone); empty otherwise.
     */
    Optional<OrchestratorRecord> runningElsewhere(WorkflowRun run) {
        String owner = run.orchestratorId();
        if (owner == null || owner.equals(id)) {
            return Optional.empty();
        }
        return store.orchestrator(owner).filter(Orchestration::alive);
    }

    /**
     * Runs the tasks one after another, in the order given. A task whose dependency (among these tasks) did not
     * succeed is cancelled with that reason instead of run.
     *
     * @param dependencies per task id, the ids it depends on; those that are not among the tasks are passed over
     * @param takeUpHandoffs whether a task someone handed off is run on the agent it was handed to (resume,
     *     handoff); otherwise it is left to the handoff
     * @return each task's state as the run leaves it, in the order given; tasks never started are absent
     */
    Map<String, TaskState> runAll(List<String> taskIds, Map<String, List<String>> dependencies,
            boolean takeUpHandoffs) {
        Set<String> here = new HashSet<>(taskIds);
        List<PlanTask> tasks = taskIds.stream().map(id -> PlanTask.resolved(id, dependencies.getOrDefault(id,
                List.of()).stream().filter(here::contains).toList(), List.of())).toList();
        PlanGraph graph = PlanGraph.of(tasks, dependency -> Optional.empty());
        return execute(graph, 1, Map.of(), false, takeUpHandoffs).states();
    }

    /**
     * Runs a plan's tasks, up to {@code parallel} at once, each on a thread of its own, as {@link PlanExecution}
     * says. A task whose dependency did not succeed is cancelled with that reason instead of run.
     *
     * @param settled tasks of the plan that do not run: ended before, run by another orchestrator, or handed off
     * @param takeUpHandoffs whether a task someone handed off is run on the agent it was handed to (resume)
     * @return the tasks not started because a task they wait for stopped unfinished (interrupted, run elsewhere, or
     *     handed off)
     */
    List<String> runPlan(PlanGraph graph, int parallel, Map<String, TaskState> settled, boolean takeUpHandoffs) {
        return execute(graph, parallel, settled, true, takeUpHandoffs).held();
    }

    private record Executed(Map<String, TaskState> states, List<String> held) {
    }

    private Executed execute(PlanGraph graph, int parallel, Map<String, TaskState> settled, boolean plan,
            boolean takeUpHandoffs) {
        if (plan) {
            progress.expectPlan(graph.order());
        } else {
            progress.expect(graph.order());
        }
        PlanExecution execution = new PlanExecution(graph, parallel, dispatcher, takeUpHandoffs, store, shell.clock(),
                progress, Thread.ofPlatform().name("switchboard-task-", 1).factory());
        this.plan = execution;
        if (interrupted) {
            execution.stop();
        }
        try {
            return new Executed(execution.run(settled), execution.held());
        } finally {
            progress.done();
        }
    }

    /** The workspaces of this orchestrator's attempts, for telling where a plan's tasks will run. */
    ProjectWorkspaces workspaces() {
        return workspaces;
    }

    /**
     * Settles the in-flight attempts of orchestrators that are gone: their surviving agent processes are
     * stopped, the attempts become ABANDONED, and their tasks follow the recovery rules.
     *
     * @return per dead orchestrator id, how many of its processes were stopped; and the tasks left to live ones
     */
    Settled settleAbandoned() {
        return settleAbandoned(store.inFlightAttempts());
    }

    /** {@link #settleAbandoned()} for these in-flight attempts only. */
    Settled settleAbandoned(List<AttemptRecord> inFlight) {
        Map<String, Integer> swept = new LinkedHashMap<>();
        List<String> leftToLive = new ArrayList<>();
        List<String> abandoned = new ArrayList<>();
        for (AttemptRecord record : inFlight) {
            String owner = record.orchestratorId();
            if (owner != null && owner.equals(id)) {
                continue;
            }
            OrchestratorRecord orchestrator = owner == null ? null : store.orchestrator(owner).orElse(null);
            if (orchestrator != null && alive(orchestrator)) {
                leftToLive.add(record.attempt().taskId() + " (orchestrator pid " + orchestrator.pid() + ")");
                continue;
            }
            if (owner != null && !swept.containsKey(owner)) {
                swept.put(owner, runner.sweep(owner + ":"));
                store.endOrchestrator(owner, shell.clock().instant());
            }
            if (dispatcher.abandon(record, "the orchestrator that ran it (" + (owner == null ? "unknown" : owner)
                    + ") is gone")) {
                abandoned.add(record.attempt().taskId() + " attempt " + record.attempt().number());
            }
        }
        return new Settled(swept, abandoned, leftToLive);
    }

    record Settled(Map<String, Integer> swept, List<String> abandoned, List<String> leftToLive) {
    }

    /** Whether the orchestrator's process still runs: same host, same pid, started when it registered. */
    static boolean alive(OrchestratorRecord orchestrator) {
        if (orchestrator.endedAt() != null) {
            return false;
        }
        if (!orchestrator.host().equals(hostName())) {
            // Another machine's orchestrator cannot be checked from here; leave its work alone.
            return true;
        }
        return ProcessHandle.of(orchestrator.pid())
                .filter(ProcessHandle::isAlive)
                .flatMap(process -> process.info().startInstant())
                .map(started -> Duration.between(started, orchestrator.startedAt()).abs()
                        .compareTo(Duration.ofMinutes(1)) < 0)
                .orElse(false);
    }

    /**
     * SIGTERM and Ctrl-C stop the run cleanly instead of ending the JVM at once: the JVM's own handling would run
     * shutdown hooks while the main thread still records outcomes, and exit with 128 + the signal. A second
     * signal stops the running agents without waiting for the grace period.
     */
    @SuppressWarnings("sunapi")
    private void handleStopSignals() {
        sun.misc.SignalHandler handler = signal -> Thread.ofPlatform().daemon().name("switchboard-stop")
                .start(this::stopOnSignal);
        for (String name : List.of("TERM", "INT")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), handler);
            } catch (IllegalArgumentException unavailable) {
                // This platform has no such signal, or the JVM reserves it: its default handling stays.
            }
        }
    }

    /** Stop taking work, give running agents the grace period, then stop them; the main thread records it all. */
    private void stopOnSignal() {
        if (interrupted) {
            dispatcher.stopRunning();
            return;
        }
        stopTakingWork();
        shell.err().println("switchboard: stopping: no new attempts; running agents get "
                + io.switchboard.core.config.RetryPolicy.text(config.execution().grace()) + " to finish");
        shell.err().flush();
        long deadline = System.nanoTime() + config.execution().grace().toNanos();
        try {
            while (dispatcher.runningCount() > 0 && System.nanoTime() < deadline) {
                if (finished.await(100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
            dispatcher.stopRunning();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        finished.countDown();
        beats.interrupt();
        stepThreads.shutdownNow();
        if (remote != null) {
            remote.close();
        }
        store.endOrchestrator(id, shell.clock().instant());
    }

    private static String newId() {
        return "o-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Waits on the real clock until a due time, and can be woken by a shutdown. */
    static final class ClockWaiter implements io.switchboard.core.port.Waiter {
        private final java.time.InstantSource clock;
        private boolean woken;

        ClockWaiter(java.time.InstantSource clock) {
            this.clock = clock;
        }

        @Override
        public synchronized void until(Instant due) throws InterruptedException {
            long millis = Duration.between(clock.instant(), due).toMillis();
            if (millis > 0 && !woken) {
                wait(millis);
            }
        }

        synchronized void wakeAll() {
            woken = true;
            notifyAll();
        }
    }

    static Path absolute(Path base, Path path) {
        return base.resolve(path).toAbsolutePath().normalize();
    }
}
