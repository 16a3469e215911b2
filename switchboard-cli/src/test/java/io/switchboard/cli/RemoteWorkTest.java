package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.switchboard.broker.TestBrokers;
import io.switchboard.broker.Topology;
import io.switchboard.core.agent.AgentStatus;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.remote.AttemptKey;
import io.switchboard.core.remote.RemoteState;
import io.switchboard.core.remote.ReportedResult;
import io.switchboard.core.task.TaskState;
import io.switchboard.store.Database;
import io.switchboard.store.Store;
import io.switchboard.testkit.agent.FakeAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Work sent to remote workers, end to end: {@code switchboard worker} as real child JVMs consuming a real broker (the
 * RabbitMQ on 127.0.0.1:5672, else an embedded Qpid Broker-J), an orchestrator with {@code --amqp} in the test's JVM,
 * one SQLite file all of them share, and the fake agent as the workers' agent. Each test keeps to queues of its own
 * ({@code SWITCHBOARD_QUEUE_PREFIX}) and deletes them at the end. Leases are judged by the database's clock, so the
 * test waits (bounded, polled) for what the store says, never for a fixed time.
 */
class RemoteWorkTest {
    private static final String PROMPT = "Implement the parser";

    @TempDir
    Path dir;

    final String prefix = "sbtest." + UUID.randomUUID().toString().substring(0, 8);
    final TestBrokers.TestBroker broker = TestBrokers.one();
    final List<Process> started = new ArrayList<>();

    @BeforeEach
    void orchestratorConfig() throws IOException {
        // The orchestrator declares no agents of its own: only the workers' can take the task.
        Files.writeString(dir.resolve("switchboard.yaml"), """
                workers: {claim_within: 30s}
                retry: {initial_delay: 0s}
                """);
    }

    @AfterEach
    void stopAndCleanUp() throws Exception {
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        try (Connection connection = broker.endpoint().connect("cleanup"); Channel channel =
                connection.createChannel()) {
            Topology topology = new Topology(prefix, Topology.DEFAULT_DELIVERY_LIMIT, 0);
            for (String agent : List.of("remote-one", "remote-slow", "remote-fast")) {
                channel.queueDelete(topology.agentQueue(agent));
            }
            channel.queueDelete(topology.deadLetterQueue());
            channel.queueDelete(topology.resultsQueue());
            channel.exchangeDelete(topology.workExchange());
            channel.exchangeDelete(topology.deadLetterExchange());
            channel.exchangeDelete(topology.resultsExchange());
            channel.exchangeDelete(topology.submittedExchange());
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a_task_routed_to_a_workers_agent_runs_on_the_worker_and_its_result_is_the_attempts() throws Exception {
        Path runs = dir.resolve("runs-one");
        Path worker = workerDir("worker-one", "remote-one", FakeAgent.command("count", runs.toString(), "print-env",
                "SWITCHBOARD_ATTEMPT", "print", "remote done"), "workers: {heartbeat: 200ms, missed_beats: 3}\n");
        startWorker(worker);

        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            awaitOnline(store, "remote-one");

            CliRun.Result result = orchestrator().run("--db", dbUrl(), "--amqp", broker.url(), "orchestrate",
                    "--prompt", PROMPT);

            assertThat(result.code()).as(result.out() + result.err()).isEqualTo(ExitCodes.OK);
            String taskId = onlyTask(store);
            List<AttemptRecord> attempts = store.attemptRecords(taskId);
            assertThat(attempts).hasSize(1);
            AttemptRecord attempt = attempts.getFirst();
            assertThat(attempt.attempt().agentName()).isEqualTo("remote-one");
            assertThat(attempt.attempt().state()).isEqualTo(AttemptState.SUCCEEDED);
            // The answer is what the agent printed on the worker: its marker names the worker, not the orchestrator.
            assertThat(attempt.answer()).contains("remote done").containsPattern("w-[0-9a-f]{8}:" + taskId + ":1");
            var remote = store.remoteAttempt(new AttemptKey(taskId, 1)).orElseThrow();
            assertThat(remote.state()).isEqualTo(RemoteState.REPORTED);
            assertThat(remote.workerId()).startsWith("w-");
            assertThat(store.reportedResults(taskId)).singleElement().satisfies(reported -> {
                assertThat(reported.accepted()).isTrue();
                assertThat(reported.workerId()).isEqualTo(remote.workerId());
            });
            assertThat(Files.readString(runs).strip()).isEqualTo("1");
            assertThat(store.countPending()).isZero();
        }
        assertThat(Files.readString(worker.resolve("worker.out")))
                .contains("\"event\":\"claimed\"").contains("\"event\":\"reported\"");
    }

    @Test
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a_worker_paused_past_its_lease_loses_the_attempt_which_runs_again_elsewhere_and_its_late_result_is_superseded()
            throws Exception {
        Path slowRuns = dir.resolve("runs-slow");
        Path fastRuns = dir.resolve("runs-fast");
        Path release = dir.resolve("release-slow");
        // The slow agent waits for a file the test writes once the worker holding it has been paused past its lease.
        Path slow = workerDir("worker-slow", "remote-slow", FakeAgent.command("count", slowRuns.toString(),
                "wait-for", release.toString(), "60000", "print", "slow done"),
                "workers: {heartbeat: 300ms, missed_beats: 3}\n");
        Path fast = workerDir("worker-fast", "remote-fast", FakeAgent.command("count", fastRuns.toString(), "print",
                "fast done"), "workers: {heartbeat: 300ms, missed_beats: 3}\n");
        Process slowWorker = startWorker(slow);

        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            awaitOnline(store, "remote-slow");
            CliRun orchestrator = orchestrator();
            CompletableFuture<CliRun.Result> run = CompletableFuture.supplyAsync(() -> orchestrator.run("--db",
                    dbUrl(), "--amqp", broker.url(), "orchestrate", "--prompt", PROMPT));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Files.exists(slowRuns));
            startWorker(fast);
            awaitOnline(store, "remote-fast");

            // Paused: it neither renews its lease nor reports. The lease passes by the database's clock.
            signal(slowWorker, "STOP");
            CliRun.Result result = run.get();

            assertThat(result.code()).as(result.out() + result.err()).isEqualTo(ExitCodes.OK);
            String taskId = onlyTask(store);
            List<AttemptRecord> attempts = store.attemptRecords(taskId);
            assertThat(attempts).extracting(record -> record.attempt().agentName(), record -> record.attempt().state())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("remote-slow", AttemptState.ABANDONED),
                            org.assertj.core.groups.Tuple.tuple("remote-fast", AttemptState.SUCCEEDED));
            assertThat(attempts.getFirst().failure().type()).isEqualTo(FailureType.ABANDONED);
            assertThat(attempts.getFirst().failure().message()).contains("stopped renewing its lease");

            // Resumed, the slow worker's agent finishes; its result comes too late and is kept, never applied.
            Files.writeString(release, "go");
            signal(slowWorker, "CONT");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> store.reportedResults(taskId).size() == 2);
            List<ReportedResult> reported = store.reportedResults(taskId);
            assertThat(reported).filteredOn(ReportedResult::accepted).singleElement()
                    .satisfies(accepted -> assertThat(accepted.key().number()).isEqualTo(2));
            assertThat(reported).filteredOn(late -> !late.accepted()).singleElement().satisfies(late -> {
                assertThat(late.key().number()).isEqualTo(1);
                assertThat(late.reason()).isNotBlank();
            });
            assertThat(store.attemptRecords(taskId).getFirst().attempt().state()).isEqualTo(AttemptState.ABANDONED);
            assertThat(Files.readString(slowRuns).strip()).isEqualTo("1");
            assertThat(Files.readString(fastRuns).strip()).isEqualTo("1");
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a_remote_attempt_is_verified_on_its_worker_and_fails_when_its_verification_fails() throws Exception {
        Path runs = dir.resolve("runs-verified");
        // The worker's own configuration verifies implement work by leaving a file in its directory.
        Path worker = workerDir("worker-verifying", "remote-one", FakeAgent.command("count", runs.toString(), "print",
                "done"), """
                workers: {heartbeat: 200ms, missed_beats: 3}
                execution:
                  verify: {implement: "touch verified-here"}
                """);
        startWorker(worker);
        // A task of its own says how it is verified, which comes before the worker's configuration.
        Files.createDirectories(dir.resolve("tasks"));
        Files.writeString(dir.resolve("tasks/TASK-9-unverifiable.md"), """
                # TASK-9: Implement the unverifiable

                ## Metadata
                - **ID**: TASK-9
                - **Verify**: false
                """);

        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            awaitOnline(store, "remote-one");

            CliRun.Result verified = orchestrator().run("--db", dbUrl(), "--amqp", broker.url(), "orchestrate",
                    "--prompt", PROMPT);
            CliRun.Result refused = orchestrator().run("--db", dbUrl(), "--amqp", broker.url(), "orchestrate",
                    "--task", "TASK-9");

            assertThat(verified.code()).as(verified.out() + verified.err()).isEqualTo(ExitCodes.OK);
            assertThat(store.attemptRecords(onlyTask(store)).getFirst().attempt().state())
                    .isEqualTo(AttemptState.SUCCEEDED);
            assertThat(worker.resolve("verified-here")).exists();
            assertThat(refused.code()).as(refused.out() + refused.err()).isNotEqualTo(ExitCodes.OK);
            List<AttemptRecord> attempts = store.attemptRecords("TASK-9");
            assertThat(attempts).hasSize(1);
            AttemptRecord failed = attempts.getFirst();
            assertThat(failed.failure().type()).isEqualTo(FailureType.VERIFY_FAILED);
            assertThat(failed.failure().message()).contains("verification 'false' failed on worker w-");
            assertThat(store.taskStatus("TASK-9").orElseThrow().state()).isEqualTo(TaskState.FAILED);
            // The agent ran for both tasks; only the verification told them apart.
            assertThat(Files.readString(runs).strip()).isEqualTo("2");
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a_task_submitted_with_a_broker_is_run_by_a_serving_orchestrator_at_once_not_at_its_next_look()
            throws Exception {
        Path runs = dir.resolve("runs-served");
        startWorker(workerDir("worker-served", "remote-one", FakeAgent.command("count", runs.toString(), "print",
                "served"), "workers: {heartbeat: 200ms, missed_beats: 3}\n"));
        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            awaitOnline(store, "remote-one");
            CliRun.Result first = orchestrator().run("--db", dbUrl(), "--amqp", broker.url(), "submit", "--prompt",
                    "Implement the lexer", "--json");
            assertThat(first.code()).as(first.out() + first.err()).isEqualTo(ExitCodes.OK);
            // An hour between looks: only the doorbell can bring the second task in within the test's patience.
            Process serve = ChildCli.start(dir, "serve", List.of("--db", dbUrl(), "--amqp", broker.url(), "serve",
                    "--poll", "1h"), Map.of("SWITCHBOARD_QUEUE_PREFIX", prefix));
            started.add(serve);
            String firstId = io.switchboard.input.task.PromptTask.from("Implement the lexer").id();
            // The first task was stored before serve began: its first look finds it.
            awaitSucceeded(store, firstId, "serve");

            CliRun.Result second = orchestrator().run("--db", dbUrl(), "--amqp", broker.url(), "submit",
                    "--prompt", "Implement the printer");

            assertThat(second.code()).as(second.out() + second.err()).isEqualTo(ExitCodes.OK);
            assertThat(second.err()).doesNotContain("could not be told");
            String secondId = io.switchboard.input.task.PromptTask.from("Implement the printer").id();
            awaitSucceeded(store, secondId, "serve");
            assertThat(Files.readString(runs).strip()).isEqualTo("2");
        }
    }

    @Test
    void a_submit_whose_broker_cannot_be_told_stores_its_task_and_says_so() throws Exception {
        CliRun.Result result = orchestrator().run("--db", dbUrl(), "--amqp", "amqp://guest:guest@127.0.0.1:1",
                "submit", "--prompt", PROMPT);

        assertThat(result.code()).as(result.out() + result.err()).isEqualTo(ExitCodes.OK);
        assertThat(result.err()).contains("the tasks are stored, but the broker could not be told");
        try (Database database = Database.open(dbUrl())) {
            assertThat(database.store().taskStatus(onlyTask(database.store())).orElseThrow().state())
                    .isEqualTo(TaskState.QUEUED);
        }
        CliRun.Result badUrl = orchestrator().run("--db", dbUrl(), "--amqp", "http://not-a-broker", "submit",
                "--prompt", "Another prompt");
        assertThat(badUrl.code()).isEqualTo(ExitCodes.USAGE);
        try (Database database = Database.open(dbUrl())) {
            // Refused before anything was stored.
            assertThat(database.store().taskStatus(io.switchboard.input.task.PromptTask.from("Another prompt").id()))
                    .isEmpty();
        }
    }

    /** Waits for the task to succeed; when it does not, fails with what the child process printed. */
    private void awaitSucceeded(Store store, String taskId, String child) throws IOException {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> store
                    .taskStatus(taskId).map(status -> status.state() == TaskState.SUCCEEDED).orElse(false));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(taskId + " is " + store.taskStatus(taskId) + "; " + child + " printed:\n"
                    + Files.readString(dir.resolve(child + ".out")) + Files.readString(dir.resolve(child + ".err")), e);
        }
    }

    private Path workerDir(String name, String agent, List<String> command, String workers) throws IOException {
        Path worker = Files.createDirectories(dir.resolve(name));
        Files.writeString(worker.resolve("switchboard.yaml"), """
                agents:
                  %s:
                    adapter: command
                    command: %s
                    capabilities: [implement]
                """.formatted(agent, OrchestrateCommandTest.yamlList(command)) + workers);
        return worker;
    }

    private Process startWorker(Path worker) throws IOException {
        Process process = ChildCli.start(worker, "worker", List.of("--db", dbUrl(), "worker", "--amqp", broker.url(),
                "--json"), Map.of("SWITCHBOARD_QUEUE_PREFIX", prefix));
        started.add(process);
        return process;
    }

    private CliRun orchestrator() {
        CliRun run = new CliRun(dir);
        run.clockInUse = InstantSource.system();
        run.env.put("SWITCHBOARD_QUEUE_PREFIX", prefix);
        return run;
    }

    private static void awaitOnline(Store store, String agent) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> store.find(agent)
                .map(found -> found.status() == AgentStatus.ONLINE).orElse(false));
    }

    /** The task {@code --prompt} made of the prompt: its id is derived from the text. */
    private static String onlyTask(Store store) {
        String id = io.switchboard.input.task.PromptTask.from(PROMPT).id();
        assertThat(store.taskStatus(id)).isPresent();
        return id;
    }

    private static void signal(Process process, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        assertThat(kill.waitFor()).isZero();
    }

    private String dbUrl() {
        return "jdbc:sqlite:" + dir.resolve("state.db");
    }
}
