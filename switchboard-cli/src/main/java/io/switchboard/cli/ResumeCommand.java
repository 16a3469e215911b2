package io.switchboard.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.plan.InvalidPlanException;
import io.switchboard.core.plan.PlanGraph;
import io.switchboard.core.plan.PlanTask;
import io.switchboard.core.task.PlanRun;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskStatus;
import io.switchboard.core.workflow.WorkflowDispatcher;
import io.switchboard.core.workflow.WorkflowRun;
import io.switchboard.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code switchboard resume}: continues after an orchestrator was killed. The attempts it left in flight become
 * ABANDONED and the agent processes still carrying their markers are stopped; then every unfinished task runs
 * on, from the store alone, and every unfinished workflow run continues where it stopped (a step whose output was
 * committed is not run again; a step that was running runs again as a new attempt). A task that ended is not run
 * again; a task whose attempt was running gets a new attempt. Tasks of a plan run keep its rules: what each waits
 * for, its declared files, its workspaces, and as many at once as the run had (or {@code --parallel}). A handoff
 * whose asker stopped waiting is carried out here.
 */
@Command(name = "resume", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Continue unfinished tasks and workflow runs after Switchboard was stopped or killed.",
            "Attempts of orchestrators that are gone become abandoned; their agents still running are stopped."},
        footer = {"", "Exit codes: 0 every resumed task and workflow run succeeded (or there was nothing to do), 5 "
                + "database unavailable, 6 a task or workflow run failed, 130 stopped again."})
final class ResumeCommand implements Callable<Integer> {
    @ParentCommand
    SwitchboardCommand root;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Option(names = "--env", paramLabel = "NAME=VALUE",
            description = "Give agents this variable again (values set with --env are never stored).")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--parallel", paramLabel = "N",
            description = "Run up to N tasks at once (default: as many as the plan run they belong to had, else 1).")
    Integer parallel;

    /** The unfinished tasks as one plan, with the tasks they wait for that are not run again, settled. */
    private record Resumed(PlanGraph graph, Map<String, TaskState> settled, int parallel) {
    }

    @Override
    public Integer call() {
        if (parallel != null && (parallel < 1 || parallel > OrchestrateCommand.MOST_PARALLEL)) {
            throw CliException.usage("--parallel must be from 1 to " + OrchestrateCommand.MOST_PARALLEL + ", was "
                    + parallel);
        }
        Workspace workspace = root.workspace();
        SwitchboardConfig config = workspace.config();
        Store store = workspace.syncedStore();
        try (Orchestration orchestration = new Orchestration(workspace, store,
                Runners.local(config, root.shell().err()), env, null, json)) {
            Orchestration.Settled settled = orchestration.settleAbandoned();
            var err = root.shell().err();
            settled.swept().forEach((owner, count) -> err.println("switchboard: orchestrator " + owner
                    + " is gone; stopped " + count + " of its agent processes still running"));
            settled.abandoned().forEach(attempt -> err.println("switchboard: abandoned " + attempt));
            settled.leftToLive().forEach(task -> err.println("switchboard: left alone, still running: " + task));

            List<Task> tasks = new ArrayList<>();
            for (String taskId : store.unfinishedTasks()) {
                TaskStatus status = store.taskStatus(taskId).orElseThrow();
                // A workflow step's task is continued by its workflow run, below.
                if (status.state() == TaskState.RUNNING || store.stepOfTask(taskId).isPresent()) {
                    continue;
                }
                store.loadTask(taskId).ifPresentOrElse(tasks::add, () -> err.println("switchboard: " + taskId
                        + " was stored by an older version without its text; run it again with orchestrate"));
            }
            List<WorkflowRun> runs = new ArrayList<>();
            for (String runId : store.unfinishedRuns()) {
                WorkflowRun run = store.workflowRun(runId).orElseThrow();
                orchestration.runningElsewhere(run).ifPresentOrElse(owner -> err.println("switchboard: left alone,"
                        + " still running: workflow run " + runId + " (orchestrator pid " + owner.pid() + ")"),
                        () -> runs.add(run));
            }
            if (tasks.isEmpty() && runs.isEmpty()) {
                root.shell().out().println("Nothing to resume: every task and workflow run has ended.");
                return ExitCodes.OK;
            }
            List<String> ids = List.of();
            if (!tasks.isEmpty()) {
                Resumed resumed = plan(store, tasks);
                int n = parallel != null ? parallel : resumed.parallel();
                // A handoff its asker stopped waiting for is carried out here.
                List<String> held = orchestration.runPlan(resumed.graph(), n, resumed.settled(), true);
                held.forEach(id -> err.println("switchboard: " + id + " was not started: a task it waits for did not "
                        + "finish"));
                ids = resumed.graph().order().stream().filter(id -> !resumed.settled().containsKey(id)).toList();
            }
            List<WorkflowDispatcher.Result> results = new ArrayList<>();
            for (WorkflowRun run : runs) {
                if (!orchestration.interrupted()) {
                    results.add(orchestration.runWorkflow(run.id()));
                }
            }
            print(store, ids, results, orchestration.interrupted());
            if (orchestration.interrupted()) {
                return ExitCodes.INTERRUPTED;
            }
            boolean allSucceeded = ids.stream().allMatch(id -> store.taskStatus(id)
                    .map(status -> status.state() == TaskState.SUCCEEDED).orElse(false))
                    && results.stream().allMatch(result -> WorkflowRuns.exitCode(result) == ExitCodes.OK);
            return allSucceeded ? ExitCodes.OK : ExitCodes.TASK_FAILED;
        }
    }

    /**
     * The tasks to resume as one plan. A task of a plan run waits for what it waited for in that run (kept with it);
     * one of those not resumed (ended, or run by a live orchestrator) is settled as it is, so a success lets it run,
     * another end skips it, and a task still running elsewhere holds it. A task run on its own waits only for its
     * dependencies among the tasks resumed, as when it was first run.
     */
    private static Resumed plan(Store store, List<Task> tasks) {
        Set<String> resumed = new LinkedHashSet<>();
        tasks.forEach(task -> resumed.add(task.id()));
        List<PlanTask> planTasks = new ArrayList<>();
        Map<String, TaskState> settled = new LinkedHashMap<>();
        int parallel = 1;
        for (Task task : tasks) {
            PlanRun run = store.taskOptions(task.id()).map(TaskOptions::planRun).orElse(null);
            List<String> dependencies;
            if (run == null) {
                dependencies = task.dependencies().stream().filter(resumed::contains).toList();
            } else {
                dependencies = run.dependencies();
                parallel = Math.max(parallel, run.parallel());
                for (String dependency : dependencies) {
                    if (!resumed.contains(dependency) && !settled.containsKey(dependency)) {
                        store.taskStatus(dependency).ifPresent(status -> settled.put(dependency, status.state()));
                    }
                }
            }
            planTasks.add(PlanTask.resolved(task.id(), dependencies, task.files()));
        }
        settled.keySet().forEach(id -> planTasks.add(PlanTask.resolved(id, List.of(), List.of())));
        try {
            return new Resumed(PlanGraph.of(planTasks, dependency -> Optional.of("is not stored")), settled,
                    parallel);
        } catch (InvalidPlanException e) {
            throw CliException.usage("the unfinished tasks cannot be resumed: " + e.getMessage());
        }
    }

    /** The tasks' summary, then each workflow run's; with {@code --json} one document holding both. */
    private void print(Store store, List<String> ids, List<WorkflowDispatcher.Result> results, boolean interrupted) {
        Shell shell = root.shell();
        if (json) {
            ObjectNode document = Summary.json(store, ids, interrupted);
            ArrayNode workflows = document.putArray("workflows");
            results.forEach(result -> workflows.add(WorkflowSummary.json(store, result)));
            shell.out().println(Json.write(document));
            return;
        }
        if (!ids.isEmpty()) {
            Summary.print(shell, store, ids, false, interrupted);
        }
        for (WorkflowDispatcher.Result result : results) {
            if (!ids.isEmpty() || results.indexOf(result) > 0) {
                shell.out().println();
            }
            WorkflowSummary.print(shell, store, List.of(result), false);
        }
    }
}
