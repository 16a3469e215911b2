package io.switchboard.core.workflow;

import static io.switchboard.testkit.AgentBuilder.anAgent;
import static io.switchboard.testkit.FakeAgentRunner.fails;
import static io.switchboard.testkit.FakeAgentRunner.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptStart;
import io.switchboard.core.config.Budgets;
import io.switchboard.core.config.ExecutionSettings;
import io.switchboard.core.config.RetryPolicy;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.execution.Dispatcher;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.SwitchboardListener;
import io.switchboard.core.port.WorkingTree;
import io.switchboard.core.routing.AgentSelector;
import io.switchboard.core.routing.Router;
import io.switchboard.core.routing.RoutingPolicy;
import io.switchboard.core.routing.RoutingService;
import io.switchboard.core.routing.Rule;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.testkit.FakeAgentRunner;
import io.switchboard.testkit.MutableClock;
import io.switchboard.testkit.store.InMemoryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Workflow runs against the in-memory store and a scripted runner: every step a stored task run by the
 * dispatcher, outputs passed on through placeholders, loops that end on approval or at their bound, failures
 * retried, handed off or stopping the run, and a run stopped half-way continued without running again what
 * finished.
 */
@org.junit.jupiter.api.Timeout(20)
class WorkflowDispatcherTest {
    private static final String WORKDIR = "/work/project";

    private final MutableClock clock = new MutableClock();
    private final InMemoryStore store = new InMemoryStore();
    private final FakeAgentRunner runner = new FakeAgentRunner(clock);
    private final FakeTree files = new FakeTree();
    private final Events events = new Events();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private List<AgentProfile> agents = List.of(
            anAgent("thinker").strongAt("reasoning").costing(0.01).profile(),
            anAgent("builder").strongAt("speed").costing(0.001).profile(),
            anAgent("helper").costing(0.002).profile());
    private Dispatcher dispatcher;
    /** What a step handed off is told; the product's, unless a test says otherwise. */
    private HandoffBrief brief = HandoffBrief.packet(store, ExecutionSettings.defaults(), clock);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void the_review_loop_ends_when_the_reviewer_approves_and_feeds_each_review_to_the_next_implementation() {
        runner.script("thinker", ok().printing("Plan: add Parser.java"),
                ok().printing("Missing tests.\nVERDICT: CHANGES_REQUESTED"),
                ok().printing("Good now.\n**VERDICT: APPROVED**"));
        files.changed("src/Parser.java", "src/Parser.java\nsrc/ParserTest.java");

        WorkflowDispatcher.Result result = run(Workflows.planImplementReview(), Map.of("task", "Add a parser"));

        assertThat(result.stopped()).isFalse();
        assertThat(result.run().state()).isEqualTo(WorkflowRunState.SUCCEEDED);
        assertThat(result.run().reason()).isEqualTo("all 3 steps finished; review approved at iteration 2");
        assertThat(result.steps()).extracting(row -> row.taskId() + " " + row.state().configName()).containsExactly(
                "plan-implement-review-1.plan succeeded", "plan-implement-review-1.implement succeeded",
                "plan-implement-review-1.review succeeded", "plan-implement-review-1.implement.2 succeeded",
                "plan-implement-review-1.review.2 succeeded");
        assertThat(runner.agentsRun()).containsExactly("thinker", "builder", "thinker", "builder", "thinker");
        // The second implementation reads the plan and the first review; the first read no review at all.
        assertThat(prompt("plan-implement-review-1.implement")).contains("Add a parser", "Plan: add Parser.java")
                .doesNotContain("Missing tests");
        assertThat(prompt("plan-implement-review-1.implement.2")).contains("Plan: add Parser.java",
                "Missing tests.\nVERDICT: CHANGES_REQUESTED");
        // Each review reads the files its implementation changed.
        assertThat(prompt("plan-implement-review-1.review")).contains("Files changed:\nsrc/Parser.java\n");
        assertThat(prompt("plan-implement-review-1.review.2")).contains("src/Parser.java\nsrc/ParserTest.java");
        // Every step is an ordinary stored task: decided, attempted, recorded.
        assertThat(store.taskStatus("plan-implement-review-1.review.2").orElseThrow().state())
                .isEqualTo(TaskState.SUCCEEDED);
        assertThat(runner.requests()).extracting(RunRequest::mode).containsExactly(Mode.PLAN, Mode.AUTO, Mode.PLAN,
                Mode.AUTO, Mode.PLAN);
        assertThat(events.lines).contains("sent back from review to implement, iteration 2 of 3",
                "run succeeded");
    }

    @Test
    void plan_implement_review_for_a_complex_implementation_plans_and_reviews_with_reasoning_and_implements_fast() {
        // Two agents as alike as can be but for their strengths, and the default routing rules, under which a
        // complex implementation on its own goes to the reasoning agent ('complex-implementation').
        agents = List.of(
                anAgent("claude-code").strongAt("reasoning", "architecture").weakAt("speed").costing(0.01).profile(),
                anAgent("codex").strongAt("speed").costing(0.01).profile());
        runner.script("claude-code", ok().printing("The plan."), ok().printing("VERDICT: APPROVED"));
        dispatcher = dispatcher();
        WorkflowDispatcher engine = engine(dispatcher);
        io.switchboard.core.task.TaskDraft complex = io.switchboard.testkit.TaskBuilder.aTask().withId("TASK-28")
                .titled("Add a rate limiter to the public API").ofType(io.switchboard.core.task.TaskType.IMPLEMENT)
                .withComplexity(85).timingOutAfter(java.time.Duration.ofMinutes(20)).build().draft();
        WorkflowRun run = engine.start(Workflows.planImplementReview(), Map.of("task", "Add a rate limiter"),
                options(), complex, "TASK-28", "orch-1");

        WorkflowDispatcher.Result result = engine.run(run.id());

        assertThat(result.run().state()).isEqualTo(WorkflowRunState.SUCCEEDED);
        assertThat(runner.requests()).extracting(request -> request.taskId() + " " + request.agent().name() + " "
                + request.mode().configName()).containsExactly("TASK-28-1.plan claude-code plan",
                "TASK-28-1.implement codex auto", "TASK-28-1.review claude-code plan");
        // The steps' tasks carry the task's complexity and time limit, and need what their step prefers.
        assertThat(runner.requests()).extracting(RunRequest::timeout).containsOnly(java.time.Duration.ofMinutes(20));
        io.switchboard.core.task.Task implement = store.loadTask("TASK-28-1.implement").orElseThrow();
        assertThat(implement.traits().complexity()).isEqualTo(85);
        assertThat(implement.traits().neededSkills()).contains("speed").doesNotContain("reasoning");
        assertThat(decision("TASK-28-1.implement").rule()).startsWith("rule 'complex-implementation'");
        assertThat(decision("TASK-28-1.implement").candidates()).extracting(c -> c.agent() + ": "
                + c.factor(io.switchboard.core.routing.Factor.PREFERENCE).reason()).containsExactlyInAnyOrder(
                "codex: workflow step 'implement' prefers agents strong in speed", "claude-code: not preferred");
    }

    @Test
    void the_review_loop_ends_at_max_iterations_without_approval_and_the_run_fails_saying_so() {
        runner.script("thinker", ok().printing("Plan"), ok().printing("Still wrong.\nVERDICT: CHANGES_REQUESTED"));

        WorkflowDispatcher.Result result = run(Workflows.planImplementReview(), Map.of("task", "Add a parser"));

        assertThat(result.run().state()).isEqualTo(WorkflowRunState.FAILED);
        assertThat(result.run().reason()).isEqualTo("step 'review' did not approve in 3 iterations, the most its"
                + " loop allows (max_iterations); its last verdict: VERDICT: CHANGES_REQUESTED");
        assertThat(result.steps()).extracting(row -> row.stepId() + " " + row.iteration()).containsExactly(
                "plan 1", "implement 1", "review 1", "implement 2", "review 2", "implement 3", "review 3");
        assertThat(runner.requests()).hasSize(7);
    }

    @Test
    void a_review_without_a_verdict_line_is_no_approval() {
        runner.script("thinker", ok().printing("Plan"), ok().printing("Looks good to me"));

        WorkflowDispatcher.Result result = run(Workflows.planImplementReview(), Map.of("task", "Add a parser"));

        assertThat(result.run().reason()).endsWith("its last verdict: none (no VERDICT: line)");
    }

    @Test
    void a_named_agent_pins_its_step_and_an_auto_step_prefers_what_it_asks_for() {
        Workflow workflow = workflow(
                new Step("draft", StepAgent.named("helper"), Mode.PLAN, Template.parse("Draft {{inputs.task}}"),
                        StepOutput.TEXT, List.of(), OnFailure.RETRY, null),
                new Step("polish", new StepAgent.Auto(null, AgentSelector.strength("reasoning"), null), Mode.PLAN,
                        Template.parse("Polish {{steps.draft.output}}"), StepOutput.TEXT, List.of("draft"),
                        OnFailure.RETRY, null));

        WorkflowDispatcher.Result result = run(workflow, Map.of("task", "the README"));

        assertThat(result.run().state()).isEqualTo(WorkflowRunState.SUCCEEDED);
        assertThat(runner.agentsRun().getFirst()).isEqualTo("helper");
        assertThat(decision("wf-1.draft").exclusions()).extracting(e -> e.agent() + " " + e.detail())
                .containsExactlyInAnyOrder("thinker workflow step 'draft' pins agent helper",
                        "builder workflow step 'draft' pins agent helper");
        io.switchboard.core.routing.RoutingDecision polish = decision("wf-1.polish");
        assertThat(polish.candidates()).extracting(c -> c.agent() + ": "
                + c.factor(io.switchboard.core.routing.Factor.PREFERENCE).reason()).containsExactlyInAnyOrder(
                "thinker: workflow step 'polish' prefers agents strong in reasoning", "builder: not preferred",
                "helper: not preferred");
    }

    @Test
    void a_file_output_is_read_after_its_step_and_reaches_the_next_prompt() {
        files.file("docs/design.md", "# Design\nUse a token bucket.");
        Workflow workflow = workflow(
                new Step("design", StepAgent.named("thinker"), Mode.PLAN, Template.parse("Design {{inputs.task}}"),
                        StepOutput.file("docs/design.md"), List.of(), OnFailure.RETRY, null),
                new Step("build", StepAgent.named("builder"), Mode.AUTO,
                        Template.parse("Build:\n{{steps.design.output}}"),
                        StepOutput.TEXT, List.of("design"), OnFailure.RETRY, null));

        WorkflowDispatcher.Result result = run(workflow, Map.of("task", "a rate limiter"));

        assertThat(result.run().state()).isEqualTo(WorkflowRunState.SUCCEEDED);
        assertThat(prompt("wf-1.build")).isEqualTo("Build:\n# Design\nUse a token bucket.");
        assertThat(result.steps().getFirst().output()).isEqualTo("# Design\nUse a token bucket.");
    }

    @Test
    void a_file_output_the_step_did_not_write_fails_the_step_and_the_run() {
        Workflow workflow = workflow(
                new Step("design", StepAgent.named("thinker"), Mode.PLAN, Template.parse("Design {{inputs.task}}"),
                        StepOutput.file("docs/design.md"), List.of(), OnFailure.RETRY, null),
                new Step("build", StepAgent.named("builder"), Mode.AUTO, Template.parse("{{steps.design.output}}"),
                        StepOutput.TEXT, List.of("design"), OnFailure.RETRY, null));

        WorkflowDispatcher.Result result = run(workflow, Map.of("task", "x"));

        assertThat(result.run().state()).isEqualTo(WorkflowRunState.FAILED);
        assertThat(result.run().reason()).isEqualTo("step 'design' failed: its task succeeded but left no file"
                + " docs/design.md in /work/project, which the step outputs");
        assertThat(runner.agentsRun()).containsExactly("thinker");
    }

    @Test
    void a_failing_step_is_retried_by_the_dispatcher_on_the_next_best_agent() {
        runner.script("builder", fails(FailureType.EXIT_CODE, "tests failed"));
        Workflow workflow = workflow(new Step("fix", new StepAgent.Auto(null, AgentSelector.strength("speed"), null),
                Mode.AUTO, Template.parse("Fix {{inputs.task}}"), StepOutput.TEXT, List.of(), OnFailure.RETRY, null));

        WorkflowDispatcher.Result result = run(workflow, Map.of("task", "the build"));

        assertThat(result.run().state()).isEqualTo(WorkflowRunState.SUCCEEDED);
        assertThat(runner.agentsRun()).hasSize(2).startsWith("builder").doesNotHaveDuplicates();
        assertThat(store.attempts("wf-1.fix")).hasSize(2);
    }

    @Test
    void a_step_that_stops_on_failure_ends_the_run_at_its_first_failed_attempt() {
        runner.script("builder", fails(FailureType.EXIT_CODE, "tests failed"));
        Workflow workflow = workflow(
                new Step("fix", StepAgent.named("builder"), Mode.AUTO, Template.parse("Fix {{inputs.task}}"),
                        StepOutput.TEXT, List.of(), OnFailure.STOP, null),
                new Step("after", StepAgent.named("helper"), Mode.PLAN, Template.parse("{{steps.fix.output}}"),
                        StepOutput.TEXT, List.of("fix"), OnFailure.RETRY, null));

        WorkflowDispatcher.Result result = run(workflow, Map.of("task", "the build"));

        assertThat(result.run().state()).isEqualTo(WorkflowRunState.FAILED);
        assertThat(result.run().reason()).startsWith("step 'fix' failed: task wf-1.fix failed: failed 1 of 1"
                + " attempts allowed");
        assertThat(runner.agentsRun()).containsExactly("builder");
    }

    @Test
    void a_failed_step_is_handed_off_with_the_handoff_packet_of_its_failed_task_after_its_prompt() {
        runner.script("builder", fails(FailureType.EXIT_CODE, "compiler crashed")
                .printing("compiling\nerror: line 3\nQUESTION: may I drop the old parser?"));
        Workflow workflow = workflow(new Step("fix", StepAgent.named("builder"), Mode.AUTO,
                Template.parse("Fix {{inputs.task}}"), StepOutput.TEXT, List.of(), OnFailure.handoff("helper"), null));

        WorkflowDispatcher.Result result = run(workflow, Map.of("task", "the build"));

        assertThat(result.run().state()).isEqualTo(WorkflowRunState.SUCCEEDED);
        assertThat(runner.agentsRun()).containsExactly("builder", "helper");
        StepRun row = result.steps().getFirst();
        assertThat(row.taskId()).isEqualTo("wf-1.fix.handoff");
        assertThat(row.handedOffFrom()).isEqualTo("wf-1.fix");
        // The step's prompt whole, then the packet any handoff gives, written from the failed task's record.
        assertThat(prompt("wf-1.fix.handoff")).startsWith("Fix the build\n\n---\n\n# Handoff packet for wf-1.fix\n")
                .contains("Step 'fix' of workflow run wf-1 failed, and the workflow hands it to you (helper) as task "
                                + "wf-1.fix.handoff.",
                        "## What was done\n\nAttempt 1 on builder: failed (exit_code: compiler crashed).",
                        "### Attempt 1 on builder: failed (exit_code)\n\ncompiler crashed\n\n```\nerror: line 3\n```",
                        "- Attempt 1 on builder asked: may I drop the old parser?",
                        "for the first attempt of task wf-1.fix.handoff on helper, after step 'fix' of workflow run "
                                + "wf-1 failed (on_failure: handoff).")
                .doesNotContain("Left out");
        // The handoff pins its task to the agent as any handoff does, in the step's mode.
        io.switchboard.core.routing.RoutingDecision handedOff = decision("wf-1.fix.handoff");
        assertThat(handedOff.mode()).isEqualTo(Mode.AUTO);
        assertThat(handedOff.reason()).endsWith(
                "Pinned to helper by a handoff of workflow step 'fix': no other agent may take it.");
        assertThat(events.lines).contains("handed off fix to helper");
    }

    @Test
    void the_last_failure_brief_gives_the_prompt_and_how_the_step_failed() {
        brief = HandoffBrief.LAST_FAILURE;
        runner.script("builder", fails(FailureType.EXIT_CODE, "compiler crashed").printing("error: line 3"));
        Workflow workflow = workflow(new Step("fix", StepAgent.named("builder"), Mode.AUTO,
                Template.parse("Fix {{inputs.task}}"), StepOutput.TEXT, List.of(), OnFailure.handoff("helper"), null));

        WorkflowDispatcher.Result result = run(workflow, Map.of("task", "the build"));

        assertThat(result.run().state()).isEqualTo(WorkflowRunState.SUCCEEDED);
        assertThat(prompt("wf-1.fix.handoff")).startsWith("Fix the build\n").contains("failed on builder (attempt 1)",
                "compiler crashed", "error: line 3");
    }

    @Test
    void a_handoff_that_fails_too_fails_the_run() {
        runner.script("builder", fails(FailureType.EXIT_CODE, "1"));
        runner.script("helper", fails(FailureType.EXIT_CODE, "2"));
        Workflow workflow = workflow(new Step("fix", StepAgent.named("builder"), Mode.AUTO,
                Template.parse("Fix {{inputs.task}}"), StepOutput.TEXT, List.of(), OnFailure.handoff("helper"), null));

        WorkflowDispatcher.Result result = run(workflow, Map.of("task", "the build"));

        assertThat(result.run().state()).isEqualTo(WorkflowRunState.FAILED);
        assertThat(result.run().reason()).startsWith("step 'fix' failed: task wf-1.fix.handoff failed");
        assertThat(runner.agentsRun()).containsExactly("builder", "helper");
    }

    @Test
    void independent_plan_steps_run_together_but_steps_that_change_files_one_at_a_time() {
        Workflow workflow = workflow(
                new Step("read-a", StepAgent.named("thinker"), Mode.PLAN, Template.parse("Read a"),
                        StepOutput.TEXT, List.of(), OnFailure.RETRY, null),
                new Step("read-b", StepAgent.named("helper"), Mode.PLAN, Template.parse("Read b"),
                        StepOutput.TEXT, List.of(), OnFailure.RETRY, null),
                new Step("write-a", StepAgent.named("builder"), Mode.AUTO, Template.parse("Write a"),
                        StepOutput.TEXT, List.of(), OnFailure.RETRY, null),
                new Step("write-b", StepAgent.named("helper"), null, Template.parse("Write b"),
                        StepOutput.TEXT, List.of(), OnFailure.RETRY, null));

        WorkflowDispatcher.Result result = run(workflow, Map.of("task", "x"));

        assertThat(result.run().state()).isEqualTo(WorkflowRunState.SUCCEEDED);
        List<String> order = events.startsAndEnds();
        // The three steps that can run together start before any finishes; the second writer waits for the first.
        assertThat(order.subList(0, 3)).containsExactly("start read-a", "start read-b", "start write-a");
        assertThat(order.indexOf("start write-b")).isGreaterThan(order.indexOf("end write-a"));
    }

    @Test
    void a_stopped_run_continues_where_it_stopped_without_running_a_finished_step_again() {
        dispatcher = dispatcher();
        runner.script("thinker", ok().printing("Plan"), ok().printing("VERDICT: APPROVED"));
        runner.script("builder", ok().printing("built").onStart(() -> dispatcher.stopRunning()), ok());
        WorkflowDispatcher engine = engine(dispatcher);
        WorkflowRun run = engine.start(Workflows.planImplementReview(), Map.of("task", "Add a parser"),
                options(), null, "prr", "orch-1");

        WorkflowDispatcher.Result stopped = engine.run(run.id());

        assertThat(stopped.stopped()).isTrue();
        assertThat(stopped.run().state()).isEqualTo(WorkflowRunState.RUNNING);
        assertThat(stopped.steps()).extracting(row -> row.stepId() + " " + row.state().configName())
                .containsExactly("plan succeeded", "implement running");
        assertThat(store.unfinishedRuns()).containsExactly(run.id());

        WorkflowDispatcher.Result resumed = engine(dispatcher()).run(run.id());

        assertThat(resumed.run().state()).isEqualTo(WorkflowRunState.SUCCEEDED);
        assertThat(runner.agentsRun()).containsExactly("thinker", "builder", "builder", "thinker");
        assertThat(store.attempts("prr-1.plan")).hasSize(1);
        // The stopped implementation continued its own task, as a new attempt.
        assertThat(store.attempts("prr-1.implement")).extracting(a -> a.number() + " " + a.state())
                .containsExactly("1 CANCELLED", "2 SUCCEEDED");
    }

    @Test
    void a_step_whose_orchestrator_died_runs_again_as_a_new_attempt_even_when_it_allows_one() {
        Workflow workflow = workflow(new Step("fix", StepAgent.named("builder"), Mode.AUTO,
                Template.parse("Fix {{inputs.task}}"), StepOutput.TEXT, List.of(), OnFailure.STOP, null));
        dispatcher = dispatcher();
        WorkflowDispatcher engine = engine(dispatcher);
        WorkflowRun run = engine.start(workflow, Map.of("task", "x"), options(), null, "wf", "dead");
        // A dead orchestrator had opened the step and started its attempt.
        Step fix = workflow.steps().getFirst();
        store.startStep(new StepRun.Start(run.id(), "fix", 1, StepTasks.task(run.id(), run.title(), null, fix, 1,
                "Fix x"), StepTasks.options(run.options(), fix), null), clock.instant());
        store.startAttempt(new AttemptStart("wf-1.fix", store.find("builder").orElseThrow().id(), "builder",
                Mode.AUTO, "fix", null, "dead", "dead:wf-1.fix:1", ""), clock.instant());
        AttemptRecord inFlight = store.inFlightAttempts().getFirst();
        dispatcher.abandon(inFlight, "the orchestrator that ran it (dead) is gone");
        assertThat(store.taskStatus("wf-1.fix").orElseThrow().state()).isEqualTo(TaskState.FAILED);

        WorkflowDispatcher.Result resumed = engine.run(run.id());

        assertThat(resumed.run().state()).isEqualTo(WorkflowRunState.SUCCEEDED);
        assertThat(store.attempts("wf-1.fix")).extracting(a -> a.number() + " " + a.agentName() + " " + a.state())
                .containsExactly("1 builder ABANDONED", "2 builder SUCCEEDED");
        assertThat(events.lines).contains("retried fix after its orchestrator died");
    }

    @Test
    void an_ended_run_is_not_run_again() {
        WorkflowDispatcher.Result first = run(Workflows.planImplementReview(), Map.of("task", "x"));
        runner.script("thinker", ok().printing("VERDICT: APPROVED"));
        int runs = runner.requests().size();

        WorkflowDispatcher.Result again = engine(dispatcher()).run(first.run().id());

        assertThat(again.run()).isEqualTo(first.run());
        assertThat(runner.requests()).hasSize(runs);
    }

    private WorkflowDispatcher.Result run(Workflow workflow, Map<String, String> inputs) {
        dispatcher = dispatcher();
        WorkflowDispatcher engine = engine(dispatcher);
        WorkflowRun run = engine.start(workflow, inputs, options(), null, workflow.name(), "orch-1");
        return engine.run(run.id());
    }

    private static Workflow workflow(Step... steps) {
        return new Workflow("wf", "", List.of(WorkflowInput.required("task")), List.of(steps));
    }

    private static TaskOptions options() {
        return new TaskOptions(WORKDIR, null, null, null, Set.of(), null, null);
    }

    private io.switchboard.core.routing.RoutingDecision decision(String taskId) {
        return store.find(io.switchboard.core.port.DecisionLog.DecisionQuery.all().forTask(taskId)).getFirst()
                .decision();
    }

    private String prompt(String taskId) {
        return runner.requests().stream().filter(request -> request.taskId().equals(taskId)).reduce((a, b) -> b)
                .orElseThrow().prompt();
    }

    private WorkflowDispatcher engine(Dispatcher used) {
        return new WorkflowDispatcher(used, store, store, files, brief, events, clock, threads);
    }

    private Dispatcher dispatcher() {
        SwitchboardConfig config = new SwitchboardConfig(agents, RoutingPolicy.defaults(), Rule.defaults(),
                new RetryPolicy(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(60), 3, null), Budgets.UNLIMITED,
                Map.of(), List.of(), List.of(), Map.of(), Map.of(), Map.of(), ExecutionSettings.defaults());
        store.sync(agents, clock.instant());
        RoutingService routing = new RoutingService(store, store, store, store, store,
                new Router(config.policy(), config.rules()), clock);
        return new Dispatcher(routing, store, store, store, runner, due -> {
            if (clock.instant().isBefore(due)) {
                clock.set(due);
            }
        }, clock, SwitchboardListener.NONE, config, new Dispatcher.Settings("orch-1", Path.of(WORKDIR), Map.of(),
                Map.of(), null, RoutingPolicy.defaults().halfLife(), null));
    }

    /** A working directory in memory: each snapshot is numbered; a step's changes are scripted in order. */
    private static final class FakeTree implements WorkingTree {
        private final List<String> changes = new ArrayList<>();
        private final Map<String, String> files = new HashMap<>();
        private int snapshots;
        private int changed;

        synchronized void changed(String... lists) {
            changes.addAll(List.of(lists));
        }

        synchronized void file(String path, String content) {
            files.put(path, content);
        }

        @Override
        public synchronized String snapshot(Path directory) {
            return "snapshot " + ++snapshots;
        }

        @Override
        public synchronized List<String> changedSince(Path directory, String snapshot) {
            assertThat(snapshot).startsWith("snapshot ");
            String list = changes.isEmpty() ? "" : changes.get(Math.min(changed++, changes.size() - 1));
            return list.isEmpty() ? List.of() : List.of(list.split("\n"));
        }

        @Override
        public synchronized Optional<String> read(Path directory, String relativePath) {
            assertThat(directory).isEqualTo(Path.of(WORKDIR));
            return Optional.ofNullable(files.get(relativePath));
        }
    }

    /** Hears the run's events as lines. */
    private static final class Events implements WorkflowListener {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        List<String> startsAndEnds() {
            return lines.stream().filter(line -> line.startsWith("start ") || line.startsWith("end ")).toList();
        }

        @Override
        public void stepStarted(String runId, StepRun step, boolean continued) {
            lines.add("start " + step.stepId());
        }

        @Override
        public void stepFinished(String runId, StepRun step) {
            lines.add("end " + step.stepId());
        }

        @Override
        public void sentBack(String runId, String closingStep, Verdict verdict, String backTo, int nextIteration,
                int maxIterations) {
            lines.add("sent back from " + closingStep + " to " + backTo + ", iteration " + nextIteration + " of "
                    + maxIterations);
        }

        @Override
        public void handedOff(String runId, StepRun step, String toAgent, String why) {
            lines.add("handed off " + step.stepId() + " to " + toAgent);
        }

        @Override
        public void retriedAfterAbandon(String runId, StepRun step) {
            lines.add("retried " + step.stepId() + " after its orchestrator died");
        }

        @Override
        public void runFinished(String runId, WorkflowRunState state, String reason) {
            lines.add("run " + state.configName());
        }
    }
}
