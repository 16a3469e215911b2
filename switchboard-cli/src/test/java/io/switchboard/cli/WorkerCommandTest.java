package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.agent.AgentOrigin;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.AgentStatus;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.store.Database;
import io.switchboard.store.Store;
import io.switchboard.testkit.agent.FakeAgent;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code switchboard worker}: a real child JVM (the CLI's main class) registering its agents in a SQLite file the
 * test reads too, beating, killed with SIGKILL or stopped with SIGTERM; and what it refuses, in-process, before it
 * registers anything. Heartbeats are judged by the database's clock, so the test waits (bounded, polled) for what
 * the database says, never for a fixed time.
 */
class WorkerCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> REMOTE = List.of("remote-claude", "remote-codex");

    @TempDir
    Path dir;
    @TempDir
    Path orchestratorDir;

    CliRun cli;
    final List<Process> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        cli = new CliRun(dir);
        writeWorkerConfig("workers: {heartbeat: 200ms, missed_beats: 3}\n");
        // The orchestrator's own config: one local agent, which no worker's heartbeat concerns.
        Files.writeString(orchestratorDir.resolve("switchboard.yaml"), """
                agents:
                  local:
                    adapter: command
                    command: %s
                    capabilities: [implement]
                """.formatted(OrchestrateCommandTest.yamlList(FakeAgent.command("print", "done"))));
    }

    private void writeWorkerConfig(String workers) throws IOException {
        Files.writeString(dir.resolve("switchboard.yaml"), """
                agents:
                  remote-codex:
                    adapter: command
                    command: %s
                    capabilities: [implement]
                    specializations: [implement]
                  remote-claude:
                    adapter: command
                    command: %s
                    capabilities: [implement]
                """.formatted(OrchestrateCommandTest.yamlList(FakeAgent.command("print", "codex")),
                OrchestrateCommandTest.yamlList(FakeAgent.command("print", "claude"))) + workers);
    }

    @AfterEach
    void stopLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void its_agents_go_online_and_beat_and_after_kill_9_read_offline_once_three_beats_are_missed() throws Exception {
        CliRun orchestrator = orchestrator();
        Process worker = worker();

        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> REMOTE.stream().allMatch(name -> online(store, name)));
            Instant first = store.find("remote-codex").orElseThrow().lastHeartbeat();
            assertThat(first).isNotNull();
            assertThat(store.find("remote-codex").orElseThrow().origin()).isEqualTo(AgentOrigin.WORKER);
            // It beats: the heartbeat moves on, stamped by the database.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> store.find("remote-codex").orElseThrow().lastHeartbeat().isAfter(first));
            assertThat(Files.readString(dir.resolve("worker.out")))
                    .contains("registered remote-codex, remote-claude",
                            "Without a broker (--amqp) it runs no work.");

            // The router chooses the worker's agent while it is alive (it specialises in implementing).
            CliRun.Result alive = orchestrator.run("--db", dbUrl(), "route", "--prompt", "Implement the parser",
                    "--dry-run", "--json");
            assertThat(alive.code()).as(alive.toString()).isEqualTo(ExitCodes.OK);
            assertThat(JSON.readTree(alive.out()).get("decisions").get(0).get("chosen_agent").asText()).isEqualTo("remote-codex");

            worker.destroyForcibly();
            assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> REMOTE.stream().noneMatch(name -> online(store, name)));
            // Offline because three beats (600 ms) went missing by the database's clock, not sooner.
            RegisteredAgent silent = store.find("remote-codex").orElseThrow();
            assertThat(silent.status()).isEqualTo(AgentStatus.OFFLINE);
            assertThat(Duration.between(silent.lastHeartbeat(), store.databaseNow()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(600));
        }

        // The router stops choosing them; the orchestrator's local agent is not judged by any heartbeat.
        CliRun.Result dead = orchestrator.run("--db", dbUrl(), "route", "--prompt", "Implement the parser",
                "--dry-run", "--json");
        assertThat(dead.code()).as(dead.toString()).isEqualTo(ExitCodes.OK);
        JsonNode decision = JSON.readTree(dead.out()).get("decisions").get(0);
        assertThat(decision.get("chosen_agent").asText()).isEqualTo("local");
        List<String> offline = new ArrayList<>();
        decision.get("exclusions").forEach(exclusion -> offline.add(exclusion.get("agent").asText() + " "
                + exclusion.get("reason").asText()));
        assertThat(offline).containsExactlyInAnyOrder("remote-claude offline", "remote-codex offline");

        // agents status shows them offline, with how long ago they last beat.
        CliRun.Result status = orchestrator.run("--db", dbUrl(), "agents", "status", "--json");
        assertThat(status.code()).as(status.toString()).isEqualTo(ExitCodes.OK);
        List<String> rows = new ArrayList<>();
        for (JsonNode agent : JSON.readTree(status.out())) {
            rows.add(agent.get("name").asText() + " " + agent.get("status").asText() + " "
                    + (agent.get("heartbeat_age_ms").isNull() ? "no heartbeat"
                            : agent.get("heartbeat_age_ms").asLong() >= 600 ? "stale" : "fresh"));
        }
        assertThat(rows).containsExactly("local online no heartbeat", "remote-claude offline stale",
                "remote-codex offline stale");
        CliRun.Result table = orchestrator.run("--db", dbUrl(), "agents", "status", "remote-codex");
        assertThat(table.out()).containsPattern("remote-codex +offline +\\S+ \\(\\d+\\.\\d s ago\\)");
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void sigterm_sets_its_agents_offline_at_once_and_exits_0() throws Exception {
        // A window of 10 s: offline right after the worker ends can only be the worker's own doing.
        writeWorkerConfig("workers: {heartbeat: 200ms, missed_beats: 50}\n");
        Process worker = worker("--json");

        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> REMOTE.stream().allMatch(name -> online(store, name)));

            worker.destroy();

            assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(worker.exitValue()).as(Files.readString(dir.resolve("worker.err"))).isEqualTo(ExitCodes.OK);
            for (String name : REMOTE) {
                RegisteredAgent agent = store.find(name).orElseThrow();
                assertThat(agent.status()).isEqualTo(AgentStatus.OFFLINE);
                assertThat(Duration.between(agent.lastHeartbeat(), store.databaseNow()))
                        .isLessThan(Duration.ofSeconds(10));
            }
        }
        List<String> lines = Files.readAllLines(dir.resolve("worker.out"));
        assertThat(lines).hasSize(2);
        JsonNode registered = JSON.readTree(lines.get(0));
        assertThat(registered.get("event").asText()).isEqualTo("registered");
        assertThat(registered.get("stale_after_ms").asLong()).isEqualTo(10_000);
        JsonNode stopped = JSON.readTree(lines.get(1));
        assertThat(stopped.get("event").asText()).isEqualTo("stopped");
        assertThat(stopped.get("offline").asInt()).isEqualTo(2);
        assertThat(stopped.get("worker").asText()).isEqualTo(registered.get("worker").asText());
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void two_workers_run_the_same_agents_which_stay_online_until_the_last_of_them_stops() throws Exception {
        // A window of 10 s: offline right after a worker ends can only be the worker's own doing.
        writeWorkerConfig("workers: {heartbeat: 200ms, missed_beats: 50}\n");
        Process first = namedWorker("worker-1", "--json");

        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> REMOTE.stream().allMatch(name -> online(store, name)));
            // The second registers the same agents after the first: it joins them, it does not take them over.
            Process second = namedWorker("worker-2", "--json");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> lines("worker-2.out").size() == 1);
            assertThat(store.agents()).extracting(RegisteredAgent::name)
                    .containsExactlyInAnyOrder("remote-claude", "remote-codex");

            // The one that registered last stops first: the first still runs the agents, which stay online.
            second.destroy();
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).as(Files.readString(dir.resolve("worker-2.err"))).isEqualTo(ExitCodes.OK);
            JsonNode secondStopped = JSON.readTree(lines("worker-2.out").get(1));
            assertThat(secondStopped.get("offline").asInt()).isZero();
            assertThat(secondStopped.get("online_elsewhere").asInt()).isEqualTo(2);
            for (String name : REMOTE) {
                assertThat(store.find(name).orElseThrow().status()).as(name).isEqualTo(AgentStatus.ONLINE);
            }

            first.destroy();
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).as(Files.readString(dir.resolve("worker-1.err"))).isEqualTo(ExitCodes.OK);
            JsonNode firstStopped = JSON.readTree(lines("worker-1.out").get(1));
            assertThat(firstStopped.get("offline").asInt()).isEqualTo(2);
            assertThat(firstStopped.get("online_elsewhere").asInt()).isZero();
            for (String name : REMOTE) {
                assertThat(store.find(name).orElseThrow().status()).as(name).isEqualTo(AgentStatus.OFFLINE);
            }
        }
        // Neither was told its agents were taken from it.
        assertThat(Files.readString(dir.resolve("worker-1.err"))).doesNotContain("set offline");
        assertThat(Files.readString(dir.resolve("worker-2.err"))).doesNotContain("set offline");
    }

    private List<String> lines(String file) throws IOException {
        Path path = dir.resolve(file);
        return Files.exists(path) ? Files.readAllLines(path) : List.of();
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void an_agent_registered_with_another_profile_is_refused_and_nothing_is_registered() {
        AgentProfile other = new AgentProfile("remote-codex", io.switchboard.core.agent.Adapter.COMMAND, "code",
                "default", List.of(), List.of(), List.of(), List.of(), 0, 100_000,
                io.switchboard.core.agent.Availability.LOCAL, 1, java.util.Map.of(), List.of("./other-codex"));
        try (Database database = Database.open(dbUrl())) {
            database.store().register(other, AgentOrigin.CLI, Instant.now());
        }

        CliRun.Result result = cli.run("worker");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.AGENT_CLASH);
        assertThat(result.err()).startsWith("switchboard: worker not started: agent 'remote-codex' is registered")
                .contains("another profile").doesNotContain("\tat ");
        try (Database database = Database.open(dbUrl())) {
            assertThat(database.store().find("remote-claude")).isEmpty();
            assertThat(database.store().find("remote-codex").orElseThrow().profile()).isEqualTo(other);
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void an_unreachable_broker_is_exit_9_within_its_timeout_and_nothing_is_registered() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        CliRun.Result refused = cli.run("worker", "--amqp", "amqp://guest:secret@127.0.0.1:" + closedPort);

        assertThat(refused.code()).as(refused.toString()).isEqualTo(ExitCodes.BROKER);
        assertThat(refused.err()).startsWith("switchboard: Could not connect to the broker at amqp://guest:***@")
                .doesNotContain("secret");

        // A port that accepts and never speaks AMQP: the handshake's timeout (5 s) bounds the wait.
        try (ServerSocket silent = new ServerSocket(0)) {
            long start = System.nanoTime();
            CliRun.Result mute = cli.run("worker", "--amqp", "amqp://127.0.0.1:" + silent.getLocalPort());
            assertThat(mute.code()).as(mute.toString()).isEqualTo(ExitCodes.BROKER);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        }

        CliRun.Result notAmqp = cli.run("worker", "--amqp", "http://127.0.0.1:5672");
        assertThat(notAmqp.code()).as(notAmqp.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(notAmqp.err()).contains("--amqp: a broker URL starts with amqp:// or amqps://");
        // The broker is checked before the database is touched.
        assertThat(dir.resolve(".switchboard")).doesNotExist();
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void an_unreachable_database_is_exit_5_and_a_config_without_agents_exit_2() throws IOException {
        CliRun.Result noDatabase = cli.run("--db", "jdbc:postgresql://127.0.0.1:1/none", "worker");

        assertThat(noDatabase.code()).as(noDatabase.toString()).isEqualTo(ExitCodes.STORE);
        assertThat(noDatabase.err()).startsWith("switchboard: ").doesNotContain("\tat ");

        Files.writeString(dir.resolve("switchboard.yaml"), "workers: {heartbeat: 1s}\n");
        CliRun.Result noAgents = cli.run("worker");
        assertThat(noAgents.code()).as(noAgents.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(noAgents.err()).contains("declares no agents for this worker to run");

        Files.writeString(dir.resolve("switchboard.yaml"), "agents: {codex: {}}\nworkers: {heartbeet: 1s}\n");
        CliRun.Result badKey = cli.run("worker");
        assertThat(badKey.code()).as(badKey.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(badKey.err()).contains("switchboard.yaml:2: workers.heartbeet: unknown key 'heartbeet'");
    }

    private static boolean online(Store store, String name) {
        return store.find(name).map(agent -> agent.status() == AgentStatus.ONLINE && agent.lastHeartbeat() != null)
                .orElse(false);
    }

    /** The orchestrator's side, in a directory of its own, on the real clock (heartbeats are real instants). */
    private CliRun orchestrator() {
        CliRun run = new CliRun(orchestratorDir);
        run.clockInUse = InstantSource.system();
        return run;
    }

    /** Starts {@code switchboard worker ARGS} as its own JVM, in the test's directory. */
    private Process worker(String... args) throws IOException {
        return namedWorker("worker", args);
    }

    /** The same, its output in {@code NAME.out} and {@code NAME.err}. */
    private Process namedWorker(String name, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("worker"));
        argv.addAll(List.of(args));
        Process process = ChildCli.start(dir, name, argv);
        started.add(process);
        return process;
    }

    private String dbUrl() {
        return "jdbc:sqlite:" + dir.resolve(".switchboard/state.db");
    }
}
