package io.switchboard.bench;

import static io.switchboard.testkit.TaskBuilder.aTask;

import io.switchboard.core.agent.Adapter;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Availability;
import io.switchboard.core.attempt.AttemptChanges;
import io.switchboard.core.attempt.AttemptWorkspace;
import io.switchboard.core.config.Budgets;
import io.switchboard.core.config.ExecutionSettings;
import io.switchboard.core.config.RetryPolicy;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.execution.Dispatcher;
import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.RunningAgent;
import io.switchboard.core.execution.SwitchboardListener;
import io.switchboard.core.execution.VerifyRequest;
import io.switchboard.core.plan.PlanExecution;
import io.switchboard.core.plan.PlanGraph;
import io.switchboard.core.plan.PlanScheduler;
import io.switchboard.core.plan.PlanTask;
import io.switchboard.core.port.AgentRunner;
import io.switchboard.core.port.AttemptWorkspaces;
import io.switchboard.core.routing.Router;
import io.switchboard.core.routing.RoutingPolicy;
import io.switchboard.core.routing.RoutingService;
import io.switchboard.core.routing.Rule;
import io.switchboard.core.task.PlanRun;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskType;
import io.switchboard.process.workspace.ProjectWorkspaces;
import io.switchboard.process.workspace.WorkspaceSettings;
import io.switchboard.store.Database;
import io.switchboard.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * What running a plan costs Switchboard, apart from the agents: a plan of {@code planTasks} tasks with random
 * dependencies (seeded: each task depends on 0–3 earlier ones; one in ten declares one of 50 files), on SQLite.
 *
 * <ul>
 *   <li><b>planning</b>: {@link PlanGraph#of} (resolution, cycle check, order, reduction) and a whole simulated run
 *       of {@link PlanScheduler} (start, finish, in a random order, {@code parallel} 8), per task;
 *   <li><b>dispatching</b>: the stored plan run to its end by {@link PlanExecution} with the no-op runner, at each
 *       {@code planParallel}, beside the same number of tasks run one after another with {@link Dispatcher#run}
 *       and no plan: the difference per task is what scheduling a plan adds;
 *   <li><b>worktrees</b>: a smaller plan ({@code planWorktreeTasks}) in a git repository of 100 files, each attempt
 *       in its own worktree, the runner writing one file (so each attempt commits, and each task's worktree merges
 *       its dependencies' branches), one task at a time: the time per task split between preparing and finishing
 *       workspaces and everything else.
 * </ul>
 * Each figure is the median of {@code planRounds} rounds after one warm-up round.
 */
final class PlanThroughput {
    /** The agent every task goes to, with room for every task of a round at once. */
    static final AgentProfile AGENT = new AgentProfile("noop", Adapter.COMMAND, AgentProfile.DEFAULT_AGENT_TYPE,
            null, List.of(), List.of(), List.of(), List.of(), 0.0, AgentProfile.DEFAULT_CONTEXT_LIMIT,
            Availability.LOCAL, 1_000, Map.of(), List.of("true"));
    private static final int SIMULATED_PARALLEL = 8;
    private static final int DECLARED_FILES = 50;
    private static final int REPOSITORY_FILES = 100;

    /**
     * @param dependencies how many dependencies the plan's tasks have together
     * @param graphMicros building the graph, per task
     * @param scheduleMicros a simulated run of the scheduler, per task
     * @param sequentialMillis a task run with {@code Dispatcher.run}, no plan, one after another
     * @param planMillis per parallelism, wall time of the plan run over its tasks
     * @param worktreeTasks tasks of the worktree plan
     * @param worktreeMillis wall time per task with worktrees, one at a time
     * @param prepareMillis preparing each attempt's worktree, per task
     * @param finishMillis committing and removing it, per task
     * @param noWorktreeMillis the same plan without worktrees, per task
     * @param overheadRounds per round, the plan run at one at a time less the tasks alone, ms per task: what
     *     scheduling a plan adds, paired within each round so that the machine's drift between rounds cancels
     */
    record Result(int tasks, long seed, int dependencies, double graphMicros, double scheduleMicros,
            double sequentialMillis, Map<Integer, Double> planMillis, int worktreeTasks, double worktreeMillis,
            double prepareMillis, double finishMillis, double noWorktreeMillis, int rounds,
            List<Double> overheadRounds) {

        /** What a plan run adds to each task over running it alone, at one task at a time (median of rounds). */
        double overheadMillis() {
            return DecisionThroughput.median(overheadRounds);
        }

        /** The share of a worktree task's time spent on its workspace. */
        double workspaceShare() {
            return (prepareMillis + finishMillis) / worktreeMillis;
        }
    }

    private PlanThroughput() {
    }

    static Result measure(Scratch scratch, Path work, Plan plan, Progress progress) throws Exception {
        Random random = new Random(plan.planSeed());
        List<PlanTask> shape = randomPlan(plan.planTasks(), random);
        int dependencies = shape.stream().mapToInt(task -> task.dependencies().size()).sum();
        List<Double> graph = new ArrayList<>();
        List<Double> schedule = new ArrayList<>();
        List<Double> sequential = new ArrayList<>();
        Map<Integer, List<Double>> planned = new LinkedHashMap<>();
        List<Double> worktree = new ArrayList<>();
        List<Double> prepare = new ArrayList<>();
        List<Double> finish = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        List<Double> overhead = new ArrayList<>();
        Path agentDirectory = Files.createDirectories(work.resolve("plan-workdir"));
        String url = scratch.sqlite("plan");
        try (Database database = Database.open(url)) {
            Store store = database.store();
            for (int round = 0; round <= plan.planRounds(); round++) {
                boolean warmUp = round == 0;
                String prefix = "r" + round + "-";
                long start = System.nanoTime();
                PlanGraph built = PlanGraph.of(shape, dependency -> Optional.of("missing"));
                double graphMicros = (System.nanoTime() - start) / 1e3 / shape.size();
                start = System.nanoTime();
                simulate(built, new Random(plan.planSeed() + round));
                double scheduleMicros = (System.nanoTime() - start) / 1e3 / shape.size();

                // Alone and as a plan take turns at going first, so that neither always runs on a warmer JVM or
                // a fuller database.
                double sequentialMillis = 0;
                Map<Integer, Double> planMillis = new LinkedHashMap<>();
                for (boolean aloneTurn : round % 2 == 0 ? List.of(true, false) : List.of(false, true)) {
                    if (aloneTurn) {
                        sequentialMillis = runAlone(store, prefix + "alone-", shape, agentDirectory);
                        continue;
                    }
                    for (int parallel : plan.planParallel()) {
                        planMillis.put(parallel, runPlan(store, prefix + "p" + parallel + "-", shape, parallel,
                                agentDirectory, new NoOpRunner(), null) / shape.size());
                    }
                }

                double[] split = worktrees(store, work.resolve("repository-" + round), prefix,
                        randomPlan(plan.planWorktreeTasks(), new Random(plan.planSeed())));
                if (!warmUp) {
                    graph.add(graphMicros);
                    schedule.add(scheduleMicros);
                    sequential.add(sequentialMillis);
                    if (planMillis.containsKey(1)) {
                        overhead.add(planMillis.get(1) - sequentialMillis);
                    }
                    planMillis.forEach((parallel, millis) -> planned.computeIfAbsent(parallel,
                            key -> new ArrayList<>()).add(millis));
                    worktree.add(split[0]);
                    prepare.add(split[1]);
                    finish.add(split[2]);
                    bare.add(split[3]);
                }
                progress.step("plan %s: graph %.1f µs/task, scheduler %.1f µs/task, alone %.2f ms/task, plan %s; "
                        + "worktrees %.1f ms/task (prepare %.1f, finish %.1f), without %.2f ms/task",
                        warmUp ? "warm-up" : "round " + round, graphMicros, scheduleMicros, sequentialMillis,
                        planMillis.entrySet().stream().map(e -> String.format(java.util.Locale.ROOT,
                                "N=%d %.2f ms/task", e.getKey(), e.getValue())).toList(), split[0], split[1],
                        split[2], split[3]);
            }
        } finally {
            deleteTree(agentDirectory);
            scratch.dropSqlite(url);
        }
        Map<Integer, Double> planMedians = new LinkedHashMap<>();
        planned.forEach((parallel, rounds) -> planMedians.put(parallel, DecisionThroughput.median(rounds)));
        return new Result(shape.size(), plan.planSeed(), dependencies, DecisionThroughput.median(graph),
                DecisionThroughput.median(schedule), DecisionThroughput.median(sequential), planMedians,
                plan.planWorktreeTasks(), DecisionThroughput.median(worktree), DecisionThroughput.median(prepare),
                DecisionThroughput.median(finish), DecisionThroughput.median(bare), plan.planRounds(), overhead);
    }

    /** Each task depends on 0–3 earlier tasks, at random; one in ten declares one of 50 files. */
    static List<PlanTask> randomPlan(int size, Random random) {
        List<PlanTask> tasks = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            List<String> dependencies = new ArrayList<>();
            int count = i == 0 ? 0 : random.nextInt(4);
            for (int d = 0; d < count; d++) {
                String dependency = "t" + random.nextInt(i);
                if (!dependencies.contains(dependency)) {
                    dependencies.add(dependency);
                }
            }
            List<String> files = random.nextInt(10) == 0 ? List.of("src/file-" + random.nextInt(DECLARED_FILES))
                    : List.of();
            tasks.add(new PlanTask("t" + i, null, null, dependencies, files));
        }
        return tasks;
    }

    /** The scheduler alone through a whole run: every task started, and finished in a random order. */
    private static void simulate(PlanGraph graph, Random random) {
        PlanScheduler scheduler = new PlanScheduler(graph, SIMULATED_PARALLEL);
        List<String> running = new ArrayList<>();
        while (true) {
            running.addAll(scheduler.start());
            if (running.isEmpty()) {
                break;
            }
            scheduler.finished(running.remove(random.nextInt(running.size())), TaskState.SUCCEEDED);
        }
    }

    /** The plan's tasks stored without a plan run and run one after another; @return ms per task. */
    private static double runAlone(Store store, String prefix, List<PlanTask> shape, Path directory)
            throws InterruptedException {
        Dispatcher dispatcher = dispatcher(store, new NoOpRunner(), null, directory);
        List<String> alone = submit(store, prefix, shape, directory, null, false);
        long start = System.nanoTime();
        for (String id : alone) {
            if (dispatcher.run(id).state() != TaskState.SUCCEEDED) {
                throw new IllegalStateException("task " + id + " did not succeed");
            }
        }
        return (System.nanoTime() - start) / 1e6 / alone.size();
    }

    /** Stores the plan's tasks under these ids and runs them; @return the wall milliseconds of the run alone. */
    private static double runPlan(Store store, String prefix, List<PlanTask> shape, int parallel, Path directory,
            AgentRunner runner, AttemptWorkspaces workspaces) throws InterruptedException {
        List<PlanTask> tasks = renamed(prefix, shape);
        PlanGraph graph = PlanGraph.of(tasks, dependency -> Optional.of("missing"));
        submit(store, "", tasks, directory, graph, workspaces != null, parallel);
        Dispatcher dispatcher = dispatcher(store, runner, workspaces, directory);
        PlanExecution execution = new PlanExecution(graph, parallel, dispatcher, false, store, InstantSource.system(),
                SwitchboardListener.NONE, Thread.ofPlatform().name("bench-task-", 1).factory());
        long start = System.nanoTime();
        Map<String, TaskState> states = execution.run(Map.of());
        double millis = (System.nanoTime() - start) / 1e6;
        long failed = states.values().stream().filter(state -> state != TaskState.SUCCEEDED).count();
        if (failed > 0 || states.size() != tasks.size()) {
            throw new IllegalStateException(failed + " of the plan's " + tasks.size() + " tasks did not succeed");
        }
        return millis;
    }

    /**
     * The worktree plan in a fresh repository, one task at a time, with worktrees and then without.
     *
     * @return ms per task with worktrees, preparing per task, finishing per task, ms per task without worktrees
     */
    private static double[] worktrees(Store store, Path repository, String prefix, List<PlanTask> shape)
            throws IOException, InterruptedException {
        Files.createDirectories(repository);
        try {
            git(repository, "init", "-q", "-b", "main");
            for (int i = 0; i < REPOSITORY_FILES; i++) {
                Path file = repository.resolve("dir-" + (i % 10)).resolve("file-" + i + ".txt");
                Files.createDirectories(file.getParent());
                Files.writeString(file, ("line " + i + "\n").repeat(2048 / 8), StandardCharsets.UTF_8);
            }
            git(repository, "add", "--all");
            git(repository, "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-q", "-m",
                    "A small project");
            TimedWorkspaces timed = new TimedWorkspaces(new ProjectWorkspaces(WorkspaceSettings.defaults()));
            double with = runPlan(store, prefix + "wt-", shape, 1, repository, new FileWritingRunner(), timed)
                    / shape.size();
            double without = runPlan(store, prefix + "wd-", shape, 1, repository, new NoOpRunner(), null)
                    / shape.size();
            return new double[] {with, timed.prepareNanos.get() / 1e6 / shape.size(),
                    timed.finishNanos.get() / 1e6 / shape.size(), without};
        } finally {
            deleteTree(repository);
        }
    }

    private static List<PlanTask> renamed(String prefix, List<PlanTask> shape) {
        return shape.stream().map(task -> new PlanTask(prefix + task.id(), null, null,
                task.dependencies().stream().map(dependency -> prefix + dependency).toList(), task.files())).toList();
    }

    private static List<String> submit(Store store, String prefix, List<PlanTask> shape, Path directory,
            PlanGraph graph, boolean isolated) {
        return submit(store, prefix, shape, directory, graph, isolated, 1);
    }

    private static List<String> submit(Store store, String prefix, List<PlanTask> shape, Path directory,
            PlanGraph graph, boolean isolated, int parallel) {
        Instant now = Instant.now();
        TaskOptions base = new TaskOptions(directory.toString(), null, null, null, Set.of(), null, null);
        List<String> ids = new ArrayList<>();
        for (PlanTask task : shape) {
            String id = prefix + task.id();
            Task stored = aTask().withId(id).titled("Do nothing").withPrompt("Do nothing.").ofType(TaskType.IMPLEMENT)
                    .withEstimatedTokens(1_000).build();
            TaskOptions options = graph == null ? base : base.withPlanRun(new PlanRun("bench",
                    graph.directDependenciesOf(id), parallel, isolated));
            store.submit(stored, options, false, now);
            ids.add(id);
        }
        return ids;
    }

    private static Dispatcher dispatcher(Store store, AgentRunner runner, AttemptWorkspaces workspaces,
            Path directory) {
        InstantSource clock = InstantSource.system();
        SwitchboardConfig config = new SwitchboardConfig(List.of(AGENT), RoutingPolicy.defaults(), Rule.defaults(),
                RetryPolicy.defaults(), Budgets.UNLIMITED, Map.of(), SwitchboardConfig.DEFAULT_TASK_FOLDERS,
                List.of(), Map.of(), Map.of(), Map.of(), ExecutionSettings.defaults());
        store.sync(config.agents(), clock.instant());
        RoutingService routing = new RoutingService(store, store, store, store, store,
                new Router(config.policy(), config.rules()), clock);
        return new Dispatcher(routing, store, store, store, runner, due -> { }, clock, SwitchboardListener.NONE,
                config, new Dispatcher.Settings("o-bench-plan", directory, System.getenv(), Map.of(), null,
                        config.policy().halfLife(), workspaces));
    }

    private static void git(Path directory, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        Process process = new ProcessBuilder(argv).directory(directory.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + output);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                path.toFile().setWritable(true);
                Files.deleteIfExists(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Times the workspaces it passes every call to. */
    private static final class TimedWorkspaces implements AttemptWorkspaces {
        private final AttemptWorkspaces inner;
        final AtomicLong prepareNanos = new AtomicLong();
        final AtomicLong finishNanos = new AtomicLong();

        TimedWorkspaces(AttemptWorkspaces inner) {
            this.inner = inner;
        }

        @Override
        public AttemptWorkspace prepare(Path projectDirectory, String taskId, int attempt, List<String> dependencies) {
            long start = System.nanoTime();
            try {
                return inner.prepare(projectDirectory, taskId, attempt, dependencies);
            } finally {
                prepareNanos.addAndGet(System.nanoTime() - start);
            }
        }

        @Override
        public AttemptChanges finish(AttemptWorkspace workspace, String title, String agent) {
            long start = System.nanoTime();
            try {
                return inner.finish(workspace, title, agent);
            } finally {
                finishNanos.addAndGet(System.nanoTime() - start);
            }
        }
    }

    /** An agent that writes one file where it runs, named after its task, and succeeds at once. */
    private static final class FileWritingRunner implements AgentRunner {
        @Override
        public RunningAgent start(RunRequest request, RunObserver observer) {
            try {
                Files.writeString(request.workingDirectory().resolve(request.taskId() + ".txt"),
                        "done by attempt " + request.attempt() + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return NoOpRunner.FINISHED;
        }

        @Override
        public RunningAgent verify(VerifyRequest request) {
            return NoOpRunner.FINISHED;
        }

        @Override
        public int sweep(String markerPrefix) {
            return 0;
        }
    }
}
