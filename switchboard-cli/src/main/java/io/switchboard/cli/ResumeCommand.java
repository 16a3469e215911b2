package io.switchboard.cli;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskStatus;
import io.switchboard.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code switchboard resume}: continues after an orchestrator was killed. The attempts it left in flight become
 * ABANDONED and the agent processes still carrying their markers are stopped; then every unfinished task runs
 * on, from the store alone.
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

    @Override
    public Integer call() {
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
            Map<String, List<String>> dependencies = new LinkedHashMap<>();
            List<Task> ordered = OrchestrateCommand.inDependencyOrder(tasks, dependencies);
            List<String> ids = ordered.stream().map(Task::id).toList();
            // A handoff its asker stopped waiting for is carried out here.
            orchestration.runAll(ids, dependencies, true);
            Summary.print(root.shell(), store, ids, json, orchestration.interrupted());
            if (orchestration.interrupted()) {
                return ExitCodes.INTERRUPTED;
            }
            boolean allSucceeded = ids.stream().allMatch(id -> store.taskStatus(id)
                    .map(status -> status.state() == TaskState.SUCCEEDED).orElse(false));
            return allSucceeded ? ExitCodes.OK : ExitCodes.TASK_FAILED;
        }
    }
}
