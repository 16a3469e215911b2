package io.switchboard.cli;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.workflow.Workflow;
import io.switchboard.store.Store;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code switchboard workflow}: workflows, which chain agents step by step (docs/workflows.md). */
@Command(name = "workflow", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Run workflows: steps for agents, outputs passed on, reviews that loop until approved.",
        subcommands = WorkflowCommand.Run.class)
final class WorkflowCommand implements Runnable {
    @ParentCommand
    SwitchboardCommand root;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(root.shell().out());
    }

    /** {@code switchboard workflow run FILE}: one run of a workflow, every step a task for the dispatcher. */
    @Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Run a workflow: a workflow file, a built-in workflow (plan-implement-review), or NAME.yaml",
                "in workflows/ or .switchboard/workflows/. Progress goes to stderr, the summary to stdout.",
                "A bad workflow is refused before any agent runs, naming its file, line and key."},
            footer = {"", "Exit codes: 0 the workflow succeeded, 2 bad usage, workflow file or input,",
                "4 unknown workflow or agent, 5 database unavailable, 6 a step failed or a review loop reached",
                "max_iterations without approval, 130 stopped by SIGTERM or Ctrl-C (run 'switchboard resume')."})
    static final class Run implements Callable<Integer> {
        @ParentCommand
        WorkflowCommand parent;

        @Parameters(index = "0", paramLabel = "FILE", description = "The workflow: a file, or a workflow's name.")
        String file;

        @Option(names = "--input", paramLabel = "KEY=VALUE",
                description = "A value for one of the workflow's inputs (repeatable); inputs without a default must"
                        + " be given.")
        Map<String, String> inputs = new LinkedHashMap<>();

        @Option(names = "--dry-run",
                description = "Show each step's routing decision and the prompt it would receive; run and write"
                        + " nothing.")
        boolean dryRun;

        @Option(names = "--json", description = "Print the summary (or the dry run) as JSON.")
        boolean json;

        @Mixin
        RunSettings settings = new RunSettings();

        @Override
        public Integer call() {
            Workspace workspace = parent.root.workspace();
            SwitchboardConfig config = workspace.config();
            Store agentsStore = dryRun ? workspace.readOnlyStore() : workspace.store();
            Workflow workflow = WorkflowRuns.load(workspace, file, WorkflowRuns.agentNames(config, agentsStore));
            Map<String, String> values = WorkflowRuns.inputs(workflow, inputs);
            settings.check(workspace, config, agentsStore, workflow);
            TaskOptions options = settings.taskOptions(workspace, workspace.shell().clock().instant());
            if (dryRun) {
                WorkflowRuns.printDryRun(workspace.shell(), workflow, values,
                        WorkflowRuns.dryRun(workspace, workflow, values, options, null, workflow.name()), json);
                return ExitCodes.OK;
            }
            return WorkflowRuns.run(workspace, workspace.syncedStore(), workflow, values, options, null,
                    workflow.name(), settings, json);
        }
    }
}
