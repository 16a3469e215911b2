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
    private final CountDownLatch finished = new CountDownLatch(1);
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
        this.dispatcher = new Dispatcher(workspace.routingService(store), store, store, store, runner, waiter,
                shell.clock(), progress, config, new Dispatcher.Settings(id, workspace.base(), shell.env(),
                        envOverrides, runBudget, config.policy().halfLife(), workspaces));
        this.stepThreads = Executors.newCachedThreadPool(Thread.ofPlatform().name("switchboard-step-", 1).daemon()
                .factory());
        // Workflow steps run in the workflow's working directory, one file-changing step at a time: not in workspaces.
        this.workflows = new WorkflowDispatcher(dispatcher, store, store, new LocalWorkingTree(
                WorkspaceSettings.defaults()), HandoffBrief.packet(store, config.execution(), shell.clock()), progress,
                shell.clock(), stepThreads);
        store.registerOrchestrator(new OrchestratorRecord(id, hostName(), ProcessHandle.current().pid(),
                shell.clock().instant(), null));
        if (shell.ownsProcess()) {
            handleStopSignals();
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
        interrupted = true;
        dispatcher.stopTakingWork();
        workflows.stopTakingWork();
        PlanExecution running = plan;
        if (running != null) {
            running.stop();
        }
        waiter.wakeAll();
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
        stepThreads.shutdownNow();
        store.endOrchestrator(id, shell.clock().instant());
        finished.countDown();
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
