package io.switchboard.cli;

import io.switchboard.core.config.ExecutionSettings;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.execution.CommandWords;
import io.switchboard.core.plan.InvalidPlanException;
import io.switchboard.core.plan.PlanGraph;
import io.switchboard.core.plan.PlanTask;
import io.switchboard.core.port.WorkspaceUnavailableException;
import io.switchboard.core.task.PlanRun;
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
import java.util.Optional;
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
            "A plan file runs every task in it, in dependency order. --plan NAME runs a",
            "plan or sprint, --parallel N tasks at a time, each in a git worktree on its",
            "own branch (a copy outside git). --workflow runs the task through a workflow.",
            "Progress goes to stderr, the summary to stdout."},
        footer = {"", "Exit codes: 0 every task succeeded, 2 bad usage or input (a plan with a cycle",
            "or a missing dependency), 4 unknown task id, plan, agent or workflow,",
            "5 database unavailable, 6 a task failed or was skipped (with --workflow: the",
            "workflow failed, or its review loop ended without approval), 130 stopped by",
            "SIGTERM or Ctrl-C (unfinished tasks and workflow runs are kept: run",
            "'switchboard resume')."})
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

    @Option(names = "--parallel", paramLabel = "N",
            description = "With --plan: run up to N tasks at once (default 1), within each agent's max_concurrency; "
                    + "tasks declaring overlapping files never run together.")
    Integer parallel;

    @Option(names = "--no-isolation",
            description = "With --plan: run every task in the working directory itself, not in a worktree or copy "
                    + "of its own (tasks running at once then see each other's edits).")
    boolean noIsolation;

    /** The most tasks a plan may run at once: beyond it, threads and agents' processes swamp the machine. */
    static final int MOST_PARALLEL = 64;

    @Option(names = "--workflow", paramLabel = "NAME|FILE",
            description = "Run the task through a workflow, as its input 'task': a built-in one "
                    + "(plan-implement-review), a workflow file, or NAME.yaml in workflows/ or "
                    + ".switchboard/workflows/.")
    String workflow;

    @Override
    public Integer call() {
        if (workflow != null) {
            if (options.plan != null || parallel != null || noIsolation) {
                throw CliException.usage("--workflow runs one task through a workflow; --plan, --parallel and "
                        + "--no-isolation are for a plan run");
            }
            return WorkflowRuns.orchestrate(this);
        }
        if (dryRun) {
            return RouteCommand.route(root, options, true);
        }
        Workspace workspace = root.workspace();
        SwitchboardConfig config = workspace.config();
        if (options.plan == null && (parallel != null || noIsolation)) {
            throw CliException.usage((parallel != null ? "--parallel" : "--no-isolation") + " is for a plan run: "
                    + "give --plan NAME");
        }
        if (parallel != null && (parallel < 1 || parallel > MOST_PARALLEL)) {
            throw CliException.usage("--parallel must be from 1 to " + MOST_PARALLEL + ", was " + parallel);
        }
        PlanSelection plan = options.plan == null ? null : RouteCommand.plan(workspace, config, options);
        List<Task> tasks = plan != null ? plan.tasks() : RouteCommand.tasks(workspace, config, options);
        RouteCommand.validateAgentNames(config, options, workspace, false);
        checkOptions(workspace, config, tasks);
        if (plan != null) {
            return runPlan(workspace, config, plan);
        }
        Map<String, List<String>> dependencies = new LinkedHashMap<>();
        List<Task> ordered = inDependencyOrder(tasks, dependencies);

        Store store = workspace.syncedStore();
        Instant now = root.shell().clock().instant();
        TaskOptions taskOptions = new TaskOptions(workingDirectory(workspace).toString(), options.maxCost,
                deadline == null ? null : now.plus(deadline), options.prefer, Set.copyOf(options.exclude), timeout,
                idleTimeout);
        // A plan's tasks share budgets.per_plan unless --budget says otherwise.
        Double runBudget = budget != null ? budget : ordered.size() > 1 ? config.budgets().perPlan() : null;
        try (Orchestration orchestration = new Orchestration(workspace, store,
                Runners.local(config, root.shell().err()), env, runBudget, options.json)) {
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
                } else if (!store.claimTask(task.id(), orchestration.id())) {
                    notes.add(task.id() + " is claimed by another orchestrator that serves this database");
                } else {
                    toRun.add(task.id());
                }
            }
            notes.forEach(note -> root.shell().err().println("switchboard: " + note));
            Map<String, TaskState> results = orchestration.runAll(toRun, dependencies, false);
            List<String> all = ordered.stream().map(Task::id).toList();
            Summary.print(root.shell(), store, all, options.json, orchestration.interrupted());
            if (orchestration.interrupted()) {
                return ExitCodes.INTERRUPTED;
            }
            // A task a person handed off while this run had it is theirs: it neither succeeded nor failed here.
            Set<String> handedOff = orchestration.handedOff();
            boolean allSucceeded = all.stream().filter(id -> !handedOff.contains(id))
                    .allMatch(id -> store.taskStatus(id).map(status -> status.state() == TaskState.SUCCEEDED)
                            .orElse(false));
            return allSucceeded && results.size() == toRun.size() ? ExitCodes.OK : ExitCodes.TASK_FAILED;
        }
    }

    /**
     * {@code --plan NAME}: checks the plan whole (a cycle or a dependency on a task that is not there is an error
     * before anything runs), stores its tasks with their plan run, and runs them up to {@code --parallel} at once.
     */
    private int runPlan(Workspace workspace, SwitchboardConfig config, PlanSelection selection) {
        String name = selection.name();
        List<Task> tasks = selection.tasks();
        Store store = workspace.syncedStore();
        PlanGraph graph;
        try {
            graph = PlanGraph.of(tasks.stream().map(PlanTask::of).toList(),
                    dependency -> outside(dependency, selection, store));
        } catch (InvalidPlanException e) {
            throw CliException.usage("plan " + name + " cannot run: " + e.getMessage());
        }
        int n = parallel == null ? 1 : parallel;
        boolean isolated = !noIsolation;
        Path directory = workingDirectory(workspace);
        Instant now = root.shell().clock().instant();
        TaskOptions base = new TaskOptions(directory.toString(), options.maxCost,
                deadline == null ? null : now.plus(deadline), options.prefer, Set.copyOf(options.exclude), timeout,
                idleTimeout);
        Double runBudget = budget != null ? budget : config.budgets().perPlan();
        Map<String, Task> byId = new LinkedHashMap<>();
        tasks.forEach(task -> byId.put(task.id(), task));
        try (Orchestration orchestration = new Orchestration(workspace, store,
                Runners.local(config, root.shell().err()), env, runBudget, options.json)) {
            if (isolated) {
                root.shell().err().println("switchboard: plan " + name + ": " + graph.size() + " tasks, up to " + n
                        + " at once, " + isolation(orchestration, directory));
            }
            Map<String, TaskState> settled = new LinkedHashMap<>();
            for (String id : graph.order()) {
                Task task = byId.get(id);
                PlanRun run = new PlanRun(name, graph.directDependenciesOf(id), n, isolated);
                TaskStatus status = store.submit(task, base.withPlanRun(run), again, now);
                if (status.state().isFinal()) {
                    root.shell().err().println("switchboard: " + id + " already " + status.state().configName()
                            + " (" + status.reason() + "); --again runs it once more");
                    settled.put(id, status.state());
                } else if (status.state() == TaskState.RUNNING) {
                    root.shell().err().println("switchboard: " + id + " is being run by another orchestrator; if it "
                            + "is gone, run 'switchboard resume'");
                    settled.put(id, status.state());
                } else if (store.handoff(id).filter(Handoff::pending).isPresent()) {
                    // Its handoff runs it; the tasks waiting for it are held, as for a task run elsewhere.
                    root.shell().err().println("switchboard: " + id + " is " + store.handoff(id).orElseThrow()
                            .reason() + "; 'switchboard resume' runs it there");
                    settled.put(id, status.state());
                }
            }
            List<String> held = orchestration.runPlan(graph, n, settled, false);
            held.forEach(id -> root.shell().err().println("switchboard: " + id + " was not started: a task it waits "
                    + "for did not finish; 'switchboard resume' runs it"));
            List<String> all = graph.order();
            Summary.print(root.shell(), store, all, options.json, orchestration.interrupted());
            if (orchestration.interrupted()) {
                return ExitCodes.INTERRUPTED;
            }
            // A task a person handed off while this run had it is theirs: it neither succeeded nor failed here.
            Set<String> handedOff = orchestration.handedOff();
            boolean allSucceeded = all.stream().filter(id -> !handedOff.contains(id))
                    .allMatch(id -> store.taskStatus(id).map(status -> status.state() == TaskState.SUCCEEDED)
                            .orElse(false));
            if (allSucceeded && isolated && all.stream().anyMatch(id -> onABranch(store, id))) {
                root.shell().out().println("Merge the branches into the checkout, in dependency order: "
                        + "'switchboard merge --plan " + name + "'.");
            }
            return allSucceeded ? ExitCodes.OK : ExitCodes.TASK_FAILED;
        }
    }

    /**
     * Whether the task's last attempt left its work on a branch of its own, for {@code merge} to bring in: not when
     * it ran in a copy (outside a repository) or in the working directory (a task that had succeeded before).
     */
    private static boolean onABranch(Store store, String taskId) {
        var records = store.attemptRecords(taskId);
        return !records.isEmpty() && records.getLast().changes() != null
                && !records.getLast().changes().branch().isEmpty();
    }

    /** Where the plan's attempts will run, in words; an error when the project's repository cannot be used. */
    private static String isolation(Orchestration orchestration, Path directory) {
        try {
            return orchestration.workspaces().inGitRepository(directory)
                    ? "each in a git worktree of its own on its branch switchboard/<task>"
                    : "each in a copy of " + directory + " (not a git repository; copies are not merged back)";
        } catch (WorkspaceUnavailableException e) {
            throw CliException.usage("the tasks cannot be given workspaces of their own: " + e.getMessage()
                    + " (--no-isolation runs them in the working directory)");
        }
    }

    /**
     * What a dependency that is no task or plan of this run is: satisfied when every task it names (in the task
     * files, or in the store) succeeded before; otherwise why not.
     */
    private static Optional<String> outside(String dependency, PlanSelection selection, Store store) {
        List<String> named = selection.read().stream()
                .filter(task -> task.id().equalsIgnoreCase(dependency) || dependency.equalsIgnoreCase(
                        task.draft().plan()))
                .map(Task::id).toList();
        if (named.isEmpty() && store.taskStatus(dependency).isPresent()) {
            named = List.of(dependency);
        }
        if (named.isEmpty()) {
            return Optional.of("is no task or plan in " + selection.searched() + " nor a task run before");
        }
        List<String> notDone = new ArrayList<>();
        for (String id : named) {
            Optional<TaskStatus> status = store.taskStatus(id);
            if (status.isEmpty() || status.get().state() != TaskState.SUCCEEDED) {
                notDone.add(id + " (" + status.map(s -> s.state().configName()).orElse("never run") + ")");
            }
        }
        if (notDone.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("is not part of plan " + selection.name() + " and has not succeeded: "
                + String.join(", ", notDone) + "; run it first, or run a plan that holds it");
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
