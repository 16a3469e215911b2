package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.port.DecisionLog.DecisionQuery;
import io.switchboard.core.routing.ExclusionReason;
import io.switchboard.core.workflow.StepRun;
import io.switchboard.core.workflow.WorkflowRun;
import io.switchboard.core.workflow.WorkflowRunState;
import io.switchboard.store.Database;
import io.switchboard.store.Store;
import io.switchboard.testkit.agent.FakeAgent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code workflow run} and {@code orchestrate --workflow} in-process, with agents that are real subprocesses (the
 * fake agent) working in a real git repository: review loops that end on approval and at their bound, outputs
 * passed from step to step, pinned agents, dry runs that write nothing, and bad workflows refused before any agent
 * runs.
 */
@org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class WorkflowCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    CliRun cli;
    Path project;
    Path state;
    Path log;

    @BeforeEach
    void setUp() throws Exception {
        cli = new CliRun(dir);
        cli.env.put("PATH", System.getenv("PATH"));
        // The agents keep their log and counts outside the project, so they are no change of the project's.
        state = Files.createDirectories(dir.resolve("agent-state"));
        log = state.resolve("runs.log");
        project = Files.createDirectories(dir.resolve("project"));
        git("init", "-q", "-b", "main");
        git("config", "user.name", "Test Person");
        git("config", "user.email", "person@example.com");
        git("config", "commit.gpgSign", "false");
        Files.writeString(project.resolve("README.md"), "# A parser\n");
        git("add", "--all");
        git("commit", "-q", "-m", "First commit");
    }

    /**
     * A reasoning agent that plans and reviews, approving from its {@code approvesFromRun}th run (the plan is its
     * first), and a fast one that implements, keeping each prompt it gets.
     */
    private void planImplementReviewAgents(int approvesFromRun) throws IOException {
        config(agent("thinker", "reasoning", "count", state.resolve("thinker.count").toString(), "stdin-to",
                        state.resolve("thinker-prompt.txt").toString(), "print", "Plan or review of the parser.",
                        "print-from-run", Integer.toString(approvesFromRun), "VERDICT: APPROVED",
                        "VERDICT: CHANGES_REQUESTED"),
                agent("builder", "speed", "count", state.resolve("builder.count").toString(), "stdin-to",
                        state.resolve("builder-prompt.txt").toString(), "write", "Parser.java", "class Parser {}",
                        "print", "implemented"));
    }

    @Test
    void the_review_loop_ends_when_the_reviewer_approves() throws IOException {
        planImplementReviewAgents(3);

        CliRun.Result result = cli.run("workflow", "run", "plan-implement-review", "--input", "task=Add a parser",
                "--workdir", "project");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).contains("Workflow plan-implement-review, run plan-implement-review-1: succeeded",
                "All 3 steps finished; review approved at iteration 2.", "changes requested", "approved");
        assertThat(result.err()).contains("review did not approve (VERDICT: CHANGES_REQUESTED); back to implement,"
                + " iteration 2 of 3");
        // plan, implement, review, implement again, review again: five real runs.
        assertThat(runs()).extracting(WorkflowCommandTest::taskOf).containsExactly("plan-implement-review-1.plan",
                "plan-implement-review-1.implement", "plan-implement-review-1.review",
                "plan-implement-review-1.implement.2", "plan-implement-review-1.review.2");
        // The second implementation was given the first review.
        assertThat(state.resolve("builder-prompt.txt")).content(StandardCharsets.UTF_8)
                .contains("Add a parser", "Plan or review of the parser.", "VERDICT: CHANGES_REQUESTED");
        assertThat(project.resolve("Parser.java")).hasContent("class Parser {}");
        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            WorkflowRun run = store.workflowRun("plan-implement-review-1").orElseThrow();
            assertThat(run.state()).isEqualTo(WorkflowRunState.SUCCEEDED);
            assertThat(run.inputs()).containsEntry("task", "Add a parser");
            assertThat(store.steps(run.id())).extracting(StepRun::output).last().asString()
                    .endsWith("VERDICT: APPROVED\n");
            // The first review was given the files the first implementation changed; the second implementation
            // wrote the same file again, which changes nothing, and the second review was told so.
            assertThat(store.steps(run.id()).get(1).output()).isEqualTo("Parser.java");
            assertThat(store.loadTask("plan-implement-review-1.review").orElseThrow().prompt())
                    .contains("Files changed:\nParser.java\n");
            assertThat(store.steps(run.id()).get(3).output()).isEmpty();
            AttemptRecord plan = store.attemptRecords("plan-implement-review-1.plan").getFirst();
            assertThat(plan.attempt().agentName()).isEqualTo("thinker");
            assertThat(plan.attempt().mode().configName()).isEqualTo("plan");
        }
    }

    @Test
    void the_review_loop_ends_at_max_iterations_and_the_run_fails_saying_so() throws IOException {
        planImplementReviewAgents(99);

        CliRun.Result result = cli.run("workflow", "run", "plan-implement-review", "--input", "task=Add a parser",
                "--workdir", "project", "--json");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.TASK_FAILED);
        JsonNode summary = JSON.readTree(result.out());
        assertThat(summary.get("result").asText()).isEqualTo("failed");
        assertThat(summary.get("reason").asText()).isEqualTo("step 'review' did not approve in 3 iterations, the"
                + " most its loop allows (max_iterations); its last verdict: VERDICT: CHANGES_REQUESTED");
        assertThat(summary.get("steps")).hasSize(7);
        assertThat(summary.get("steps").get(6).get("verdict").asText()).isEqualTo("changes requested");
        assertThat(runs()).hasSize(7);
    }

    @Test
    void a_steps_file_output_reaches_the_next_steps_prompt_and_a_named_agent_pins_its_step() throws IOException {
        Path received = state.resolve("received.txt");
        config(agent("designer", "reasoning", "write", "design.md", "Use a token bucket per key.", "print", "done"),
                agent("builder", "speed", "stdin-to", received.toString(), "print", "built"),
                // Cheap, fast and specialized: the router would choose it for anything it could.
                agent("eager", "speed", "print", "eager"));
        Files.writeString(dir.resolve("design-build.yaml"), """
                name: design-build
                inputs:
                  feature: {}
                steps:
                  - id: design
                    agent: designer
                    mode: plan
                    output: {file: design.md}
                    prompt: Design {{inputs.feature}} in design.md.
                  - id: build
                    agent: builder
                    mode: auto
                    depends_on: [design]
                    prompt: |
                      Build it as designed:
                      {{steps.design.output}}
                """.replace("feature: {}", "feature:"));

        CliRun.Result result = cli.run("workflow", "run", "design-build.yaml", "--input", "feature=a rate limiter",
                "--workdir", "project");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        assertThat(received).hasContent("Build it as designed:\nUse a token bucket per key.\n");
        assertThat(runs()).extracting(WorkflowCommandTest::taskOf).containsExactly("design-build-1.design",
                "design-build-1.build");
        try (Database database = Database.open(dbUrl())) {
            var decision = database.store().find(DecisionQuery.all().forTask("design-build-1.build")).getFirst()
                    .decision();
            assertThat(decision.chosenAgent()).contains("builder");
            assertThat(decision.exclusions()).filteredOn(e -> e.agent().equals("eager")).singleElement()
                    .satisfies(e -> {
                        assertThat(e.reason()).isEqualTo(ExclusionReason.PINNED_ELSEWHERE);
                        assertThat(e.detail()).isEqualTo("workflow step 'build' pins agent builder");
                    });
        }
    }

    @Test
    void a_dry_run_shows_each_steps_decision_and_prompt_and_writes_nothing() throws Exception {
        planImplementReviewAgents(2);

        CliRun.Result result = cli.run("workflow", "run", "plan-implement-review", "--input", "task=Add a parser",
                "--dry-run");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).contains("Dry run: nothing runs and nothing is written",
                "1. plan (the router's choice, preferring agents strong in reasoning, mode plan",
                "   → thinker in plan mode", "   → builder in auto mode",
                "   | Add a parser",
                "   | [[not produced yet: the output of step 'plan']]",
                "   | [[the output of step 'review' from the iteration before: empty in the first]]",
                "Mode plan as workflow step 'plan' asks.");
        assertThat(result.out().indexOf("1. plan")).isLessThan(result.out().indexOf("2. implement"));
        assertThat(result.out().indexOf("2. implement")).isLessThan(result.out().indexOf("3. review"));

        CliRun.Result json = cli.run("workflow", "run", "plan-implement-review", "--input", "task=Add a parser",
                "--dry-run", "--json");
        JsonNode steps = JSON.readTree(json.out()).get("steps");
        assertThat(steps).extracting(step -> step.get("step").asText() + " " + step.get("chosen_agent").asText())
                .containsExactly("plan thinker", "implement builder", "review thinker");
        assertThat(steps.get(2).get("decision").get("reason").asText()).contains("Mode plan as workflow step"
                + " 'review' asks.");
        assertThat(steps.get(0).get("decision").toString())
                .contains("workflow step 'plan' prefers agents strong in reasoning");

        assertThat(dir.resolve(".switchboard")).doesNotExist();
        assertThat(runs()).isEmpty();
    }

    @Test
    void a_step_that_fails_is_handed_off_with_the_handoff_packet_which_the_dry_run_shows_in_its_place()
            throws Exception {
        Path received = state.resolve("helper-prompt.txt");
        config(agent("builder", "speed", "print", "error: Parser.java:3: cannot find symbol Token",
                        "print", "QUESTION: may Token be a record?", "exit", "2"),
                agent("helper", "reasoning", "stdin-to", received.toString(), "print", "fixed"));
        Files.writeString(dir.resolve("fix.yaml"), """
                name: fix
                steps:
                  - id: fix
                    agent: builder
                    mode: auto
                    on_failure: {handoff: helper}
                    prompt: Fix the parser.
                """);

        // The agents a workflow names pin their steps' tasks, which --exclude does not outrank: refused, not ignored.
        assertRefused(cli.run("workflow", "run", "fix.yaml", "--workdir", "project", "--exclude", "helper"),
                ExitCodes.USAGE, "--exclude helper: step 'fix' is handed off to helper");
        assertRefused(cli.run("workflow", "run", "fix.yaml", "--workdir", "project", "--exclude", "builder",
                "--dry-run"), ExitCodes.USAGE, "--exclude builder: step 'fix' runs on builder");
        assertThat(runs()).isEmpty();
        CliRun.Result dryRun = cli.run("workflow", "run", "fix.yaml", "--workdir", "project", "--dry-run");

        assertThat(dryRun.code()).as(dryRun.toString()).isEqualTo(ExitCodes.OK);
        assertThat(dryRun.out()).contains("   | Fix the parser.\n"
                + "   if it fails: handed to helper as task fix-1.fix.handoff, with the prompt above and then\n"
                + "   | " + WorkflowRuns.PACKET_STAND_IN);
        JsonNode planned = JSON.readTree(cli.run("workflow", "run", "fix.yaml", "--workdir", "project", "--dry-run",
                "--json").out()).get("steps").get(0).get("handoff");
        assertThat(planned.get("agent").asText()).isEqualTo("helper");
        assertThat(planned.get("prompt").asText()).isEqualTo("Fix the parser.\n\n" + WorkflowRuns.PACKET_STAND_IN);

        CliRun.Result result = cli.run("workflow", "run", "fix.yaml", "--workdir", "project");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        assertThat(runs()).extracting(WorkflowCommandTest::taskOf).containsExactly("fix-1.fix", "fix-1.fix.handoff");
        // helper reads the step's prompt whole, then the packet of the failed task: what it did, why it failed.
        assertThat(received).content().startsWith("Fix the parser.\n\n---\n\n# Handoff packet for fix-1.fix\n")
                .contains("Step 'fix' of workflow run fix-1 failed, and the workflow hands it to you (helper) as task "
                                + "fix-1.fix.handoff.",
                        "### Attempt 1 on builder: failed (exit_code)",
                        "error: Parser.java:3: cannot find symbol Token",
                        "- Attempt 1 on builder asked: may Token be a record?");
        try (Database database = Database.open(dbUrl())) {
            var decision = database.store().find(DecisionQuery.all().forTask("fix-1.fix.handoff")).getFirst()
                    .decision();
            assertThat(decision.exclusions()).filteredOn(e -> e.agent().equals("builder")).singleElement()
                    .satisfies(e -> assertThat(e.detail()).isEqualTo("a handoff of workflow step 'fix' pins agent "
                            + "helper"));
            assertThat(database.store().loadTask("fix-1.fix.handoff").orElseThrow().prompt())
                    .isEqualTo(Files.readString(received));
        }
    }

    @Test
    void bad_workflows_and_missing_inputs_are_refused_before_any_agent_runs() throws IOException {
        planImplementReviewAgents(2);
        Files.writeString(dir.resolve("unknown-agent.yaml"), """
                name: unknown-agent
                steps:
                  - id: plan
                    agent: gpt-9
                    prompt: Plan.
                """);
        Files.writeString(dir.resolve("circle.yaml"), """
                name: circle
                steps:
                  - id: a
                    agent: auto
                    depends_on: [b]
                    prompt: A.
                  - id: b
                    agent: auto
                    depends_on: [a]
                    prompt: B.
                """);

        assertRefused(cli.run("workflow", "run", "unknown-agent.yaml"), ExitCodes.USAGE,
                "unknown-agent.yaml:4: steps[0].agent: no agent named 'gpt-9' is declared (declared: builder,"
                        + " thinker)");
        assertRefused(cli.run("workflow", "run", "circle.yaml"), ExitCodes.USAGE,
                "circle.yaml:5: steps[0].depends_on[0]: steps depend on each other in a circle: a -> b -> a");
        assertRefused(cli.run("workflow", "run", "plan-implement-review"), ExitCodes.USAGE,
                "workflow 'plan-implement-review' needs a value for input task; give it with --input task=VALUE");
        assertRefused(cli.run("workflow", "run", "plan-implement-review", "--input", "task=x", "--input", "tsak=y"),
                ExitCodes.USAGE, "workflow 'plan-implement-review' has no input 'tsak' (inputs: task)");
        assertRefused(cli.run("workflow", "run", "no-such-workflow"), ExitCodes.NOT_FOUND,
                "no workflow 'no-such-workflow': it is no built-in workflow (plan-implement-review)");
        assertRefused(cli.run("orchestrate", "--prompt", "Add a parser", "--workflow", "unknown-agent.yaml"),
                ExitCodes.USAGE, "no agent named 'gpt-9'");
        assertThat(runs()).isEmpty();
    }

    @Test
    void orchestrate_runs_a_task_through_a_workflow_once_unless_asked_again() throws IOException {
        planImplementReviewAgents(2);
        Files.createDirectories(dir.resolve("tasks"));
        Files.writeString(dir.resolve("tasks/TASK-1-parser.md"), """
                # TASK-1: Implement the config parser

                ## Metadata
                - **ID**: TASK-1
                - **Complexity**: 80

                ## Description
                Parse the config file.
                """);

        CliRun.Result result = cli.run("orchestrate", "--task", "TASK-1", "--workflow", "plan-implement-review",
                "--workdir", "project");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).contains("Workflow plan-implement-review, run TASK-1-1: succeeded");
        assertThat(runs()).extracting(WorkflowCommandTest::taskOf).containsExactly("TASK-1-1.plan",
                "TASK-1-1.implement", "TASK-1-1.review");
        assertThat(state.resolve("thinker-prompt.txt")).content(StandardCharsets.UTF_8)
                .contains("# TASK-1: Implement the config parser", "Parse the config file.");
        // A complex implementation: planned and reviewed by the reasoning agent in plan mode, implemented by the
        // fast one.
        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            assertThat(List.of("plan", "implement", "review")).extracting(step -> {
                AttemptRecord attempt = store.attemptRecords("TASK-1-1." + step).getFirst();
                return step + " " + attempt.attempt().agentName() + " " + attempt.attempt().mode().configName();
            }).containsExactly("plan thinker plan", "implement builder auto", "review thinker plan");
        }

        CliRun.Result again = cli.run("orchestrate", "--task", "TASK-1", "--workflow", "plan-implement-review",
                "--workdir", "project");

        assertThat(again.code()).as(again.toString()).isEqualTo(ExitCodes.OK);
        assertThat(again.err()).contains("TASK-1 already went through plan-implement-review in run TASK-1-1"
                + " (succeeded); --again runs it once more");
        assertThat(runs()).hasSize(3);

        CliRun.Result forced = cli.run("orchestrate", "--task", "TASK-1", "--workflow", "plan-implement-review",
                "--workdir", "project", "--again");

        assertThat(forced.code()).as(forced.toString()).isEqualTo(ExitCodes.OK);
        assertThat(forced.out()).contains("run TASK-1-2: succeeded");
    }

    private void assertRefused(CliRun.Result result, int code, String message) {
        assertThat(result.code()).as(result.toString()).isEqualTo(code);
        assertThat(result.err()).contains(message);
    }

    private void config(String... agents) throws IOException {
        Files.writeString(dir.resolve("switchboard.yaml"), "agents:\n" + String.join("", agents)
                + OrchestrateCommandTest.NO_BACK_OFF);
    }

    private String agent(String name, String strength, String... steps) {
        List<String> args = new ArrayList<>(List.of("--log", log.toString()));
        args.addAll(List.of(steps));
        return """
                  %s:
                    adapter: command
                    command: %s
                    strengths: [%s]
                """.formatted(name, OrchestrateCommandTest.yamlList(FakeAgent.command(args.toArray(String[]::new))),
                strength);
    }

    private List<String> runs() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : new ArrayList<>();
    }

    /** The task a logged run was an attempt of, from its marker {@code ORCHESTRATOR:TASK:ATTEMPT}. */
    static String taskOf(String logLine) {
        String marker = logLine.split(" ")[0].substring("marker=".length());
        return marker.substring(marker.indexOf(':') + 1, marker.lastIndexOf(':'));
    }

    private String dbUrl() {
        return "jdbc:sqlite:" + dir.resolve(".switchboard/state.db");
    }

    private void git(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        Process process = new ProcessBuilder(argv).directory(project.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
