package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.task.TaskState;
import io.switchboard.store.Database;
import io.switchboard.testkit.agent.FakeAgent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orchestrate} in-process, with agents that are real subprocesses (the fake agent): what it runs, what it
 * records, how it recovers, and every bad input refused before anything runs.
 */
@org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class OrchestrateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The CLI runs on a clock the test moves by hand: a retry must not wait for it. */
    static final String NO_BACK_OFF = "retry: {initial_delay: 0s, max_delay: 1ms}\n";

    @TempDir
    Path dir;

    CliRun cli;
    Path log;

    @BeforeEach
    void setUp() throws IOException {
        cli = new CliRun(dir);
        cli.env.put("PATH", System.getenv("PATH"));
        log = dir.resolve("runs.log");
        Files.createDirectories(dir.resolve("tasks"));
        Files.writeString(dir.resolve("tasks/TASK-1-add-parser.md"), """
                # TASK-1: Implement the config parser

                ## Metadata
                - **ID**: TASK-1
                - **Complexity**: 30

                ## Description
                Implement the parser for the config file.
                """);
    }

    @Test
    void runs_the_chosen_agent_records_the_attempt_and_prints_the_summary() throws IOException {
        config(agent("builder", "implement", step("write", "parser.txt", "parsed"), step("print", "all done")),
                agent("other", "docs", step("exit", "9")));

        CliRun.Result result = cli.run("orchestrate", "--task", "TASK-1");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        assertThat(dir.resolve("parser.txt")).hasContent("parsed");
        assertThat(result.out()).contains("TASK-1", "builder", "succeeded", "1 of 1 tasks succeeded",
                "switchboard decisions --task TASK-1 --explain");
        assertThat(result.err()).contains("TASK-1: attempt 1 started on builder",
                "TASK-1: attempt 1 on builder succeeded");
        try (Database database = Database.open(dbUrl())) {
            AttemptRecord attempt = database.store().attemptRecords("TASK-1").getFirst();
            assertThat(attempt.attempt().state()).isEqualTo(AttemptState.SUCCEEDED);
            assertThat(attempt.output()).contains("all done");
            assertThat(attempt.exitCode()).isZero();
            assertThat(attempt.marker()).endsWith(":TASK-1:1");
            assertThat(database.store().taskStatus("TASK-1").orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
        }
        assertThat(runsLogged()).hasSize(1);
    }

    @Test
    void a_failing_agent_hands_the_task_to_the_next_best_one() throws IOException {
        config(agent("builder", "implement", step("stderr", "compiler crashed"), step("exit", "3")),
                agent("helper", "docs", step("print", "fixed")));

        CliRun.Result result = cli.run("orchestrate", "--task", "TASK-1", "--json");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        JsonNode task = JSON.readTree(result.out()).get("tasks").get(0);
        assertThat(task.get("agent").asText()).isEqualTo("helper");
        assertThat(task.get("attempts").asInt()).isEqualTo(2);
        assertThat(task.get("result").asText()).isEqualTo("succeeded");
        try (Database database = Database.open(dbUrl())) {
            List<AttemptRecord> attempts = database.store().attemptRecords("TASK-1");
            assertThat(attempts.getFirst().failure().type()).isEqualTo(FailureType.EXIT_CODE);
            assertThat(attempts.getFirst().output()).contains("compiler crashed");
        }
        // Exactly two runs really happened: the side-effect log is the ground truth.
        assertThat(runsLogged()).hasSize(2);
    }

    @Test
    void a_task_that_fails_everywhere_ends_failed_with_exit_6() throws IOException {
        config(agent("builder", "implement", step("exit", "3")), agent("helper", "docs", step("exit", "4")));

        CliRun.Result result = cli.run("orchestrate", "--task", "TASK-1");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.TASK_FAILED);
        assertThat(result.out()).contains("TASK-1: failed: ", "0 of 1 tasks succeeded");
        assertThat(runsLogged()).hasSize(2);
    }

    @Test
    void a_missing_binary_does_not_use_up_an_attempt_and_cools_the_agent_until_its_config_changes()
            throws IOException {
        Files.writeString(dir.resolve("switchboard.yaml"), """
                agents:
                  ghost:
                    adapter: command
                    command: [no-such-agent-program]
                    specializations: [implement]
                  helper:
                    adapter: command
                    command: %s
                retry: {initial_delay: 0s, max_delay: 1ms, max_attempts: 1}
                """.formatted(yamlList(FakeAgent.command("--log", log.toString(), "print", "done"))));

        CliRun.Result result = cli.run("orchestrate", "--task", "TASK-1");

        // One attempt allowed, yet the task succeeded: the missing binary did not count.
        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        assertThat(result.err()).contains("binary_missing");
        CliRun.Result status = cli.run("agents", "status");
        assertThat(status.out()).contains("ghost").contains("until its configuration changes");
    }

    @Test
    void secrets_given_with_env_are_redacted_from_what_is_stored_and_printed() throws IOException {
        Files.writeString(dir.resolve("switchboard.yaml"), ("""
                agents:
                  leaky:
                    adapter: command
                    command: %s
                    env: [LEAKY_API_KEY]
                """ + NO_BACK_OFF).formatted(yamlList(FakeAgent.command("print-env", "LEAKY_API_KEY", "exit", "1"))));

        CliRun.Result result = cli.run("orchestrate", "--prompt", "Implement it", "--env",
                "LEAKY_API_KEY=sk-canary-0123456789");

        assertThat(result.toString()).doesNotContain("sk-canary-0123456789");
        try (Database database = Database.open(dbUrl())) {
            String taskId = database.store().unfinishedTasks().isEmpty()
                    ? firstTaskId(database) : database.store().unfinishedTasks().getFirst();
            String output = database.store().attemptRecords(taskId).getFirst().output();
            assertThat(output).contains("[REDACTED]").doesNotContain("sk-canary");
        }
        assertThat(Files.readString(dir.resolve(".switchboard/state.db"), StandardCharsets.ISO_8859_1))
                .doesNotContain("sk-canary-0123456789");
    }

    @Test
    void the_prompt_reaches_the_agent_byte_for_byte_on_stdin() throws IOException {
        Path received = dir.resolve("received.txt");
        config(agent("builder", "implement", step("stdin-to", received.toString())));
        String prompt = "-rf $(rm -rf /) `whoami` \"quoted\" 'single'\nsecond line\n\ttabbed ünïcödé";

        CliRun.Result result = cli.run("orchestrate", "--prompt", prompt);

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        assertThat(Files.readString(received)).isEqualTo(prompt);
    }

    @Test
    void a_retry_reads_the_prompt_then_a_packet_with_the_first_attempts_failure_on_stdin() throws IOException {
        Path received = dir.resolve("received.txt");
        config(agent("builder", "implement", step("print", "error: Parser.java:12: ';' expected"), step("exit", "3")),
                agent("helper", "docs", step("stdin-to", received.toString())));

        CliRun.Result result = cli.run("orchestrate", "--task", "TASK-1");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        String prompt;
        String packet;
        try (Database database = Database.open(dbUrl())) {
            prompt = database.store().loadTask("TASK-1").orElseThrow().prompt();
            List<AttemptRecord> attempts = database.store().attemptRecords("TASK-1");
            assertThat(attempts.getFirst().packet()).isEmpty();
            packet = attempts.get(1).packet();
        }
        String read = Files.readString(received);
        // The prompt first and whole, then the packet that is kept with the attempt.
        assertThat(read).isEqualTo(prompt + "\n\n" + packet);
        assertThat(packet).contains("# Handoff packet for TASK-1", "## Goal\n\nImplement the config parser",
                "### Attempt 1 on builder: failed (exit_code)\n\nexited with status 3",
                "error: Parser.java:12: ';' expected", "for attempt 2 on helper, as a retry.");

        CliRun.Result shown = cli.run("attempts", "TASK-1");
        assertThat(shown.code()).as(shown.toString()).isEqualTo(ExitCodes.OK);
        assertThat(shown.out()).containsPattern("1\\s+builder\\s+auto\\s+failed")
                .containsPattern("2\\s+helper\\s+auto\\s+succeeded")
                .contains("~" + io.switchboard.core.handoff.HandoffPacket.estimateTokens(packet) + " tokens",
                        "exit_code: exited with status 3", "'switchboard attempts TASK-1 --packet 2' prints it");
        assertThat(cli.run("attempts", "TASK-1", "--packet", "2").out()).isEqualTo(packet);
        assertThat(cli.run("attempts", "TASK-1", "--packet", "1").out()).contains("the task's prompt alone");
        assertThat(cli.run("attempts", "TASK-1", "--packet", "3").code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(cli.run("attempts", "TASK-404").code()).isEqualTo(ExitCodes.NOT_FOUND);
        JsonNode json = JSON.readTree(cli.run("attempts", "TASK-1", "--json").out());
        assertThat(json.get("attempts").get(1).get("packet").asText()).isEqualTo(packet);
        assertThat(json.get("attempts").get(0).get("failure").get("type").asText()).isEqualTo("exit_code");
    }

    @Test
    void a_task_that_succeeded_is_not_run_again_unless_asked() throws IOException {
        config(agent("builder", "implement", step("print", "done")));
        assertThat(cli.run("orchestrate", "--task", "TASK-1").code()).isEqualTo(ExitCodes.OK);

        CliRun.Result again = cli.run("orchestrate", "--task", "TASK-1");
        assertThat(again.err()).contains("TASK-1 already succeeded", "--again");
        assertThat(runsLogged()).hasSize(1);

        CliRun.Result forced = cli.run("orchestrate", "--task", "TASK-1", "--again");
        assertThat(forced.code()).as(forced.toString()).isEqualTo(ExitCodes.OK);
        assertThat(runsLogged()).hasSize(2);
        try (Database database = Database.open(dbUrl())) {
            assertThat(database.store().attempts("TASK-1")).extracting(a -> a.number()).containsExactly(1, 2);
        }
    }

    @Test
    void bad_input_is_refused_before_anything_runs() throws IOException {
        config(agent("builder", "implement", step("print", "done")));

        assertRefused(cli.run("orchestrate", "--task", "TASK-404"), ExitCodes.NOT_FOUND, "TASK-404");
        assertRefused(cli.run("orchestrate", "--task", "TASK-1", "--workdir", "no/such/dir"), ExitCodes.USAGE,
                "is not a directory");
        assertRefused(cli.run("orchestrate", "--task", "TASK-1", "--timeout", "-5m"), ExitCodes.USAGE, "-5m");
        assertRefused(cli.run("orchestrate", "--task", "TASK-1", "--timeout", "900h"), ExitCodes.USAGE,
                "beyond the longest allowed");
        assertRefused(cli.run("orchestrate", "--task", "TASK-1", "--env", "AWS_SECRET=x"), ExitCodes.USAGE,
                "--env AWS_SECRET is not on the allow-list");
        assertRefused(cli.run("orchestrate", "--task", "TASK-1", "--budget", "-1"), ExitCodes.USAGE,
                "--budget must be zero or more");
        Files.writeString(dir.resolve("tasks/TASK-2-empty-verify.md"), """
                # TASK-2: Implement something

                ## Metadata
                - **ID**: TASK-2
                - **Verify**: make check && make install
                """);
        assertRefused(cli.run("orchestrate", "--task", "TASK-2"), ExitCodes.USAGE,
                "TASK-2-empty-verify.md:5: verify: '&' in the command");
        Files.writeString(dir.resolve("tasks/TASK-3-long.md"), """
                # TASK-3: Implement something slow

                ## Metadata
                - **Timeout**: 3000h
                """);
        assertRefused(cli.run("orchestrate", "--task", "TASK-3"), ExitCodes.USAGE,
                "TASK-3-long.md:4: Timeout: is beyond the longest allowed limit (7 days), was 3000h");
        assertThat(runsLogged()).isEmpty();
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void the_timeout_a_task_file_sets_stops_an_agent_that_runs_past_it() throws IOException {
        // The agent's own limit is five minutes; the task says one second, and the task's wins.
        Files.writeString(dir.resolve("switchboard.yaml"), """
                agents:
                  sleeper:
                    adapter: command
                    command: %s
                    timeout: 5m
                    idle_timeout: 5m
                retry: {initial_delay: 0s, max_delay: 1ms, max_attempts: 1}
                """.formatted(yamlList(FakeAgent.command("--log", log.toString(), "sleep", "60000"))));
        Files.writeString(dir.resolve("tasks/TASK-2-slow.md"), """
                # TASK-2: Implement the slow part

                ## Metadata
                - **ID**: TASK-2
                - **Timeout**: 1s
                """);
        long started = System.nanoTime();

        CliRun.Result result = cli.run("orchestrate", "--task", "TASK-2");

        // The limit runs on the monotonic clock, so the CLI's frozen clock does not hold it back.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(25));
        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.TASK_FAILED);
        try (Database database = Database.open(dbUrl())) {
            AttemptRecord attempt = database.store().attemptRecords("TASK-2").getFirst();
            assertThat(attempt.attempt().state()).isEqualTo(AttemptState.TIMED_OUT);
            assertThat(attempt.failure().type()).isEqualTo(FailureType.TIMEOUT);
            assertThat(attempt.failure().message()).isEqualTo("ran longer than the time limit of 1s");
            assertThat(database.store().loadTask("TASK-2").orElseThrow().draft().timeout())
                    .isEqualTo(Duration.ofSeconds(1));
        }
        assertThat(runsLogged()).hasSize(1);
    }

    @Test
    void a_config_timeout_that_is_absurd_is_an_error_naming_its_line() throws IOException {
        Files.writeString(dir.resolve("switchboard.yaml"), """
                agents:
                  builder:
                    adapter: command
                    command: [true]
                    timeout: 3000h
                """);

        CliRun.Result result = cli.run("orchestrate", "--task", "TASK-1");

        assertRefused(result, ExitCodes.USAGE, "switchboard.yaml:5: agents.builder.timeout: is beyond the longest");
    }

    private void assertRefused(CliRun.Result result, int code, String message) {
        assertThat(result.code()).as(result.toString()).isEqualTo(code);
        assertThat(result.err()).contains(message);
    }

    private String firstTaskId(Database database) {
        return database.store().find(io.switchboard.core.port.DecisionLog.DecisionQuery.all()).getFirst().decision()
                .taskId();
    }

    private List<String> runsLogged() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : new ArrayList<>();
    }

    private String dbUrl() {
        return "jdbc:sqlite:" + dir.resolve(".switchboard/state.db");
    }

    /** Writes switchboard.yaml with the given agents and retries without back-off. */
    private void config(String... agents) throws IOException {
        Files.writeString(dir.resolve("switchboard.yaml"), "agents:\n" + String.join("", agents)
                + NO_BACK_OFF);
    }

    /** A command agent running the fake agent's steps; {@code specialty} decides who is chosen first. */
    @SafeVarargs
    private String agent(String name, String specialty, List<String>... steps) {
        List<String> args = new ArrayList<>(List.of("--log", log.toString()));
        for (List<String> step : steps) {
            args.addAll(step);
        }
        return """
                  %s:
                    adapter: command
                    command: %s
                    specializations: [%s]
                """.formatted(name, yamlList(FakeAgent.command(args.toArray(String[]::new))), specialty);
    }

    private static List<String> step(String... words) {
        return List.of(words);
    }

    static String yamlList(List<String> words) {
        return words.stream().map(word -> "'" + word.replace("'", "''") + "'")
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
