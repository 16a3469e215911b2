package io.switchboard.cli;

import io.switchboard.core.config.ExecutionSettings;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.execution.CommandWords;
import io.switchboard.core.task.Handoff;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskSource;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskStatus;
import io.switchboard.input.yaml.Durations;
import io.switchboard.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code switchboard orchestrate}: route and run. Each task is routed, its decision recorded, the chosen agent
 * run, the attempt recorded, and on failure the task moves to the next-best agent as the retry policy says.
 * Several tasks (a plan file) run one after another in dependency order. With {@code --dry-run} it decides and
 * explains and writes nothing.
 */
@Command(name = "orchestrate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Route and run tasks: retry on the next-best agent, learn from every outcome.",
            "A plan file runs every task in it, in dependency order. Progress goes to stderr, the summary to stdout."},
        footer = {"", "Exit codes: 0 every task succeeded, 2 bad usage or input, 4 unknown task id, agent or workflow,",
            "5 database unavailable, 6 a task failed or was skipped (with --workflow: the workflow failed, or its",
            "review loop ended without approval), 130 stopped by SIGTERM or Ctrl-C (unfinished tasks and workflow",
            "runs are kept: run 'switchboard resume')."})
final class OrchestrateCommand implements Callable<Integer> {
    @ParentCommand
    SwitchboardCommand root;

    @Mixin
    RouteOptions options = new RouteOptions();

    @Option(names = "--dry-run", description = "Decide and explain, but run and write nothing.")
    boolean dryRun;

    @Option(names = "--budget", paramLabel = "DOLLARS",
            description = "The most this run may spend on all its tasks together (default for a plan: "
                    + "budgets.per_plan).")
    Double budget;

    @Option(names = "--deadline", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Do not retry a task later than this after it was accepted (e.g. 30m, 2h).")
    Duration deadline;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Wall-clock limit of each attempt (default: the agent's, else execution.timeout).")
    Duration timeout;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop an attempt whose agent prints nothing for this long.")
    Duration idleTimeout;

    @Option(names = "--workdir", paramLabel = "DIR",
            description = "Where the agents run (default: the working directory).")
    Path workdir;

    @Option(names = "--env", paramLabel = "NAME=VALUE",
            description = "Give agents this variable (NAME must be on the allow-list: execution.env_allow or an "
                    + "agent's env). Its value is treated as a secret.")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--again", description = "Run tasks that already ended once more (their attempts continue).")
    boolean again;

    @Option(names = "--workflow", paramLabel = "NAME|FILE",
            description = "Run the task through a workflow, as its input 'task': a built-in one "
                    + "(plan-implement-review), a workflow file, or NAME.yaml in workflows/ or "
                    + ".switchboard/workflows/.")
    String workflow;

    @Override
    public Integer call() {
        if (workflow != null) {
            return WorkflowRuns.orchestrate(this);
        }
        if (dryRun) {
            return RouteCommand.route(root, options, true);
        }
        Workspace workspace = root.workspace();
        SwitchboardConfig config = workspace.config();
        List<Task> tasks = RouteCommand.tasks(workspace, config, options);
        RouteCommand.validateAgentNames(config, options, workspace, false);
        checkOptions(workspace, config, tasks);
        Map<String, List<String>> dependencies = new LinkedHashMap<>();
        List<Task> ordered = inDependencyOrder(tasks, dependencies);

        Store store = workspace.syncedStore();
        Instant now = root.shell().clock().instant();
        TaskOptions taskOptions = new TaskOptions(workingDirectory(workspace).toString(), options.maxCost,
                deadline == null ? null : now.plus(deadline), options.prefer, Set.copyOf(options.exclude), timeout,
                idleTimeout);
        // A plan's tasks share budgets.per_plan unless --budget says otherwise.
        Double runBudget = budget != null ? budget : ordered.size() > 1 ? config.budgets().perPlan() : null;
        try (Orchestration orchestration = new Orchestration(workspace, store, Runners.local(config), env, runBudget,
                options.json)) {
            List<String> toRun = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            for (Task task : ordered) {
                boolean runAgain = again || task.source().equals(TaskSource.COMMAND_LINE);
                TaskStatus status = store.submit(task, taskOptions, runAgain, now);
                if (status.state().isFinal()) {
                    notes.add(task.id() + " already " + status.state().configName() + " (" + status.reason()
                            + "); --again runs it once more");
                } else if (status.state() == TaskState.RUNNING) {
                    notes.add(task.id() + " is being run by another orchestrator; if it is gone, run 'switchboard "
                            + "resume'");
                } else if (store.handoff(task.id()).filter(Handoff::pending).isPresent()) {
                    notes.add(task.id() + " is " + store.handoff(task.id()).orElseThrow().reason() + "; 'switchboard "
                            + "resume' runs it there");
                } else {
                    toRun.add(task.id());
                }
            }
            notes.forEach(note -> root.shell().err().println("switchboard: " + note));
            Map<String, TaskStatus> results = orchestration.runAll(toRun, dependencies, false);
            List<String> all = ordered.stream().map(Task::id).toList();
            Summary.print(root.shell(), store, all, options.json, orchestration.interrupted());
            if (orchestration.interrupted()) {
                return ExitCodes.INTERRUPTED;
            }
            // A task a person handed off while this run had it is theirs: it neither succeeded nor failed here.
            java.util.Set<String> handedOff = orchestration.handedOff();
            boolean allSucceeded = all.stream().filter(id -> !handedOff.contains(id))
                    .allMatch(id -> store.taskStatus(id).map(status -> status.state() == TaskState.SUCCEEDED)
                            .orElse(false));
            return allSucceeded && results.size() == toRun.size() ? ExitCodes.OK : ExitCodes.TASK_FAILED;
        }
    }

    /** Every option and task is checked before anything is written or run. */
    private void checkOptions(Workspace workspace, SwitchboardConfig config, List<Task> tasks) {
        if (budget != null && !(budget >= 0)) {
            throw CliException.usage("--budget must be zero or more, was " + budget);
        }
        limit("--timeout", timeout);
        limit("--idle-timeout", idleTimeout);
        limit("--deadline", deadline);
        Path directory = workingDirectory(workspace);
        if (!Files.isDirectory(directory)) {
            throw CliException.usage("--workdir " + directory + " is not a directory");
        }
        if (!Files.isWritable(directory)) {
            throw CliException.usage("the working directory " + directory + " is not writable by this user");
        }
        checkEnv(config, env);
        checkTasks(tasks);
    }

    /** A task's verify command must split into words without a shell. */
    void checkTasks(List<Task> tasks) {
        for (Task task : tasks) {
            String verify = task.draft().verify();
            if (verify == null) {
                continue;
            }
            try {
                CommandWords.split(verify);
            } catch (IllegalArgumentException e) {
                throw CliException.usage(task.source() + ": task " + task.id() + ": verify: " + e.getMessage());
            }
        }
    }

    /** Every {@code --env} name must be on the allow-list or an agent's own list. */
    static void checkEnv(SwitchboardConfig config, Map<String, String> env) {
        Set<String> allowed = new TreeSet<>(config.execution().envAllowList());
        config.agentEnv().values().forEach(allowed::addAll);
        for (String name : env.keySet()) {
            if (!allowed.contains(name)) {
                throw CliException.usage("--env " + name + " is not on the allow-list (" + String.join(", ", allowed)
                        + "); add it to execution.env_allow or to an agent's env in switchboard.yaml");
            }
        }
    }

    /** This command's options as a workflow run takes them. */
    RunSettings runSettings() {
        RunSettings settings = new RunSettings();
        settings.budget = budget;
        settings.maxCost = options.maxCost;
        settings.exclude = options.exclude;
        settings.prefer = options.prefer;
        settings.deadline = deadline;
        settings.timeout = timeout;
        settings.idleTimeout = idleTimeout;
        settings.workdir = workdir;
        settings.env = env;
        return settings;
    }

    static void limit(String option, Duration value) {
        if (value == null) {
            return;
        }
        try {
            ExecutionSettings.checkLimit(option, value);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    private Path workingDirectory(Workspace workspace) {
        return workdir == null ? workspace.base() : Orchestration.absolute(workspace.base(), workdir);
    }

    /**
     * The tasks ordered so that each comes after the tasks it depends on (among these), keeping the given order
     * otherwise.
     *
     * @param dependencies filled with each task's dependencies among these tasks
     * @throws CliException when the dependencies form a cycle
     */
    static List<Task> inDependencyOrder(List<Task> tasks, Map<String, List<String>> dependencies) {
        Map<String, Task> byId = new LinkedHashMap<>();
        tasks.forEach(task -> byId.put(task.id(), task));
        for (Task task : tasks) {
            dependencies.put(task.id(), task.dependencies().stream().filter(byId::containsKey).toList());
        }
        List<Task> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        Set<String> visiting = new LinkedHashSet<>();
        for (Task task : tasks) {
            place(task.id(), byId, dependencies, placed, visiting, ordered);
        }
        return ordered;
    }

    private static void place(String id, Map<String, Task> byId, Map<String, List<String>> dependencies,
            Set<String> placed, Set<String> visiting, List<Task> ordered) {
        if (placed.contains(id)) {
            return;
        }
        if (!visiting.add(id)) {
            throw CliException.usage("the tasks depend on each other in a cycle: " + String.join(" -> ", visiting)
                    + " -> " + id);
        }
        for (String dependency : dependencies.get(id)) {
            place(dependency, byId, dependencies, placed, visiting, ordered);
        }
        visiting.remove(id);
        placed.add(id);
        ordered.add(byId.get(id));
    }

    /** Reads {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} and ISO-8601 durations. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value).orElseThrow(() -> new picocli.CommandLine.TypeConversionException(
                    "'" + value + "' is not a duration such as 30s, 5m or 2h"));
        }
    }
}
