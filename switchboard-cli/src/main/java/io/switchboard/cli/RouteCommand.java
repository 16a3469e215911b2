package io.switchboard.cli;

import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.routing.RoutingRequest;
import io.switchboard.core.routing.RoutingService;
import io.switchboard.core.task.Task;
import io.switchboard.input.task.PromptTask;
import io.switchboard.input.task.TaskFiles;
import io.switchboard.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code switchboard route}: picks an agent for a task and records the decision, without running anything.
 * With {@code --dry-run} it writes nothing at all.
 */
@Command(name = "route", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Pick the agent for a task and record why (nothing is run).",
            "With --dry-run nothing is written either."},
        footer = {"", "Exit codes: 0 an agent was chosen for every task, 2 bad usage or input, 3 no agent can take "
                + "a task, 4 unknown task id or agent, 5 database unavailable."})
final class RouteCommand implements Callable<Integer> {
    @ParentCommand
    SwitchboardCommand root;

    @Mixin
    RouteOptions options = new RouteOptions();

    @Option(names = "--dry-run", description = "Decide and explain, but write nothing (no task, no decision, no sync).")
    boolean dryRun;

    @Override
    public Integer call() {
        return route(root, options, dryRun);
    }

    /** Routes every task the options name; the exit code is {@link ExitCodes#NO_AGENT} if any found none. */
    static int route(SwitchboardCommand root, RouteOptions options, boolean dryRun) {
        Workspace workspace = root.workspace();
        SwitchboardConfig config = workspace.config();
        List<Task> tasks = tasks(workspace, config, options);
        validateAgentNames(config, options, workspace, dryRun);

        List<RoutedTask> routed = new ArrayList<>();
        if (dryRun) {
            Store store = workspace.readOnlyStore();
            List<RegisteredAgent> agents = workspace.previewAgents(store);
            RoutingService service = workspace.routingService(store);
            for (Task task : tasks) {
                routed.add(new RoutedTask(task, null, service.preview(request(task, options, config), agents)));
            }
        } else {
            Store store = workspace.syncedStore();
            RoutingService service = workspace.routingService(store);
            for (Task task : tasks) {
                RoutingService.Recorded recorded = service.route(request(task, options, config));
                routed.add(new RoutedTask(task, recorded.id(), recorded.decision()));
            }
        }
        print(root.shell(), options, routed, dryRun);
        return routed.stream().allMatch(r -> r.decision().chosen().isPresent()) ? ExitCodes.OK : ExitCodes.NO_AGENT;
    }

    record RoutedTask(Task task, Long decisionId, RoutingDecision decision) {
    }

    static List<Task> tasks(Workspace workspace, SwitchboardConfig config, RouteOptions options) {
        RouteOptions.Source source = options.source;
        if (options.plan != null) {
            return plan(workspace, config, options).tasks();
        }
        if (source == null) {
            throw CliException.usage("say which tasks: --task ID, --file FILE, --prompt TEXT or --plan NAME");
        }
        if (source.prompt != null) {
            return List.of(PromptTask.from(source.prompt));
        }
        if (source.file != null) {
            Path file = workspace.base().resolve(source.file);
            return TaskFiles.read(file, source.file.toString());
        }
        List<Path> folders = config.taskFolders().stream().map(workspace.base()::resolve).toList();
        return List.of(TaskFiles.findById(source.taskId, folders));
    }

    /** The tasks of the plan {@code --plan} names, read from the task folders or {@code --file}. */
    static PlanSelection plan(Workspace workspace, SwitchboardConfig config, RouteOptions options) {
        RouteOptions.Source source = options.source;
        if (source != null && (source.taskId != null || source.prompt != null)) {
            throw CliException.usage("--plan takes the plan's tasks from the task folders, or from --file; it "
                    + "does not go with " + (source.taskId != null ? "--task" : "--prompt"));
        }
        return PlanSelection.of(workspace, config, options.plan, source == null ? null : source.file);
    }

    static void validateAgentNames(SwitchboardConfig config, RouteOptions options, Workspace workspace,
            boolean dryRun) {
        if (options.maxCost != null && !(options.maxCost >= 0)) {
            throw CliException.usage("--max-cost must be zero or more, was " + options.maxCost);
        }
        Set<String> known = new HashSet<>();
        config.agents().forEach(agent -> known.add(agent.name()));
        Store store = dryRun ? workspace.readOnlyStore() : workspace.store();
        store.agents().forEach(agent -> known.add(agent.name()));
        List<String> named = new ArrayList<>(options.exclude);
        if (options.prefer != null) {
            named.add(options.prefer);
        }
        for (String name : named) {
            if (!known.contains(name)) {
                throw CliException.notFound("unknown agent '" + name + "'; known agents: "
                        + (known.isEmpty() ? "none (run switchboard init, or add agents to switchboard.yaml)"
                                : String.join(", ", new java.util.TreeSet<>(known))));
            }
        }
    }

    private static RoutingRequest request(Task task, RouteOptions options, SwitchboardConfig config) {
        return new RoutingRequest(task, 1, Set.of(), Set.copyOf(options.exclude), options.prefer, options.maxCost,
                config.budgets().perTask());
    }

    private static void print(Shell shell, RouteOptions options, List<RoutedTask> routed, boolean dryRun) {
        if (options.json) {
            shell.out().println(Json.routed(routed, dryRun));
            return;
        }
        for (int i = 0; i < routed.size(); i++) {
            RoutedTask r = routed.get(i);
            if (i > 0) {
                shell.out().println();
            }
            shell.out().print(options.explain
                    ? DecisionText.explain(r.decision(), r.task().title())
                    : DecisionText.summary(r.decision(), r.task().title()));
            if (r.decisionId() != null) {
                shell.out().println("  recorded as decision " + r.decisionId());
            } else if (dryRun) {
                shell.out().println("  dry run: nothing recorded");
            }
        }
    }
}
