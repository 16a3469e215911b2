package io.switchboard.cli;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.plan.InvalidPlanException;
import io.switchboard.core.plan.PlanGraph;
import io.switchboard.core.plan.PlanTask;
import io.switchboard.core.task.PlanRun;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskStatus;
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
 * on, from the store alone. A task that ended is not run again; a task whose attempt was running gets a new attempt.
 * Tasks of a plan run keep its rules: what each waits for, its declared files, its workspaces, and as many at once
 * as the run had (or {@code --parallel}).
 */
@Command(name = "resume", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Continue unfinished tasks after Switchboard was stopped or killed.",
            "Attempts of orchestrators that are gone become abandoned; their agents still running are stopped."},
        footer = {"", "Exit codes: 0 every resumed task succeeded (or there was nothing to do), 5 database "
                + "unavailable, 6 a task failed, 130 stopped again."})
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
        try (Orchestration orchestration = new Orchestration(workspace, store, Runners.local(config), env, null,
                json)) {
            Orchestration.Settled settled = orchestration.settleAbandoned();
            var err = root.shell().err();
            settled.swept().forEach((owner, count) -> err.println("switchboard: orchestrator " + owner
                    + " is gone; stopped " + count + " of its agent processes still running"));
            settled.abandoned().forEach(attempt -> err.println("switchboard: abandoned " + attempt));
            settled.leftToLive().forEach(task -> err.println("switchboard: left alone, still running: " + task));

            List<Task> tasks = new ArrayList<>();
            for (String taskId : store.unfinishedTasks()) {
                TaskStatus status = store.taskStatus(taskId).orElseThrow();
                if (status.state() == TaskState.RUNNING) {
                    continue;
                }
                store.loadTask(taskId).ifPresentOrElse(tasks::add, () -> err.println("switchboard: " + taskId
                        + " was stored by an older version without its text; run it again with orchestrate"));
            }
            if (tasks.isEmpty()) {
                root.shell().out().println("Nothing to resume: every task has ended.");
                return ExitCodes.OK;
            }
            Resumed resumed = plan(store, tasks);
            int n = parallel != null ? parallel : resumed.parallel();
            List<String> held = orchestration.runPlan(resumed.graph(), n, resumed.settled());
            held.forEach(id -> err.println("switchboard: " + id + " was not started: a task it waits for did not "
                    + "finish"));
            List<String> ids = resumed.graph().order().stream().filter(id -> !resumed.settled().containsKey(id))
                    .toList();
            Summary.print(root.shell(), store, ids, json, orchestration.interrupted());
            if (orchestration.interrupted()) {
                return ExitCodes.INTERRUPTED;
            }
            boolean allSucceeded = ids.stream().allMatch(id -> store.taskStatus(id)
                    .map(status -> status.state() == TaskState.SUCCEEDED).orElse(false));
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
}
