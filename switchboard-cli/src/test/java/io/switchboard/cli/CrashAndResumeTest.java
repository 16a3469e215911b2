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
 * Switchboard itself killed while an agent runs: the orchestrator is a real child JVM (the CLI's main class), so
 * it can be killed with SIGKILL or stopped with SIGTERM for real; its agent is the fake agent, in its own process
 * group, so it survives its orchestrator's death until {@code resume} finds it by its marker.
 */
@org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class CrashAndResumeTest {
    @TempDir
    Path dir;

    Path log;
    CliRun cli;
    final List<Process> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        log = dir.resolve("runs.log");
        cli = new CliRun(dir);
        cli.env.put("PATH", System.getenv("PATH"));
        Files.createDirectories(dir.resolve("tasks"));
        Files.writeString(dir.resolve("tasks/TASK-7-slow.md"), """
                # TASK-7: Implement the importer

                ## Metadata
                - **ID**: TASK-7
                """);
        // "slow" is chosen first and runs for a minute; "quick" takes the task when slow is gone.
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
                OrchestrateCommandTest.yamlList(FakeAgent.command("--log", log.toString(), "print", "working",
                        "sleep", "60000")),
                OrchestrateCommandTest.yamlList(FakeAgent.command("--log", log.toString(), "print", "done"))));
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
    void resume_after_kill_9_stops_the_orphaned_agent_abandons_its_attempt_and_finishes_the_task() throws Exception {
        Process orchestrator = orchestrate();
        String marker = awaitAgentStarted();
        assertThat(carrying(marker)).isNotEmpty();

        orchestrator.destroyForcibly();
        assertThat(orchestrator.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // The orchestrator is gone; its agent, in its own process group, is not.
        assertThat(carrying(marker)).isNotEmpty();

        CliRun.Result resumed = cli.run("resume");

        assertThat(resumed.code()).as(resumed.toString()).isEqualTo(ExitCodes.OK);
        assertThat(resumed.err()).contains("stopped 1 of its agent processes", "abandoned TASK-7 attempt 1");
        assertThat(carrying(marker)).isEmpty();
        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            assertThat(store.taskStatus("TASK-7").orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
            List<AttemptRecord> attempts = store.attemptRecords("TASK-7");
            assertThat(attempts).extracting(a -> a.attempt().agentName() + " " + a.attempt().state())
                    .containsExactly("slow " + AttemptState.ABANDONED, "quick " + AttemptState.SUCCEEDED);
            assertThat(attempts.getFirst().failure().type()).isEqualTo(FailureType.ABANDONED);
            assertThat(store.inFlightAttempts()).isEmpty();
            // The agent ran exactly as many times as the attempts say.
            assertThat(runs()).hasSize(attempts.size());
        }
    }

    @Test
    void sigterm_gives_the_agent_its_grace_then_stops_it_and_leaves_no_running_rows() throws Exception {
        Process orchestrator = orchestrate();
        String marker = awaitAgentStarted();

        orchestrator.destroy();

        assertThat(orchestrator.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(orchestrator.exitValue()).isEqualTo(ExitCodes.INTERRUPTED);
        assertThat(Files.readString(dir.resolve("orchestrator.err"))).contains("stopping");
        assertThat(carrying(marker)).isEmpty();
        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            assertThat(store.inFlightAttempts()).isEmpty();
            assertThat(store.attemptRecords("TASK-7")).singleElement()
                    .satisfies(a -> assertThat(a.attempt().state()).isEqualTo(AttemptState.CANCELLED));
            // Not failed: it waits in the queue for resume.
            assertThat(store.taskStatus("TASK-7").orElseThrow().state()).isEqualTo(TaskState.QUEUED);
        }
    }

    @Test
    void resume_after_kill_9_continues_a_workflow_without_running_its_finished_steps_again() throws Exception {
        Path count = dir.resolve("builder.count");
        // The builder hangs on its first run only; the thinker plans, then approves.
        Files.writeString(dir.resolve("switchboard.yaml"), """
                agents:
                  thinker:
                    adapter: command
                    command: %s
                  builder:
                    adapter: command
                    command: %s
                retry: {initial_delay: 0s, max_delay: 1ms}
                execution: {grace: 1s}
                """.formatted(
                OrchestrateCommandTest.yamlList(FakeAgent.command("--log", log.toString(), "print", "the plan",
                        "print", "VERDICT: APPROVED")),
                OrchestrateCommandTest.yamlList(FakeAgent.command("--log", log.toString(), "count",
                        count.toString(), "sleep-on-run", "1", "60000", "write", "Parser.java", "class Parser {}",
                        "print", "built"))));
        Files.writeString(dir.resolve("wf.yaml"), """
                name: build
                inputs:
                  task:
                steps:
                  - id: plan
                    agent: thinker
                    mode: plan
                    prompt: Plan {{inputs.task}}.
                  - id: implement
                    agent: builder
                    mode: auto
                    depends_on: [plan]
                    on_failure: stop
                    output: changed-files
                    prompt: |
                      Implement {{inputs.task}} as planned:
                      {{steps.plan.output}}
                  - id: review
                    agent: thinker
                    mode: plan
                    depends_on: [implement]
                    loop: {back_to: implement, max_iterations: 2}
                    prompt: |
                      Review the change to {{steps.implement.output}}.
                """);
        // The agents work in project/; their log and count stay outside it, so they are no change of the project.
        Files.createDirectories(dir.resolve("project"));
        Process orchestrator = start(List.of("workflow", "run", "wf.yaml", "--input", "task=the parser",
                "--workdir", "project"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> runs().stream().anyMatch(line -> line.contains(".implement:")));
        String marker = runs().getLast().split(" ")[0].substring("marker=".length());
        assertThat(carrying(marker)).isNotEmpty();

        orchestrator.destroyForcibly();
        assertThat(orchestrator.waitFor(30, TimeUnit.SECONDS)).isTrue();
        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            assertThat(store.unfinishedRuns()).containsExactly("build-1");
            assertThat(store.steps("build-1")).extracting(row -> row.stepId() + " " + row.state().configName())
                    .containsExactly("plan succeeded", "implement running");
        }

        CliRun.Result resumed = cli.run("resume");

        assertThat(resumed.code()).as(resumed.toString()).isEqualTo(ExitCodes.OK);
        assertThat(resumed.err()).contains("stopped 1 of its agent processes", "abandoned build-1.implement attempt 1");
        assertThat(resumed.out()).contains("Workflow build, run build-1: succeeded");
        assertThat(carrying(marker)).isEmpty();
        // The side-effect log is the ground truth: the plan ran once, the implementation twice (the run that was
        // killed and its retry, a new attempt of the same task), the review once.
        assertThat(runs()).extracting(WorkflowCommandTest::taskOf).containsExactly("build-1.plan",
                "build-1.implement", "build-1.implement", "build-1.review");
        assertThat(runs()).extracting(line -> line.split(" ")[0]).doesNotHaveDuplicates();
        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            assertThat(store.workflowRun("build-1").orElseThrow().state())
                    .isEqualTo(io.switchboard.core.workflow.WorkflowRunState.SUCCEEDED);
            assertThat(store.attemptRecords("build-1.implement")).extracting(a -> a.attempt().agentName() + " "
                    + a.attempt().state()).containsExactly("builder " + AttemptState.ABANDONED,
                    "builder " + AttemptState.SUCCEEDED);
            assertThat(store.attempts("build-1.plan")).hasSize(1);
            assertThat(store.steps("build-1")).extracting(row -> row.stepId() + " " + row.output()).contains(
                    "implement Parser.java");
            assertThat(dir.resolve("project/Parser.java")).hasContent("class Parser {}");
            assertThat(store.inFlightAttempts()).isEmpty();
        }
    }

    /**
     * A plan of three tasks in a row, each in its worktree, the orchestrator killed while the second runs: resume
     * runs neither the finished first task again nor the killed agent's attempt, but the second task as a new
     * attempt (on another agent: the one it was on is gone with its orchestrator) and then the third, each building
     * on the work before it.
     */
    @Test
    void a_killed_plan_resumes_where_it_stopped_without_running_finished_tasks_again() throws Exception {
        Files.writeString(dir.resolve("switchboard.yaml"), """
                agents:
                  first:
                    adapter: command
                    command: %s
                    capabilities: [role-a]
                  slow:
                    adapter: command
                    command: %s
                    capabilities: [role-b]
                    specializations: [role-b]
                  steady:
                    adapter: command
                    command: %s
                    capabilities: [role-b]
                  last:
                    adapter: command
                    command: %s
                    capabilities: [role-c]
                retry: {initial_delay: 0s, max_delay: 1ms}
                execution: {grace: 1s}
                """.formatted(
                fake("write", "a.txt", "from-a"),
                fake("print", "working", "sleep", "60000"),
                fake("copy", "a.txt", "b.txt"),
                fake("copy", "b.txt", "c.txt")));
        planTask("step-1", "role-a");
        planTask("step-2", "role-b", "step-1");
        planTask("step-3", "role-c", "step-2");
        GitRepo repo = GitRepo.in(dir);

        Process orchestrator = orchestrate("--plan", "p", "--parallel", "2");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> runs().stream().anyMatch(line -> line.contains(":step-2:1 ")));
        orchestrator.destroyForcibly();
        assertThat(orchestrator.waitFor(30, TimeUnit.SECONDS)).isTrue();

        CliRun.Result resumed = cli.run("resume");

        assertThat(resumed.code()).as(resumed.toString()).isEqualTo(ExitCodes.OK);
        assertThat(resumed.err()).contains("abandoned step-2 attempt 1");
        // The side-effect log is the ground truth: step-1 ran once, step-2 twice (killed, then again), step-3 once.
        assertThat(runs()).extracting(line -> line.split(" ")[0].replaceAll("^marker=o-[0-9a-f]+:", ""))
                .containsExactlyInAnyOrder("step-1:1", "step-2:1", "step-2:2", "step-3:1");
        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            assertThat(store.attemptRecords("step-1")).hasSize(1);
            assertThat(store.attemptRecords("step-2")).extracting(a -> a.attempt().agentName() + " "
                    + a.attempt().state()).containsExactly("slow " + AttemptState.ABANDONED,
                    "steady " + AttemptState.SUCCEEDED);
            assertThat(store.taskStatus("step-3").orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
        }
        assertThat(repo.show("switchboard/step-3", "c.txt")).isEqualTo("from-a");
    }

    private String fake(String... steps) {
        List<String> args = new ArrayList<>(List.of("--log", log.toString()));
        args.addAll(List.of(steps));
        return OrchestrateCommandTest.yamlList(FakeAgent.command(args.toArray(String[]::new)));
    }

    private void planTask(String id, String workType, String... dependencies) throws IOException {
        StringBuilder text = new StringBuilder("# " + id + ": Implement " + id + "\n\n## Metadata\n- **ID**: " + id
                + "\n- **Plan**: p\n- **Work Type**: " + workType + "\n");
        if (dependencies.length > 0) {
            text.append("\n## Dependencies\n");
            for (String dependency : dependencies) {
                text.append("- ").append(dependency).append('\n');
            }
        }
        Files.writeString(dir.resolve("tasks/" + id + ".md"), text.toString());
    }

    /** Starts {@code switchboard orchestrate --task TASK-7} as its own JVM, in the test's directory. */
    private Process orchestrate() throws IOException {
        return orchestrate("--task", "TASK-7");
    }

    /** Starts {@code switchboard orchestrate ARGS} as its own JVM, in the test's directory. */
    private Process orchestrate(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("orchestrate"));
        argv.addAll(List.of(args));
        return start(argv);
    }

    /** Starts {@code switchboard ARGS} as its own JVM, in the test's directory. */
    private Process start(List<String> args) throws IOException {
        Process process = ChildCli.start(dir, "orchestrator", args);
        started.add(process);
        return process;
    }

    /** Waits until the slow agent has logged its run, and returns its marker. */
    private String awaitAgentStarted() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> !runs().isEmpty());
        String line = runs().getFirst();
        return line.split(" ")[0].substring("marker=".length());
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
