package io.switchboard.cli;

import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.config.RetryPolicy;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.handoff.AttemptRelease;
import io.switchboard.core.port.AgentRunner;
import io.switchboard.core.routing.Exclusion;
import io.switchboard.core.routing.ExclusionReason;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.routing.RoutingRequest;
import io.switchboard.core.task.Handoff;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskStatus;
import io.switchboard.store.Store;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code switchboard handoff TASK --to AGENT}: moves a task to one agent, with a packet of what was done and what
 * failed. A task that failed or was cancelled is queued again; a running one is stopped first. Its orchestrator, when
 * gone, is settled as {@code resume} settles it; when alive, it is asked through the store to let the task go (the
 * handoff is recorded, the attempt's processes stopped by their marker, and that orchestrator records the attempt
 * cancelled and leaves the task), and this command waits for it. Then the task runs here, on AGENT only.
 */
@Command(name = "handoff", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Move a task to another agent, with a packet of what was done, what failed and why.",
            "A failed or cancelled task is queued again; a running one is stopped first. It then runs on AGENT only."},
        footer = {"", "Exit codes: 0 the task succeeded on AGENT, 2 bad usage, or a task that already succeeded,",
            "3 AGENT cannot take the task, 4 unknown task id or agent, 5 database unavailable, 6 the task failed on",
            "AGENT, 7 the orchestrator running the task did not let it go within --wait (the handoff stands;",
            "'switchboard resume' carries it out), 130 stopped by SIGTERM or Ctrl-C."})
final class HandoffCommand implements Callable<Integer> {
    /** How long an orchestrator running the task is given to let it go, unless {@code --wait} says otherwise. */
    static final String DEFAULT_WAIT = "60s";

    @ParentCommand
    SwitchboardCommand root;

    @Parameters(paramLabel = "TASK", description = "The id of a task Switchboard has run, or runs now.")
    String taskId;

    @Option(names = "--to", required = true, paramLabel = "AGENT",
            description = "The agent to hand the task to; no other agent may take it.")
    String to;

    @Option(names = "--note", paramLabel = "TEXT",
            description = "Passed on to AGENT in the packet, under open questions.")
    String note = "";

    @Option(names = "--wait", paramLabel = "DURATION", converter = OrchestrateCommand.DurationConverter.class,
            defaultValue = DEFAULT_WAIT,
            description = "How long the orchestrator running the task has to let it go (default ${DEFAULT-VALUE}).")
    Duration wait;

    @Option(names = "--env", paramLabel = "NAME=VALUE",
            description = "Give the agent this variable (NAME must be on the allow-list); never stored.")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Override
    public Integer call() {
        OrchestrateCommand.limit("--wait", wait);
        Workspace workspace = root.workspace();
        SwitchboardConfig config = workspace.config();
        OrchestrateCommand.checkEnv(config, env);
        Store store = workspace.syncedStore();
        TaskStatus status = store.taskStatus(taskId).orElseThrow(() -> CliException.notFound("no task '" + taskId
                + "' is stored; a task is stored when it is first routed or run"));
        if (status.state() == TaskState.SUCCEEDED) {
            throw succeeded(status.reason());
        }
        Task task = store.loadTask(taskId).orElseThrow(() -> CliException.usage(taskId + " was stored by an older "
                + "version without its text; run it again with orchestrate"));
        RegisteredAgent agent = store.find(to).orElseThrow(() -> CliException.notFound("unknown agent '" + to
                + "'; known agents: " + String.join(", ", store.agents().stream().map(RegisteredAgent::name)
                        .sorted().toList())));
        checkUsable(workspace, store, task, agent);

        PrintWriter err = root.shell().err();
        AgentRunner runner = Runners.local(config, err);
        try (Orchestration orchestration = new Orchestration(workspace, store, runner, env, null, json)) {
            settleIfItsOrchestratorIsGone(orchestration, store, err);
            Handoff handoff = Handoff.requested(to, note,
                    root.shell().clock().instant().truncatedTo(ChronoUnit.MILLIS));
            Optional<AttemptRecord> running;
            try {
                running = store.requestHandoff(taskId, handoff);
            } catch (IllegalStateException e) {
                // It succeeded in the meantime.
                throw CliException.usage(e.getMessage());
            }
            if (running.isPresent() && !letGo(store, runner, running.get(), err)) {
                throw new CliException(ExitCodes.HELD, "the orchestrator running " + taskId + " ("
                        + running.get().orchestratorId() + ") did not record the end of attempt "
                        + running.get().attempt().number() + " within " + RetryPolicy.text(wait) + "; the handoff to "
                        + to + " stands, and 'switchboard resume' carries it out once that orchestrator is gone");
            }
            TaskStatus now = store.taskStatus(taskId).orElseThrow();
            if (now.state() == TaskState.SUCCEEDED) {
                store.withdrawHandoff(taskId, handoff);
                throw succeeded(now.reason() + ", before the handoff took effect; nothing was handed off");
            }
            err.println("switchboard: " + taskId + " is " + handoff.reason());
            orchestration.runAll(List.of(taskId), Map.of(), true);
            Summary.print(root.shell(), store, List.of(taskId), json, orchestration.interrupted());
            if (orchestration.interrupted()) {
                return ExitCodes.INTERRUPTED;
            }
            return store.taskStatus(taskId).map(s -> s.state() == TaskState.SUCCEEDED).orElse(false) ? ExitCodes.OK
                    : ExitCodes.TASK_FAILED;
        }
    }

    private CliException succeeded(String reason) {
        return CliException.usage(taskId + " has succeeded (" + reason + "); a task that succeeded is not handed off "
                + "('orchestrate --again' runs it once more)");
    }

    /**
     * The agent must be able to take the task now: it is asked as routing would ask it, with the task handed off to
     * it, writing nothing. Being at its max concurrency is no reason to refuse: the task waits for it.
     */
    private void checkUsable(Workspace workspace, Store store, Task task, RegisteredAgent agent) {
        TaskOptions options = store.taskOptions(taskId).orElse(TaskOptions.DEFAULTS);
        int next = store.attempts(taskId).size() + 1;
        RoutingRequest request = new RoutingRequest(task, next, Set.of(), options.excluded(), options.prefer(),
                options.maxCost(), null, options.placement().handedOffTo(agent.name(), next));
        RoutingDecision preview = workspace.routingService(store).preview(request, store.agents());
        for (Exclusion exclusion : preview.exclusions()) {
            if (exclusion.agent().equals(agent.name()) && exclusion.reason() != ExclusionReason.AT_MAX_CONCURRENCY) {
                throw new CliException(ExitCodes.NO_AGENT, to + " cannot take " + taskId + ": " + exclusion.detail());
            }
        }
    }

    /** An attempt of the task still in flight whose orchestrator is gone is settled as {@code resume} settles it. */
    private void settleIfItsOrchestratorIsGone(Orchestration orchestration, Store store, PrintWriter err) {
        List<AttemptRecord> inFlight = store.attemptRecords(taskId).stream()
                .filter(record -> record.attempt().state().inFlight()).toList();
        if (inFlight.isEmpty()) {
            return;
        }
        Orchestration.Settled settled = orchestration.settleAbandoned(inFlight);
        settled.swept().forEach((owner, count) -> err.println("switchboard: orchestrator " + owner
                + " is gone; stopped " + count + " of its agent processes still running"));
        settled.abandoned().forEach(attempt -> err.println("switchboard: abandoned " + attempt));
    }

    /** Stops an attempt a live orchestrator runs, and waits for that orchestrator to record its end. */
    private boolean letGo(Store store, AgentRunner runner, AttemptRecord attempt, PrintWriter err) {
        err.println("switchboard: stopping " + taskId + " attempt " + attempt.attempt().number() + " on "
                + attempt.attempt().agentName() + " (orchestrator " + attempt.orchestratorId() + "); waiting up to "
                + RetryPolicy.text(wait) + " for it to let the task go");
        err.flush();
        var clock = root.shell().clock();
        try {
            return new AttemptRelease(store, runner, new Orchestration.ClockWaiter(clock), clock)
                    .stopAndAwait(attempt, wait, AttemptRelease.DEFAULT_POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.INTERRUPTED, "stopped while waiting for " + taskId + " to be let go; "
                    + "the handoff to " + to + " stands, and 'switchboard resume' carries it out");
        }
    }
}
