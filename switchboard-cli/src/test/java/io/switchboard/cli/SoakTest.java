package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.switchboard.broker.TcpProxy;
import io.switchboard.broker.TestBrokers;
import io.switchboard.broker.Topology;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.input.task.PromptTask;
import io.switchboard.store.Database;
import io.switchboard.store.PostgresServer;
import io.switchboard.store.Store;
import io.switchboard.testkit.agent.FakeAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof that nothing is lost: a few hundred tasks with unique ids, two orchestrators ({@code serve}) and two
 * workers as real child JVMs on one PostgreSQL and one broker, the fake agent logging every run it really makes, and
 * faults injected on a seeded schedule: kill -9 and restart a worker or an orchestrator, cut the broker off (every
 * connection through a proxy dropped and refused for a while), terminate PostgreSQL's backends, pause a worker past its
 * lease and resume it. Then everything is healed, the work drains, and the store and the side-effect log are checked
 * (see {@link #violations}). The counts and the seed are printed.
 *
 * <p>Short in CI. Longer on demand: {@code ./mvnw verify -pl switchboard-cli -am -Dtest=SoakTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dswitchboard.soak.tasks=1000 -Dswitchboard.soak.faults=60}, and
 * {@code -Dswitchboard.soak.seed=N} repeats a schedule.
 *
 * <p>The deliberately broken mode ({@code SWITCHBOARD_UNSAFE_UNFENCED_RESULTS=1} in the workers' environment: the
 * store accepts a worker's result without checking that it still holds the attempt) must make the checks fail, which
 * shows they can see a result that should have been superseded.
 */
class SoakTest {
    /** The most trouble lines one process may write to stderr in a soak: a few per fault, never one per retry. */
    private static final int MOST_ERROR_LINES = 100;
    private static final Pattern MARKER = Pattern.compile("marker=(w-[0-9a-f]{8}):(.+):(\\d+) pid=");

    @TempDir
    Path dir;

    final String prefix = "sbsoak." + UUID.randomUUID().toString().substring(0, 8);
    final TestBrokers.TestBroker broker = TestBrokers.one();
    final List<Process> all = new ArrayList<>();
    PostgresServer.Schema schema;
    /** The schema's URL, naming this soak as the application of every connection. */
    String url;
    TcpProxy proxy;
    /** In front of PostgreSQL for the child processes, so that the database can be made unreachable to them. */
    TcpProxy databaseProxy;
    /** The children's URL: the schema's, through {@link #databaseProxy}. */
    String childUrl;

    @AfterEach
    void cleanUp() throws Exception {
        for (Process process : all) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (databaseProxy != null) {
            databaseProxy.close();
        }
        if (schema != null) {
            schema.close();
        }
        try (Connection connection = broker.endpoint().connect("cleanup"); Channel channel =
                connection.createChannel()) {
            Topology topology = new Topology(prefix, Topology.DEFAULT_DELIVERY_LIMIT, 0);
            for (String agent : List.of("fake-1", "fake-2")) {
                channel.queueDelete(topology.agentQueue(agent));
            }
            channel.queueDelete(topology.deadLetterQueue());
            channel.queueDelete(topology.resultsQueue());
            channel.exchangeDelete(topology.workExchange());
            channel.exchangeDelete(topology.deadLetterExchange());
            channel.exchangeDelete(topology.resultsExchange());
        }
    }

    @Test
    @Timeout(value = 600, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void no_task_is_lost_or_run_twice_whatever_is_killed_cut_off_or_paused() throws Exception {
        long seed = Long.getLong("switchboard.soak.seed", new Random().nextLong());
        int tasks = Integer.getInteger("switchboard.soak.tasks", 200);
        int faults = Integer.getInteger("switchboard.soak.faults", 8);

        Soak soak = run(seed, tasks, faults, Map.of());

        System.out.println("soak: seed " + seed + ", " + soak.counts());
        assertThat(soak.violations()).as("seed " + seed).isEmpty();
        assertThat(soak.count("submitted")).isEqualTo(tasks);
        assertThat(soak.count("final")).isEqualTo(tasks);
    }

    @Test
    @Timeout(value = 600, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void the_checks_fail_when_results_are_accepted_without_checking_the_attempt() throws Exception {
        long seed = Long.getLong("switchboard.soak.seed", new Random().nextLong());

        // Only pauses: a paused worker's attempt runs again elsewhere, and its late result must be superseded.
        Soak soak = run(seed, 40, -3, Map.of("SWITCHBOARD_UNSAFE_UNFENCED_RESULTS", "1"));

        System.out.println("soak (broken on purpose): seed " + seed + ", " + soak.counts());
        assertThat(soak.violations()).as("seed " + seed).anySatisfy(violation -> assertThat(violation)
                .contains("accepted results"));
    }

    /** What a soak left: its counts and every rule broken. */
    record Soak(Map<String, Integer> counted, List<String> violations) {
        int count(String what) {
            return counted.getOrDefault(what, 0);
        }

        String counts() {
            return counted.toString();
        }
    }

    /**
     * One soak.
     *
     * @param faults how many faults to inject on the seeded schedule; a negative number {@code -n} injects n pauses
     *     of a worker that holds an attempt, and nothing else
     * @param workerEnv added to the workers' environment
     */
    private Soak run(long seed, int taskCount, int faults, Map<String, String> workerEnv) throws Exception {
        Random random = new Random(seed);
        schema = PostgresServer.newSchema(SoakTest.class);
        // Every connection of this soak carries its name, so that terminating backends touches no one else's.
        url = schema.url() + "&ApplicationName=" + prefix;
        Matcher authority = Pattern.compile("//([^/:]+):(\\d+)/").matcher(url);
        assertThat(authority.find()).as(url).isTrue();
        databaseProxy = TcpProxy.plain(Integer.parseInt(authority.group(2)));
        childUrl = url.substring(0, authority.start()) + "//127.0.0.1:" + databaseProxy.port() + "/"
                + url.substring(authority.end());
        proxy = new TcpProxy(broker.port());
        String amqp = "amqp://guest:guest@127.0.0.1:" + proxy.port();
        Path log = dir.resolve("side-effects.log");
        Files.createFile(log);

        Path orchestratorDir = Files.createDirectories(dir.resolve("orchestrator"));
        Files.writeString(orchestratorDir.resolve("switchboard.yaml"), """
                workers: {heartbeat: 300ms, missed_beats: 3, claim_within: 5s}
                retry: {initial_delay: 0s, max_attempts: 20}
                execution: {grace: 1s}
                """);
        Map<String, Path> workerDirs = new LinkedHashMap<>();
        for (String name : List.of("fake-1", "fake-2")) {
            Path workerDir = Files.createDirectories(dir.resolve(name));
            Files.writeString(workerDir.resolve("switchboard.yaml"), """
                    agents:
                      %s:
                        adapter: command
                        command: %s
                        capabilities: [implement, test, fix, refactor, docs, review, plan]
                        max_concurrency: 4
                    workers: {heartbeat: 300ms, missed_beats: 3}
                    execution: {grace: 1s}
                    """.formatted(name, OrchestrateCommandTest.yamlList(FakeAgent.command("--log", log.toString(),
                    "sleep", "150", "print", "done"))));
            workerDirs.put(name, workerDir);
        }

        Set<String> submitted = new HashSet<>();
        try (Database database = Database.open(url)) {
            Store store = database.store();
            Instant now = Instant.now();
            for (int i = 1; i <= taskCount; i++) {
                var task = PromptTask.from("Implement soak task " + i);
                store.submit(task, TaskOptions.DEFAULTS, false, now);
                submitted.add(task.id());
            }
        }

        Map<String, String> env = Map.of("SWITCHBOARD_QUEUE_PREFIX", prefix);
        Map<String, String> workersEnv = new HashMap<>(env);
        workersEnv.putAll(workerEnv);
        Fleet fleet = new Fleet();
        for (int i = 1; i <= 2; i++) {
            fleet.define("orchestrator-" + i, orchestratorDir, List.of("--db", childUrl, "--amqp", amqp, "serve",
                    "--parallel", "16", "--poll", "100ms"), env);
        }
        workerDirs.forEach((name, workerDir) -> fleet.define("worker-" + name, workerDir, List.of("--db",
                childUrl, "worker", "--amqp", amqp, "--json"), workersEnv));

        Map<String, Integer> counted = new LinkedHashMap<>();
        counted.put("submitted", taskCount);
        try (Database database = Database.open(url)) {
            Store store = database.store();
            // The workers first: a task no registered agent can take fails at once, as it should.
            fleet.start("worker-fake-1");
            fleet.start("worker-fake-2");
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50)).until(() -> workerDirs.keySet()
                    .stream().allMatch(name -> store.find(name).map(agent -> agent.status()
                            == io.switchboard.core.agent.AgentStatus.ONLINE).orElse(false)));
            fleet.start("orchestrator-1");
            fleet.start("orchestrator-2");
            if (faults >= 0) {
                injectFaults(random, faults, fleet, counted);
            } else {
                pauseHolders(-faults, fleet, store, counted);
            }
            // Heal: everything up, then drain.
            proxy.up();
            databaseProxy.up();
            fleet.restartDead();
            try {
                // The outbox too: rows a killed orchestrator's relay had claimed go out through a live relay once that
                // orchestrator's beats have lapsed.
                // Kept up as a supervisor keeps them: a child restarted during the faults may exit after the heal
                // (a worker refuses to start while its database is unreachable), and is started again.
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                        .until(() -> {
                            int restarted = fleet.restartDead();
                            if (restarted > 0) {
                                counted.merge("restarted after the heal", restarted, Integer::sum);
                            }
                            return store.unfinishedTasks().isEmpty() && store.inFlightAttempts().isEmpty()
                                    && store.countPending() == 0;
                        });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("seed " + seed + ": the work did not drain; " + counted + "\n"
                        + stuck(store), e);
            }
            fleet.stopAll();
            List<String> violations = violations(store, submitted, log, counted);
            return new Soak(counted, violations);
        }
    }

    /** What did not drain, and the tail of every child's error output, to tell why. */
    private String stuck(Store store) throws IOException {
        StringBuilder text = new StringBuilder();
        List<String> unfinished = store.unfinishedTasks();
        text.append(unfinished.size()).append(" unfinished\n");
        for (String id : unfinished.subList(0, Math.min(5, unfinished.size()))) {
            text.append(store.taskStatus(id).orElseThrow()).append('\n');
            for (var record : store.attemptRecords(id)) {
                text.append("  ").append(record.attempt().number()).append(' ').append(record.attempt().agentName())
                        .append(' ').append(record.attempt().state()).append(' ').append(record.orchestratorId())
                        .append(' ').append(store.remoteAttempt(new io.switchboard.core.remote.AttemptKey(id,
                                record.attempt().number())).orElse(null)).append('\n');
            }
        }
        try (var files = Files.walk(dir)) {
            for (Path err : files.filter(path -> path.toString().endsWith(".err")).sorted().toList()) {
                List<String> lines = Files.readAllLines(err);
                text.append("--- ").append(dir.relativize(err)).append('\n');
                lines.subList(Math.max(0, lines.size() - 15), lines.size())
                        .forEach(line -> text.append(line).append('\n'));
            }
        }
        return text.toString();
    }

    private void injectFaults(Random random, int faults, Fleet fleet, Map<String, Integer> counted) throws Exception {
        List<String> workers = List.of("worker-fake-1", "worker-fake-2");
        List<String> orchestrators = List.of("orchestrator-1", "orchestrator-2");
        for (int i = 0; i < faults; i++) {
            Thread.sleep(300 + random.nextInt(900));
            int kind = random.nextInt(6);
            switch (kind) {
                case 0 -> {
                    String worker = workers.get(random.nextInt(2));
                    fleet.kill(worker);
                    Thread.sleep(200 + random.nextInt(800));
                    fleet.start(worker);
                    counted.merge("fault: worker killed", 1, Integer::sum);
                }
                case 1 -> {
                    String orchestrator = orchestrators.get(random.nextInt(2));
                    fleet.kill(orchestrator);
                    Thread.sleep(200 + random.nextInt(800));
                    fleet.start(orchestrator);
                    counted.merge("fault: orchestrator killed", 1, Integer::sum);
                }
                case 2 -> {
                    proxy.down();
                    Thread.sleep(500 + random.nextInt(2000));
                    proxy.up();
                    counted.merge("fault: broker cut off", 1, Integer::sum);
                }
                case 3 -> {
                    terminateBackends();
                    counted.merge("fault: database backends terminated", 1, Integer::sum);
                }
                case 4 -> {
                    databaseProxy.down();
                    Thread.sleep(500 + random.nextInt(2000));
                    databaseProxy.up();
                    counted.merge("fault: database unreachable", 1, Integer::sum);
                }
                default -> {
                    String worker = workers.get(random.nextInt(2));
                    fleet.signal(worker, "STOP");
                    // Past its lease (3 × 300 ms) by a margin, then resumed.
                    Thread.sleep(1_500 + random.nextInt(1_000));
                    fleet.signal(worker, "CONT");
                    counted.merge("fault: worker paused past its lease", 1, Integer::sum);
                }
            }
        }
    }

    /** Pauses, {@code times} times, a worker that holds an attempt, past its lease, and resumes it. */
    private void pauseHolders(int times, Fleet fleet, Store store, Map<String, Integer> counted) throws Exception {
        for (int i = 0; i < times; i++) {
            String holder = await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20))
                    .until(() -> claimedBy(store), found -> found != null);
            String role = holder.equals("fake-1") ? "worker-fake-1" : "worker-fake-2";
            fleet.signal(role, "STOP");
            Thread.sleep(2_000);
            fleet.signal(role, "CONT");
            counted.merge("fault: worker paused past its lease", 1, Integer::sum);
        }
    }

    /** The agent of an attempt some worker holds now, or {@code null}. */
    private String claimedBy(Store store) {
        return store.inFlightAttempts().stream()
                .filter(record -> store.remoteAttempt(new io.switchboard.core.remote.AttemptKey(record.attempt()
                        .taskId(), record.attempt().number())).map(remote -> remote.state()
                        == io.switchboard.core.remote.RemoteState.CLAIMED).orElse(false))
                .map(record -> record.attempt().agentName()).findFirst().orElse(null);
    }

    private void terminateBackends() throws Exception {
        try (var connection = DriverManager.getConnection(url); Statement statement =
                connection.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                    + "current_database() AND pid <> pg_backend_pid() AND application_name = '" + prefix + "'");
        }
    }

    /**
     * Every rule a soak must keep, and each one broken: every submitted task ended in exactly one final state; no task
     * that was never submitted; no task with two accepted results; a succeeded task's accepted result is a success;
     * every run in the side-effect log maps to an attempt row, and no attempt ran twice; nothing in flight; no process
     * left with an attempt marker; the outbox empty.
     */
    private List<String> violations(Store store, Set<String> submitted, Path log, Map<String, Integer> counted)
            throws Exception {
        List<String> violations = new ArrayList<>();
        Map<String, String> states = new HashMap<>();
        Map<String, Integer> acceptedPerTask = new HashMap<>();
        Set<String> attempts = new HashSet<>();
        try (var connection = DriverManager.getConnection(url); Statement statement =
                connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT task_id, state FROM tasks")) {
                while (rows.next()) {
                    states.put(rows.getString(1), rows.getString(2));
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT task_id, count(*) FROM attempt_results WHERE accepted"
                    + " GROUP BY task_id")) {
                while (rows.next()) {
                    acceptedPerTask.put(rows.getString(1), rows.getInt(2));
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT task_id, attempt_number FROM attempts")) {
                while (rows.next()) {
                    attempts.add(rows.getString(1) + ":" + rows.getInt(2));
                }
            }
        }
        int finals = 0;
        for (String id : submitted) {
            var status = store.taskStatus(id);
            if (status.isEmpty()) {
                violations.add("lost: " + id + " is not in the store");
            } else if (!status.get().state().isFinal()) {
                violations.add("lost: " + id + " ended " + status.get().state());
            } else {
                finals++;
                counted.merge(status.get().state().configName(), 1, Integer::sum);
            }
        }
        counted.put("final", finals);
        states.keySet().stream().filter(id -> !submitted.contains(id))
                .forEach(id -> violations.add("never submitted, yet stored: " + id));
        acceptedPerTask.forEach((task, accepted) -> {
            if (accepted > 1) {
                violations.add(task + " has " + accepted + " accepted results; " + history(store, task));
            }
        });
        counted.put("accepted results", acceptedPerTask.values().stream().mapToInt(Integer::intValue).sum());
        counted.put("superseded results", (int) submitted.stream().flatMap(id -> store.reportedResults(id).stream())
                .filter(result -> !result.accepted()).count());
        counted.put("attempts", attempts.size());

        Map<String, Integer> runsPerAttempt = new HashMap<>();
        Set<String> workerIds = new HashSet<>();
        for (String line : Files.readAllLines(log)) {
            Matcher matcher = MARKER.matcher(line);
            if (!matcher.find()) {
                violations.add("a run without an attempt marker: " + line);
                continue;
            }
            workerIds.add(matcher.group(1));
            String attempt = matcher.group(2) + ":" + matcher.group(3);
            runsPerAttempt.merge(attempt, 1, Integer::sum);
            if (!attempts.contains(attempt)) {
                violations.add("a run of no attempt in the store: " + line);
            }
        }
        runsPerAttempt.forEach((attempt, runs) -> {
            if (runs > 1) {
                violations.add("attempt " + attempt + " ran " + runs + " times");
            }
        });
        counted.put("runs", runsPerAttempt.values().stream().mapToInt(Integer::intValue).sum());

        if (!store.inFlightAttempts().isEmpty()) {
            violations.add("attempts still in flight: " + store.inFlightAttempts().size());
        }
        if (store.countPending() != 0) {
            violations.add("outbox not empty: " + store.countPending());
        }
        // Outages are reported once each, not once per retry: no child's error output floods.
        int mostLines = 0;
        try (var files = Files.walk(dir)) {
            for (Path err : files.filter(path -> path.toString().endsWith(".err")).toList()) {
                // Progress lines (one per task event) are not counted: only what reports trouble.
                List<String> all = Files.readAllLines(err).stream().filter(line -> line.startsWith("switchboard:")
                        || line.contains("Exception") || line.startsWith("\tat ")).toList();
                int lines = all.size();
                mostLines = Math.max(mostLines, lines);
                if (lines > MOST_ERROR_LINES) {
                    Map<String, Integer> kinds = new HashMap<>();
                    all.forEach(line -> kinds.merge(line.length() > 60 ? line.substring(0, 60) : line, 1,
                            Integer::sum));
                    violations.add(dir.relativize(err) + " has " + lines + " lines: outages flood the log; most "
                            + "common: "
                            + kinds.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                                    .limit(4).toList());
                }
            }
        }
        counted.put("most trouble lines on a stderr", mostLines);
        List<Long> marked = markedProcesses(workerIds);
        if (!marked.isEmpty()) {
            violations.add("processes left with an attempt marker: " + marked);
        }
        return violations;
    }

    /** A task's attempts, reported results and transitions, to tell how a rule was broken. */
    private static String history(Store store, String taskId) {
        StringBuilder text = new StringBuilder("\n");
        for (var record : store.attemptRecords(taskId)) {
            text.append("  attempt ").append(record.attempt().number()).append(' ').append(record.attempt()
                    .agentName()).append(' ').append(record.attempt().state()).append(" by ")
                    .append(record.orchestratorId()).append(": ").append(record.failure()).append('\n');
        }
        for (var result : store.reportedResults(taskId)) {
            text.append("  result ").append(result.key()).append(" from ").append(result.workerId())
                    .append(result.accepted() ? " accepted" : " superseded: " + result.reason()).append(" at ")
                    .append(result.reportedAt()).append('\n');
        }
        for (var transition : store.transitions(taskId)) {
            text.append("  ").append(transition).append('\n');
        }
        return text.toString();
    }

    /**
     * Processes whose environment carries an attempt marker of one of these workers (this soak's: other work on the
     * machine may run workers of its own).
     */
    private static List<Long> markedProcesses(Set<String> workerIds) throws IOException {
        List<Long> found = new ArrayList<>();
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(path -> path.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String environ = new String(Files.readAllBytes(process.resolve("environ")),
                            java.nio.charset.StandardCharsets.UTF_8);
                    if (workerIds.stream().anyMatch(worker -> environ.contains("SWITCHBOARD_ATTEMPT=" + worker
                            + ":"))) {
                        found.add(Long.parseLong(process.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // Ended meanwhile, or not ours to read.
                }
            }
        }
        return found;
    }

    /** The child JVMs of one soak, by role, each restartable. */
    private final class Fleet {
        private final Map<String, Role> roles = new LinkedHashMap<>();

        private record Role(Path directory, List<String> args, Map<String, String> env) {
        }

        private final Map<String, Process> running = new HashMap<>();

        void define(String name, Path directory, List<String> args, Map<String, String> env) {
            roles.put(name, new Role(directory, args, env));
        }

        void start(String name) throws IOException {
            Role role = roles.get(name);
            Process process = ChildCli.start(role.directory(), name + "-" + System.nanoTime(), role.args(),
                    role.env());
            all.add(process);
            running.put(name, process);
        }

        void kill(String name) throws Exception {
            Process process = running.get(name);
            signal(name, "KILL");
            process.waitFor();
        }

        void signal(String name, String signal) throws Exception {
            Process process = running.get(name);
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            kill.waitFor();
        }

        /** Starts again every child that is not running; returns how many. */
        int restartDead() throws IOException {
            int restarted = 0;
            for (Map.Entry<String, Process> entry : new ArrayList<>(running.entrySet())) {
                if (!entry.getValue().isAlive()) {
                    start(entry.getKey());
                    restarted++;
                }
            }
            return restarted;
        }

        /** SIGTERM to everyone, and waits for them to stop cleanly. */
        void stopAll() throws Exception {
            for (String name : running.keySet()) {
                signal(name, "TERM");
            }
            for (Process process : running.values()) {
                process.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(30),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
    }
}
