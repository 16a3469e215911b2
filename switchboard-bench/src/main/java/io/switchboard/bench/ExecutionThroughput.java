package io.switchboard.bench;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.config.ExecutionSettings;
import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.RunResult;
import io.switchboard.process.LocalAgentRunner;
import io.switchboard.process.RunnerSettings;
import io.switchboard.process.adapter.Adapters;
import io.switchboard.process.internal.PidWindow;
import io.switchboard.process.internal.ProcessTable;
import io.switchboard.store.Database;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tasks per second through Switchboard, each beside what it is compared with, measured in turns in one run so
 * that whatever else the machine does falls on all alike. Every kind of work runs for the plan's round
 * duration, one operation after another on one thread, round after round (the plan's warm-up rounds first,
 * not counted); each figure is the median of the rounds, with the process's CPU time per operation beside it.
 *
 * <ul>
 *   <li><b>bare spawn</b>: {@code new ProcessBuilder("/usr/bin/true").start()}, its output read to the end
 *       and discarded, {@code waitFor()}: the floor for starting a process from Java;
 *   <li><b>bare spawn through setsid</b>: the same through {@code setsid}, as the runner starts agents where it
 *       cannot call posix_spawn;
 *   <li><b>runner, no process group</b>, <b>runner, through setsid</b> and <b>runner</b>: {@link LocalAgentRunner}
 *       running {@code true} as a {@code command} agent, start to result: without a process group of its own
 *       (ProcessBuilder), with one through ProcessBuilder and {@code setsid}, and with one as the runner starts
 *       agents by default (posix_spawn where this JVM can call it; the result says which);
 *   <li><b>Switchboard, {@code true}</b>: a {@link TaskLoop} on SQLite with the runner: submit, route,
 *       record the decision, start the attempt, run {@code true}, record the outcome;
 *   <li><b>Switchboard, no-op runner</b>: the same loop with {@link NoOpRunner}: durable tasks without a
 *       process;
 *   <li><b>db-scheduler</b>: no-op one-time tasks executed by db-scheduler on the same SQLite file, with
 *       {@value #PARALLEL} threads;
 *   <li>and, on {@value #PARALLEL} threads at once, as a dispatcher runs the tasks of a plan side by side:
 *       <b>bare spawn</b>, <b>Switchboard, {@code true}</b> and <b>Switchboard, no-op runner</b>;
 *   <li><b>no-op runner, submitted before</b>: as db-scheduler is measured, as many tasks as db-scheduler executes
 *       in a round accepted first (not timed), then run to their end by {@value #PARALLEL} threads taking them in
 *       turn, timed from the first start to the last end: each task routed, its decision recorded, its attempt
 *       started and finished with the agent's performance, as the target defines a durable task;
 *   <li><b>writes alone</b>, 1, 16 and 256 tasks a commit: {@link WriteFloor}, the rows the no-op loop writes for a
 *       task and nothing else, as many tasks as db-scheduler executes in a round, accepted first (not timed), a
 *       statement a row; and 256 a commit again, a statement a table: the floor under a durable task on this schema
 *       and disk.
 * </ul>
 *
 * <p>Beside them, the pieces the runner adds to every run are timed alone: the clean-up scan of {@code /proc} as
 * after a run (the pid counters read before the start, then one walk over the processes created since), the
 * same walk over every process (what a run pays when a pid wrap cannot be ruled out), a scan of every process
 * for a marker alone (as {@code resume} sweeps), and starting and joining four threads.
 */
final class ExecutionThroughput {
    static final String BARE = "bare spawn";
    static final String BARE_SETSID = "bare spawn through setsid";
    static final String RUNNER_NO_GROUP = "runner, no process group";
    static final String RUNNER_SETSID = "runner, through setsid";
    static final String RUNNER = "runner";
    static final String END_TO_END = "Switchboard, true";
    static final String DURABLE = "Switchboard, no-op runner";
    static final String DURABLE_PARALLEL = "Switchboard, no-op runner, 4 threads";
    static final String DURABLE_AHEAD = "no-op, submitted before, 4 threads";
    static final String BARE_PARALLEL = "bare spawn, 4 threads";
    static final String END_TO_END_PARALLEL = "Switchboard, true, 4 threads";
    /** Threads of the kinds that run several at once: as many as db-scheduler is given. */
    static final int PARALLEL = 4;
    static final String DB_SCHEDULER = "db-scheduler";
    /** Tasks a commit in the floor's kinds ({@link WriteFloor}), each a kind of its own. */
    static final List<Integer> FLOOR_BATCHES = List.of(1, 16, 256);

    /** The kind of the floor written {@code batch} tasks a commit, a statement a row. */
    static String floor(int batch) {
        return "writes alone, " + batch + (batch == 1 ? " task" : " tasks") + " a commit";
    }

    /** The floor's largest batch written a statement a table. */
    static final String FLOOR_SET_BASED = "the same, a statement a table";

    /** The same as {@link #FLOOR_SET_BASED} with a smaller record. */
    static String floor(WriteFloor.Record record) {
        return record == WriteFloor.Record.WHOLE ? FLOOR_SET_BASED : "the same, " + record.text;
    }

    private static final String SQLITE_URL = "jdbc:sqlite:";
    /** Tasks whose pages are counted ({@link WalPages}), accepted, then run, one after another. */
    private static final int PAGE_COUNT_TASKS = 500;
    /** How many times each piece is timed alone per round. */
    private static final int PIECE_SAMPLES = 20;
    /** A marker no process carries. */
    private static final String NO_MARKER = "o-bench:none:1";

    /**
     * One kind of work over the rounds.
     *
     * @param perSecond the median of the rounds' rates
     * @param slowest the lowest round's rate
     * @param fastest the highest round's rate
     * @param cpuMicros the median of the rounds' process CPU time per operation, in µs (all threads of this
     *     JVM: the measuring thread, the runner's, JIT and GC; not the child processes')
     */
    record Series(String kind, double perSecond, double slowest, double fastest, double cpuMicros,
            List<Double> rounds, List<Double> cpuRounds) {
        static Series of(String kind, List<Double> rounds, List<Double> cpuRounds) {
            return new Series(kind, DecisionThroughput.median(rounds),
                    rounds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    rounds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                    DecisionThroughput.median(cpuRounds), rounds, cpuRounds);
        }

        /** Milliseconds per operation at the median rate. */
        double millis() {
            return 1000 / perSecond;
        }
    }

    /**
     * Everything measured.
     *
     * @param overhead bare spawns per second over Switchboard tasks with {@code true} per second (medians)
     * @param overheadRounds the same ratio within each round
     * @param durableRatio Switchboard no-op tasks per second, submitted before as db-scheduler's are, over
     *     db-scheduler executions per second
     * @param durableRatioRounds the same ratio within each round
     * @param durableWithSubmitRatio the same with each task's submission timed too ({@link #DURABLE_PARALLEL})
     * @param cleanUpScanMicros the clean-up scan as after a run: the pid counters read before its start, then
     *     one walk of {@code /proc} over the processes created since (median)
     * @param fullCleanUpScanMicros the same walk over every process, as when a wrap cannot be ruled out (median)
     * @param markerScanMicros one scan of every process for a marker alone, as resume sweeps (median)
     * @param threadsMicros starting and joining four platform threads that do nothing (median)
     * @param processes how many processes {@code /proc} listed at the end
     */
    record Result(String database, Map<String, Series> series, double overhead, List<Double> overheadRounds,
            double durableRatio, List<Double> durableRatioRounds, double durableWithSubmitRatio, int dbSchedulerTasks,
            int dbSchedulerThreads,
            long dbSchedulerPollingMillis, double dbSchedulerScheduledPerSecond, double cleanUpScanMicros,
            double fullCleanUpScanMicros, double markerScanMicros, double threadsMicros, int processes,
            boolean ownProcessGroups, String spawnMethod, WalPages.Count submitPages, WalPages.Count runPages) {
    }

    /** One operation of a kind of work. */
    @FunctionalInterface
    private interface Operation {
        void run(int i) throws Exception;
    }

    private ExecutionThroughput() {
    }

    static Result measure(String url, Path work, Plan plan, Progress progress) throws Exception {
        Path directory = Files.createDirectories(work.resolve("agent-workdir"));
        try {
            return measureIn(url, directory, plan, progress);
        } finally {
            // The agents ran true there: it is empty.
            Files.deleteIfExists(directory);
        }
    }

    private static Result measureIn(String url, Path directory, Plan plan, Progress progress) throws Exception {
        String trueProgram = program("true");
        String setsid = program("setsid");
        LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults(), Adapters::of);
        LocalAgentRunner runnerNoGroup = new LocalAgentRunner(RunnerSettings.defaults().withNewProcessGroup(false),
                Adapters::of);
        LocalAgentRunner runnerSetsid = new LocalAgentRunner(RunnerSettings.defaults().withNativeSpawn(false),
                Adapters::of);
        Map<String, String> environment = allowedEnvironment();
        List<String> bareArgv = List.of(trueProgram);
        List<String> setsidArgv = List.of(setsid, trueProgram);

        Map<String, Operation> kinds = new LinkedHashMap<>();
        kinds.put(BARE, i -> spawn(bareArgv, directory.toFile()));
        kinds.put(BARE_SETSID, i -> spawn(setsidArgv, directory.toFile()));
        kinds.put(RUNNER_NO_GROUP, i -> run(runnerNoGroup, request("NOGROUP-" + i, directory, environment)));
        kinds.put(RUNNER_SETSID, i -> run(runnerSetsid, request("SETSID-" + i, directory, environment)));
        kinds.put(RUNNER, i -> run(runner, request("RUNNER-" + i, directory, environment)));

        Map<String, List<Double>> rates = new LinkedHashMap<>();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        List<Double> overheadRounds = new ArrayList<>();
        List<Double> durableRounds = new ArrayList<>();
        List<Double> cleanUpScans = new ArrayList<>();
        List<Double> fullCleanUpScans = new ArrayList<>();
        List<Double> markerScans = new ArrayList<>();
        List<Double> threadSets = new ArrayList<>();
        List<Double> scheduled = new ArrayList<>();
        try (Database database = Database.open(url);
                DbSchedulerReference dbScheduler = new DbSchedulerReference(url, plan.dbSchedulerThreads(),
                        plan.dbSchedulerPolling())) {
            TaskLoop endToEnd = new TaskLoop(database.store(), runner, "e2e", directory);
            TaskLoop durable = new TaskLoop(database.store(), new NoOpRunner(), "noop", directory);
            kinds.put(END_TO_END, i -> endToEnd.runOne());
            kinds.put(DURABLE, i -> durable.runOne());
            Map<String, Operation> parallelKinds = new LinkedHashMap<>();
            parallelKinds.put(BARE_PARALLEL, i -> spawn(bareArgv, directory.toFile()));
            parallelKinds.put(END_TO_END_PARALLEL, i -> endToEnd.runOne());
            parallelKinds.put(DURABLE_PARALLEL, i -> durable.runOne());
            for (int round = 1 - plan.executionWarmUps(); round <= plan.executionRounds(); round++) {
                boolean warmUp = round <= 0;
                Map<String, double[]> measured = new LinkedHashMap<>();
                for (Map.Entry<String, Operation> kind : kinds.entrySet()) {
                    measured.put(kind.getKey(), rate(plan.executionRound(), kind.getValue()));
                }
                for (Map.Entry<String, Operation> kind : parallelKinds.entrySet()) {
                    measured.put(kind.getKey(), rate(plan.executionRound(), PARALLEL, kind.getValue()));
                }
                measured.put(DURABLE_AHEAD, drain(durable, plan.dbSchedulerTasks()));
                try (WriteFloor floor = new WriteFloor(url, durable.prefix())) {
                    for (int batch : FLOOR_BATCHES) {
                        measured.put(floor(batch), floor(floor, durable, plan.dbSchedulerTasks(), batch, false));
                    }
                    for (WriteFloor.Record record : WriteFloor.Record.values()) {
                        measured.put(floor(record), floor(floor, durable, plan.dbSchedulerTasks(),
                                FLOOR_BATCHES.getLast(), true, record));
                    }
                }
                DbSchedulerReference.Round reference = dbScheduler.round(plan.dbSchedulerTasks());
                measured.put(DB_SCHEDULER, new double[] {reference.executedPerSecond(), reference.cpuMicros()});
                double[] pieces = pieces();
                if (!warmUp) {
                    measured.forEach((kind, figures) -> {
                        rates.computeIfAbsent(kind, k -> new ArrayList<>()).add(figures[0]);
                        cpu.computeIfAbsent(kind, k -> new ArrayList<>()).add(figures[1]);
                    });
                    overheadRounds.add(measured.get(BARE)[0] / measured.get(END_TO_END)[0]);
                    durableRounds.add(measured.get(DURABLE_AHEAD)[0] / reference.executedPerSecond());
                    scheduled.add(reference.scheduledPerSecond());
                    cleanUpScans.add(pieces[0]);
                    fullCleanUpScans.add(pieces[1]);
                    markerScans.add(pieces[2]);
                    threadSets.add(pieces[3]);
                }
                progress.step("execution %s: bare %,.0f/s, setsid %,.0f/s, runner %,.0f/s (no group %,.0f/s, "
                        + "through setsid %,.0f/s), "
                        + "Switchboard true %,.0f/s, no-op %,.0f/s; on %d threads: bare %,.0f/s, Switchboard true "
                        + "%,.0f/s, no-op %,.0f/s (submitted before %,.0f/s); db-scheduler %,.0f/s",
                        warmUp ? "warm-up" : "round " + round, measured.get(BARE)[0], measured.get(BARE_SETSID)[0],
                        measured.get(RUNNER)[0], measured.get(RUNNER_NO_GROUP)[0], measured.get(RUNNER_SETSID)[0],
                        measured.get(END_TO_END)[0],
                        measured.get(DURABLE)[0], PARALLEL, measured.get(BARE_PARALLEL)[0],
                        measured.get(END_TO_END_PARALLEL)[0], measured.get(DURABLE_PARALLEL)[0],
                        measured.get(DURABLE_AHEAD)[0], measured.get(DB_SCHEDULER)[0]);
            }
            // Counted, not timed: the pages a task's acceptance and its run append to the log, on one thread.
            WalPages.Count submitPages;
            WalPages.Count runPages;
            try (java.sql.Connection pin = java.sql.DriverManager.getConnection(url)) {
                Path file = Path.of(url.substring(SQLITE_URL.length()));
                List<String> accepted = new ArrayList<>();
                submitPages = WalPages.count(file, pin, PAGE_COUNT_TASKS, () -> {
                    for (int i = 0; i < PAGE_COUNT_TASKS; i++) {
                        accepted.add(durable.submit());
                    }
                });
                runPages = WalPages.count(file, pin, PAGE_COUNT_TASKS, () -> {
                    for (String id : accepted) {
                        durable.run(id);
                    }
                });
            }
            Map<String, Series> series = new LinkedHashMap<>();
            rates.forEach((kind, rounds) -> series.put(kind, Series.of(kind, rounds, cpu.get(kind))));
            return new Result("sqlite", series, series.get(BARE).perSecond() / series.get(END_TO_END).perSecond(),
                    overheadRounds, series.get(DURABLE_AHEAD).perSecond() / series.get(DB_SCHEDULER).perSecond(),
                    durableRounds, series.get(DURABLE_PARALLEL).perSecond() / series.get(DB_SCHEDULER).perSecond(),
                    plan.dbSchedulerTasks(), dbScheduler.threads(), plan.dbSchedulerPolling().toMillis(),
                    DecisionThroughput.median(scheduled), DecisionThroughput.median(cleanUpScans),
                    DecisionThroughput.median(fullCleanUpScans), DecisionThroughput.median(markerScans),
                    DecisionThroughput.median(threadSets), processes(),
                    runner.ownProcessGroups(), runner.spawnMethod(), submitPages, runPages);
        }
    }

    /** Operations per second and CPU µs per operation, running operations for at least {@code duration}. */
    private static double[] rate(Duration duration, Operation operation) throws Exception {
        long cpuStart = cpuNanos();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        int done = 0;
        long now;
        do {
            operation.run(done++);
            now = System.nanoTime();
        } while (now < end);
        long cpuUsed = cpuNanos() - cpuStart;
        return new double[] {done / ((now - start) / 1e9), cpuUsed / 1e3 / done};
    }

    /**
     * Operations per second and CPU µs per operation, {@code threads} threads running operations for at least
     * {@code duration}, each one after another; operations are numbered across the threads.
     */
    private static double[] rate(Duration duration, int threads, Operation operation) throws Exception {
        java.util.concurrent.atomic.AtomicInteger numbers = new java.util.concurrent.atomic.AtomicInteger();
        long cpuStart = cpuNanos();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        int total = together(threads, () -> {
            int count = 0;
            do {
                operation.run(numbers.getAndIncrement());
                count++;
            } while (System.nanoTime() < end);
            return count;
        });
        long now = System.nanoTime();
        long cpuUsed = cpuNanos() - cpuStart;
        return new double[] {total / ((now - start) / 1e9), cpuUsed / 1e3 / total};
    }

    /** Runs {@code work} on {@code threads} threads at once; returns the sum of what they return. */
    private static int together(int threads, java.util.concurrent.Callable<Integer> work) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(work));
            }
            int total = 0;
            for (java.util.concurrent.Future<Integer> each : done) {
                total += each.get();
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Tasks per second and CPU µs per task of {@code tasks} tasks accepted first (not timed), then run by
     * {@value #PARALLEL} threads, each taking the next task not taken yet, timed from the first start to the last
     * end.
     */
    private static double[] drain(TaskLoop loop, int tasks) throws Exception {
        return acceptedThenTimed(loop, tasks, accepted -> {
            java.util.concurrent.ConcurrentLinkedQueue<String> ready =
                    new java.util.concurrent.ConcurrentLinkedQueue<>(accepted);
            together(PARALLEL, () -> {
                for (String id = ready.poll(); id != null; id = ready.poll()) {
                    loop.run(id);
                }
                return 0;
            });
        });
    }

    /** Work on tasks accepted before it. */
    @FunctionalInterface
    private interface OnAccepted {
        void run(List<String> accepted) throws Exception;
    }

    /**
     * Tasks per second and CPU µs per task of {@code work} on {@code tasks} tasks the loop accepts first (not timed).
     */
    private static double[] acceptedThenTimed(TaskLoop loop, int tasks, OnAccepted work) throws Exception {
        List<String> accepted = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            accepted.add(loop.submit());
        }
        long cpuStart = cpuNanos();
        long start = System.nanoTime();
        work.run(accepted);
        long now = System.nanoTime();
        return new double[] {tasks / ((now - start) / 1e9), (cpuNanos() - cpuStart) / 1e3 / tasks};
    }

    /**
     * Tasks per second and CPU µs per task of the floor's writes for {@code tasks} tasks accepted first (not timed),
     * {@code batch} to a commit.
     */
    private static double[] floor(WriteFloor floor, TaskLoop loop, int tasks, int batch, boolean setBased)
            throws Exception {
        return floor(floor, loop, tasks, batch, setBased, WriteFloor.Record.WHOLE);
    }

    /** The same, writing only the {@code record}'s parts. */
    private static double[] floor(WriteFloor floor, TaskLoop loop, int tasks, int batch, boolean setBased,
            WriteFloor.Record record) throws Exception {
        return acceptedThenTimed(loop, tasks, accepted -> floor.run(accepted, batch, setBased, record));
    }

    /**
     * The pieces a run adds, each timed alone: the clean-up scan, the same over every process, a marker scan of
     * every process, four threads; µs, medians.
     */
    private static double[] pieces() throws IOException {
        List<Double> cleanUp = new ArrayList<>();
        List<Double> fullCleanUp = new ArrayList<>();
        List<Double> marker = new ArrayList<>();
        List<Double> threads = new ArrayList<>();
        for (int i = 0; i < PIECE_SAMPLES; i++) {
            // As after a run of true: the counters read before the agent started, the agent's pid the last one
            // given out, one look at the counter while it ran, then the pids given out since looked up.
            // No process group has id -1 and no process carries this marker: none matches, as after most runs.
            long start = System.nanoTime();
            PidWindow window = PidWindow.beforeStart(PidWindow.PROC);
            window.started(PidWindow.PROC.lastPid());
            window.look();
            ProcessTable.ofRun(-1, RunRequest.MARKER_VARIABLE, NO_MARKER::equals, window::pids);
            cleanUp.add((System.nanoTime() - start) / 1e3);
            start = System.nanoTime();
            ProcessTable.ofRun(-1, RunRequest.MARKER_VARIABLE, NO_MARKER::equals, () -> PidWindow.Pids.EVERY);
            fullCleanUp.add((System.nanoTime() - start) / 1e3);
            start = System.nanoTime();
            ProcessTable.carrying(RunRequest.MARKER_VARIABLE, NO_MARKER::equals);
            marker.add((System.nanoTime() - start) / 1e3);
            start = System.nanoTime();
            List<Thread> started = new ArrayList<>(4);
            for (int t = 0; t < 4; t++) {
                Thread thread = new Thread(() -> { }, "bench-thread-" + t);
                thread.setDaemon(true);
                thread.start();
                started.add(thread);
            }
            for (Thread thread : started) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            threads.add((System.nanoTime() - start) / 1e3);
        }
        return new double[] {DecisionThroughput.median(cleanUp), DecisionThroughput.median(fullCleanUp),
                DecisionThroughput.median(marker), DecisionThroughput.median(threads)};
    }

    private static void spawn(List<String> argv, File directory) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).directory(directory).start();
        process.getOutputStream().close();
        try (InputStream out = process.getInputStream(); InputStream err = process.getErrorStream()) {
            out.transferTo(OutputStream.nullOutputStream());
            err.transferTo(OutputStream.nullOutputStream());
        }
        int status = process.waitFor();
        if (status != 0) {
            throw new IllegalStateException(argv + " exited with status " + status);
        }
    }

    private static void run(LocalAgentRunner runner, RunRequest request) throws InterruptedException {
        RunResult result = runner.start(request, RunObserver.NONE).await();
        if (!result.succeeded()) {
            throw new IllegalStateException("the runner's run of true failed: " + result.failure());
        }
    }

    /** What the dispatcher would ask of the runner for this agent. */
    private static RunRequest request(String taskId, Path directory, Map<String, String> environment) {
        return new RunRequest(taskId, 1, TaskLoop.AGENT_DOING_NOTHING, Mode.AUTO, "Do nothing.", directory,
                environment, Set.of(), ExecutionSettings.DEFAULT_TIMEOUT, ExecutionSettings.DEFAULT_IDLE_TIMEOUT, null,
                "o-bench-runner:" + taskId + ":1", false);
    }

    /** The variables on the default allow-list that this process has, as the dispatcher passes them. */
    private static Map<String, String> allowedEnvironment() {
        Map<String, String> environment = new HashMap<>();
        for (String name : ExecutionSettings.DEFAULT_ENV_ALLOW_LIST) {
            String value = System.getenv(name);
            if (value != null) {
                environment.put(name, value);
            }
        }
        return environment;
    }

    /** The absolute path of a program on {@code PATH}. */
    private static String program(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String folder : path.split(":")) {
            Path candidate = Path.of(folder.isEmpty() ? "." : folder, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath().toString();
            }
        }
        throw new IllegalStateException(name + " is not on PATH (" + path + ")");
    }

    private static int processes() {
        try (var entries = Files.list(Path.of("/proc"))) {
            return (int) entries.filter(entry -> entry.getFileName().toString().chars().allMatch(Character::isDigit))
                    .count();
        } catch (IOException e) {
            return 0;
        }
    }

    static long cpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }
}
