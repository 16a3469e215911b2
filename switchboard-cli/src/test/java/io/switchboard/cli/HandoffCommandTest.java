package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.routing.ExclusionReason;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.task.TaskState;
import io.switchboard.store.Database;
import io.switchboard.store.Store;
import io.switchboard.testkit.agent.FakeAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code handoff} in-process on tasks that failed, with agents that are real subprocesses (the fake agent): the task
 * runs again on the agent named and no other, which reads the prompt and the packet on its standard input; and every
 * request that cannot be carried out is refused with its exit code before anything runs.
 */
@org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class HandoffCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    CliRun cli;
    Path log;
    Path received;

    @BeforeEach
    void setUp() throws IOException {
        cli = new CliRun(dir);
        cli.env.put("PATH", System.getenv("PATH"));
        log = dir.resolve("runs.log");
        received = dir.resolve("received.txt");
        Files.createDirectories(dir.resolve("tasks"));
        Files.writeString(dir.resolve("tasks/TASK-1-add-parser.md"), """
                # TASK-1: Implement the config parser

                ## Metadata
                - **ID**: TASK-1
                - **Complexity**: 30

                ## Description
                Implement the parser for the config file.
                """);
        // builder and helper fail, and two attempts are all a task may use: closer is never reached by routing.
        Files.writeString(dir.resolve("switchboard.yaml"), """
                agents:
                  builder:
                    adapter: command
                    command: %s
                    specializations: [implement]
                  helper:
                    adapter: command
                    command: %s
                    strengths: [implement]
                  closer:
                    adapter: command
                    command: %s
                  tiny:
                    adapter: command
                    command: %s
                    context_limit: 10
                retry: {initial_delay: 0s, max_delay: 1ms, max_attempts: 2}
                """.formatted(
                agent("print", "error: Parser.java:12: ';' expected", "exit", "3"),
                agent("stderr", "helper gave up", "exit", "4"),
                agent("stdin-to", received.toString(), "print", "QUESTION: keep the old parser?", "print", "done"),
                agent("print", "done")));
    }

    @Test
    void a_failed_task_handed_off_runs_on_that_agent_which_reads_the_prompt_and_the_packet() throws IOException {
        CliRun.Result failed = cli.run("orchestrate", "--task", "TASK-1");
        assertThat(failed.code()).as(failed.toString()).isEqualTo(ExitCodes.TASK_FAILED);

        CliRun.Result result = cli.run("handoff", "TASK-1", "--to", "closer", "--note", "Reuse the tokenizer.",
                "--json");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        JsonNode task = JSON.readTree(result.out()).get("tasks").get(0);
        assertThat(task.get("agent").asText()).isEqualTo("closer");
        assertThat(task.get("result").asText()).isEqualTo("succeeded");
        assertThat(result.err()).contains("TASK-1 is handed off to closer");
        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            List<AttemptRecord> attempts = store.attemptRecords("TASK-1");
            assertThat(attempts).extracting(a -> a.attempt().agentName() + " " + a.attempt().state())
                    .containsExactly("builder FAILED", "helper FAILED", "closer SUCCEEDED");
            String packet = attempts.getLast().packet();
            assertThat(Files.readString(received))
                    .isEqualTo(store.loadTask("TASK-1").orElseThrow().prompt() + "\n\n" + packet);
            assertThat(packet).contains("A person handed the task above to you (closer); yours is attempt 3.",
                    "## What was done\n\nAttempt 2 on helper: failed (exit_code: exited with status 4).",
                    "### Attempt 1 on builder: failed (exit_code)", "error: Parser.java:12: ';' expected",
                    "### Attempt 2 on helper: failed (exit_code)", "helper gave up",
                    "From the person who handed the task off:\n\n> Reuse the tokenizer.");
            assertThat(store.handoff("TASK-1")).hasValueSatisfying(h -> assertThat(h.attempt()).isEqualTo(3));
            assertThat(store.transitions("TASK-1")).anySatisfy(t -> {
                assertThat(t.from()).isEqualTo("failed");
                assertThat(t.to()).isEqualTo("queued");
                assertThat(t.reason()).isEqualTo("handed off to closer");
            });
            // The decision says why closer, and kept every other agent out.
            RoutingDecision decision = store.find(io.switchboard.core.port.DecisionLog.DecisionQuery.all()
                    .forTask("TASK-1")).getFirst().decision();
            assertThat(decision.exclusions()).filteredOn(e -> e.reason() == ExclusionReason.PINNED_ELSEWHERE)
                    .extracting(e -> e.agent()).containsExactlyInAnyOrder("builder", "helper", "tiny");
        }
        assertThat(runsLogged()).hasSize(3);
    }

    @Test
    void a_task_handed_off_to_an_agent_that_fails_it_again_is_not_moved_to_another() throws IOException {
        assertThat(cli.run("orchestrate", "--task", "TASK-1").code()).isEqualTo(ExitCodes.TASK_FAILED);

        CliRun.Result result = cli.run("handoff", "TASK-1", "--to", "builder");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.TASK_FAILED);
        assertThat(runsLogged()).hasSize(3);
        try (Database database = Database.open(dbUrl())) {
            assertThat(database.store().attempts("TASK-1")).extracting(a -> a.agentName())
                    .containsExactly("builder", "helper", "builder");
            assertThat(database.store().taskStatus("TASK-1").orElseThrow().state()).isEqualTo(TaskState.FAILED);
        }
    }

    @Test
    void what_cannot_be_handed_off_is_refused_with_its_exit_code_before_anything_runs() throws IOException {
        assertThat(cli.run("orchestrate", "--task", "TASK-1").code()).isEqualTo(ExitCodes.TASK_FAILED);
        int runs = runsLogged().size();

        assertRefused(cli.run("handoff", "TASK-9", "--to", "closer"), ExitCodes.NOT_FOUND, "no task 'TASK-9'");
        assertRefused(cli.run("handoff", "TASK-1", "--to", "nobody"), ExitCodes.NOT_FOUND,
                "unknown agent 'nobody'; known agents: builder, closer, helper, tiny");
        assertRefused(cli.run("handoff", "TASK-1"), ExitCodes.USAGE, "Missing required option: '--to=AGENT'");
        assertRefused(cli.run("handoff", "TASK-1", "--to", "tiny"), ExitCodes.NO_AGENT,
                "tiny cannot take TASK-1: context_limit 10 < estimated");
        assertRefused(cli.run("handoff", "TASK-1", "--to", "closer", "--wait", "0s"), ExitCodes.USAGE,
                "--wait must be more than zero");
        assertRefused(cli.run("handoff", "TASK-1", "--to", "closer", "--env", "AWS_SECRET=x"), ExitCodes.USAGE,
                "--env AWS_SECRET is not on the allow-list");
        assertThat(runsLogged()).hasSize(runs);
        try (Database database = Database.open(dbUrl())) {
            assertThat(database.store().handoff("TASK-1")).isEmpty();
            assertThat(database.store().taskStatus("TASK-1").orElseThrow().state()).isEqualTo(TaskState.FAILED);
        }

        // Once it succeeded, it is not handed off.
        assertThat(cli.run("handoff", "TASK-1", "--to", "closer").code()).isEqualTo(ExitCodes.OK);
        assertRefused(cli.run("handoff", "TASK-1", "--to", "builder"), ExitCodes.USAGE,
                "TASK-1 has succeeded (succeeded on closer at attempt 3); a task that succeeded is not handed off");
        assertThat(runsLogged()).hasSize(runs + 1);
    }

    @Test
    void a_cancelled_task_handed_off_runs_with_its_attempts_numbered_on() throws IOException {
        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            store.submit(io.switchboard.testkit.TaskBuilder.aTask().withId("T-7").titled("Cancelled before it ran")
                    .withPrompt("Do the thing.").build(), io.switchboard.core.task.TaskOptions.DEFAULTS, false,
                    cli.clock.instant());
            store.moveTask("T-7", io.switchboard.core.attempt.TaskMove.to(TaskState.CANCELLED, "cancelled by hand"),
                    cli.clock.instant());
        }

        CliRun.Result result = cli.run("handoff", "T-7", "--to", "closer");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        // No attempt ran before: the packet is the goal, the handoff and where it came from.
        String read = Files.readString(received);
        assertThat(read).startsWith("Do the thing.\n\n---\n\n# Handoff packet for T-7")
                .contains("## Goal\n\nCancelled before it ran").doesNotContain("## What was done", "## What failed");
        try (Database database = Database.open(dbUrl())) {
            assertThat(database.store().attempts("T-7")).singleElement()
                    .satisfies(a -> assertThat(a.state()).isEqualTo(AttemptState.SUCCEEDED));
        }
    }

    @Test
    void an_orchestrator_that_does_not_let_go_in_time_leaves_the_handoff_standing_for_resume() throws IOException {
        // A live orchestrator (this very process, as the store knows it) runs TASK-1; its agent carries a marker
        // no process has, so nothing it runs can be stopped, and it never records the end.
        java.time.Instant started = ProcessHandle.current().info().startInstant().orElseThrow();
        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            // Routing stores the task and registers the declared agents.
            assertThat(cli.run("route", "--task", "TASK-1").code()).isEqualTo(ExitCodes.OK);
            store.registerOrchestrator(new io.switchboard.core.attempt.OrchestratorRecord("o-live",
                    Orchestration.hostName(), ProcessHandle.current().pid(), started, null));
            store.submit(store.loadTask("TASK-1").orElseThrow(), io.switchboard.core.task.TaskOptions.DEFAULTS, false,
                    cli.clock.instant());
            store.startAttempt(new io.switchboard.core.attempt.AttemptStart("TASK-1",
                    store.find("builder").orElseThrow().id(), "builder", io.switchboard.core.agent.Mode.AUTO,
                    "implement", null, "o-live", "o-live:TASK-1:1", ""), cli.clock.instant());
        }
        // The wait is measured on the clock: this test needs one that moves.
        cli.clockInUse = java.time.Clock.systemUTC();

        CliRun.Result held = cli.run("handoff", "TASK-1", "--to", "closer", "--wait", "1s");

        assertRefused(held, ExitCodes.HELD, "did not record the end of attempt 1 within 1s; the handoff to closer "
                + "stands, and 'switchboard resume' carries it out once that orchestrator is gone");
        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            assertThat(store.handoff("TASK-1")).hasValueSatisfying(h -> assertThat(h.pending()).isTrue());
            assertThat(store.taskStatus("TASK-1").orElseThrow().state()).isEqualTo(TaskState.RUNNING);
            // The orchestrator ends after all, as a dispatcher that sees the handoff would record it.
            store.finishAttempt(io.switchboard.testkit.OutcomeBuilder.failed("TASK-1", 1,
                    io.switchboard.core.execution.FailureInfo.of(io.switchboard.core.execution.FailureType.CANCELLED,
                            "handed off to closer"), cli.clock.instant())
                    .movingTaskTo(TaskState.QUEUED, "handed off to closer").build());
            store.endOrchestrator("o-live", cli.clock.instant());
        }
        assertThat(runsLogged()).isEmpty();

        CliRun.Result resumed = cli.run("resume");

        assertThat(resumed.code()).as(resumed.toString()).isEqualTo(ExitCodes.OK);
        assertThat(Files.readString(received)).contains("A person handed the task above to you (closer)",
                "### Attempt 1 on builder: cancelled (cancelled)");
        try (Database database = Database.open(dbUrl())) {
            assertThat(database.store().attempts("TASK-1")).extracting(a -> a.agentName())
                    .containsExactly("builder", "closer");
        }
    }

    private void assertRefused(CliRun.Result result, int code, String message) {
        assertThat(result.code()).as(result.toString()).isEqualTo(code);
        assertThat(result.err()).contains(message);
    }

    private String agent(String... steps) {
        List<String> args = new ArrayList<>(List.of("--log", log.toString()));
        args.addAll(List.of(steps));
        return OrchestrateCommandTest.yamlList(FakeAgent.command(args.toArray(String[]::new)));
    }

    private List<String> runsLogged() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : new ArrayList<>();
    }

    private String dbUrl() {
        return "jdbc:sqlite:" + dir.resolve(".switchboard/state.db");
    }
}
