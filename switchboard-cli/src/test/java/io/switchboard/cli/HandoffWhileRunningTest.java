package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.task.TaskState;
import io.switchboard.process.internal.ProcessTable;
import io.switchboard.store.Database;
import io.switchboard.store.Store;
import io.switchboard.testkit.agent.FakeAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code handoff} of a task that is running: the orchestrator is a real child JVM running a fake agent that sleeps,
 * and {@code handoff} runs in this JVM. A live orchestrator is made to let the task go through the store (it records
 * its attempt cancelled and leaves the task); a dead one is settled as {@code resume} settles it. Either way the task
 * then runs on the agent named, with the packet.
 */
@org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class HandoffWhileRunningTest {
    @TempDir
    Path dir;

    Path log;
    Path received;
    CliRun cli;
    final List<Process> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        log = dir.resolve("runs.log");
        received = dir.resolve("received.txt");
        cli = new CliRun(dir);
        cli.env.put("PATH", System.getenv("PATH"));
        Files.createDirectories(dir.resolve("tasks"));
        Files.writeString(dir.resolve("tasks/TASK-7-slow.md"), """
                # TASK-7: Implement the importer

                ## Metadata
                - **ID**: TASK-7
                """);
        // "slow" is chosen first and works for a minute; the task is handed to "quick", which reads its stdin.
        Files.writeString(dir.resolve("switchboard.yaml"), """
                agents:
                  slow:
                    adapter: command
                    command: %s
                    specializations: [implement]
                  quick:
                    adapter: command
                    command: %s
                retry: {initial_delay: 0s, max_delay: 1ms}
                execution: {grace: 1s}
                """.formatted(
                OrchestrateCommandTest.yamlList(FakeAgent.command("--log", log.toString(), "print",
                        "read the old importer", "print", "QUESTION: keep the CSV dialect?", "write",
                        dir.resolve("printed").toString(), "yes", "sleep", "60000")),
                OrchestrateCommandTest.yamlList(FakeAgent.command("--log", log.toString(), "stdin-to",
                        received.toString(), "print", "done"))));
    }

    @AfterEach
    void stopLeftovers() {
        started.forEach(Process::destroyForcibly);
        for (String line : runs()) {
            ProcessTable.carrying(RunRequest.MARKER_VARIABLE, line.split(" ")[0].substring("marker=".length())::equals)
                    .forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    @Test
    void a_live_orchestrator_records_its_attempt_cancelled_leaves_the_task_and_the_task_runs_on_the_agent_named()
            throws Exception {
        Process orchestrator = orchestrate();
        String marker = awaitAgentStarted();

        CliRun.Result result = cli.run("handoff", "TASK-7", "--to", "quick", "--note", "The importer is half done.");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        assertThat(result.err()).contains("stopping TASK-7 attempt 1 on slow", "TASK-7 is handed off to quick");
        assertThat(carrying(marker)).isEmpty();
        // The orchestrator left the task without retrying it, and ended as if the task were not its own.
        assertThat(orchestrator.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(orchestrator.exitValue()).as(Files.readString(dir.resolve("orchestrator.err")))
                .isEqualTo(ExitCodes.OK);
        assertThat(Files.readString(dir.resolve("orchestrator.err")))
                .contains("TASK-7: handed off to quick; this run leaves it to the handoff");
        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            List<AttemptRecord> attempts = store.attemptRecords("TASK-7");
            assertThat(attempts).extracting(a -> a.attempt().agentName() + " " + a.attempt().state())
                    .containsExactly("slow " + AttemptState.CANCELLED, "quick " + AttemptState.SUCCEEDED);
            AttemptRecord cancelled = attempts.getFirst();
            assertThat(cancelled.failure().type()).isEqualTo(FailureType.CANCELLED);
            assertThat(cancelled.failure().message()).isEqualTo("handed off to quick");
            // Recorded by the orchestrator that ran it, not by the handoff.
            assertThat(cancelled.orchestratorId()).isNotEqualTo(attempts.getLast().orchestratorId());
            assertThat(store.orchestrator(cancelled.orchestratorId()).orElseThrow().endedAt()).isNotNull();
            assertThat(store.taskStatus("TASK-7").orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
            String packet = attempts.getLast().packet();
            assertThat(Files.readString(received)).endsWith("\n\n" + packet);
            assertThat(packet).contains("A person handed the task above to you (quick); yours is attempt 2.",
                    "Attempt 1 on slow: cancelled (cancelled: handed off to quick).",
                    // A command agent's standard output is its final answer, as a workflow step's text output is.
                    "Its final answer:", "read the old importer",
                    "> The importer is half done.", "- Attempt 1 on slow asked: keep the CSV dialect?");
            assertThat(store.inFlightAttempts()).isEmpty();
        }
        // slow once, quick once: nothing ran twice.
        assertThat(runs()).hasSize(2);
    }

    @Test
    void a_dead_orchestrators_attempt_is_settled_as_resume_settles_it_and_the_task_runs_on_the_agent_named()
            throws Exception {
        Process orchestrator = orchestrate();
        String marker = awaitAgentStarted();
        orchestrator.destroyForcibly();
        assertThat(orchestrator.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(carrying(marker)).isNotEmpty();

        CliRun.Result result = cli.run("handoff", "TASK-7", "--to", "quick");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        assertThat(result.err()).contains("stopped 1 of its agent processes", "abandoned TASK-7 attempt 1")
                .doesNotContain("stopping TASK-7");
        assertThat(carrying(marker)).isEmpty();
        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            assertThat(store.attemptRecords("TASK-7")).extracting(a -> a.attempt().agentName() + " "
                    + a.attempt().state()).containsExactly("slow " + AttemptState.ABANDONED, "quick "
                    + AttemptState.SUCCEEDED);
            assertThat(store.attemptRecords("TASK-7").getLast().packet()).contains("### Attempt 1 on slow: abandoned");
        }
        assertThat(runs()).hasSize(2);
    }

    /** Starts {@code switchboard orchestrate --task TASK-7} as its own JVM, in the test's directory. */
    private Process orchestrate() throws IOException {
        Process process = ChildCli.start(dir, "orchestrator", List.of("orchestrate", "--task", "TASK-7"));
        started.add(process);
        return process;
    }

    /** Waits until the slow agent has logged its run and printed its lines, and returns its marker. */
    private String awaitAgentStarted() {
        // The agent writes the file after its lines, each flushed: they are in the pipe by then.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> !runs().isEmpty() && Files.exists(dir.resolve("printed")));
        return runs().getFirst().split(" ")[0].substring("marker=".length());
    }

    private List<String> runs() {
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Long> carrying(String marker) {
        return ProcessTable.carrying(RunRequest.MARKER_VARIABLE, marker::equals);
    }

    private String dbUrl() {
        return "jdbc:sqlite:" + dir.resolve(".switchboard/state.db");
    }
}
