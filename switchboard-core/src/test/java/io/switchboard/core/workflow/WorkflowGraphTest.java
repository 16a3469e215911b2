package io.switchboard.core.workflow;

import static io.switchboard.core.workflow.Steps.looping;
import static io.switchboard.core.workflow.Steps.onAgent;
import static io.switchboard.core.workflow.Steps.prompted;
import static io.switchboard.core.workflow.Steps.step;
import static io.switchboard.core.workflow.Steps.workflow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.routing.AgentSelector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WorkflowGraphTest {
    private static final List<WorkflowInput> TASK = List.of(WorkflowInput.required("task"));

    // ---- the rules, one bad workflow each ----

    static Stream<Arguments> badWorkflows() {
        return Stream.of(
                bad("duplicate id", TASK, List.of(step("a"), step("b"), step("a")),
                        new WorkflowProblem(2, "a", "id", -1,
                                "step id 'a' is already taken by an earlier step; step ids must be unique")),
                bad("depends on itself", TASK, List.of(step("a", "a")),
                        new WorkflowProblem(0, "a", "depends_on[0]", -1, "a step cannot depend on itself")),
                bad("depends on a missing step", TASK, List.of(step("a"), step("b", "a", "x")),
                        new WorkflowProblem(1, "b", "depends_on[1]", -1,
                                "step 'b' depends on 'x', which is no step of this workflow (steps: a, b)")),
                bad("depends on a step twice", TASK, List.of(step("a"), step("b", "a", "a")),
                        new WorkflowProblem(1, "b", "depends_on[1]", -1, "'a' is listed twice")),
                bad("hands off to its own agent", TASK, List.of(onAgent("a", "codex", OnFailure.handoff("codex"))),
                        new WorkflowProblem(0, "a", "on_failure.handoff", -1,
                                "step 'a' already runs on agent 'codex'; hand off to another agent")),
                bad("loops back to itself", TASK, List.of(step("a"), looping("b", "b", "a")),
                        new WorkflowProblem(1, "b", "loop.back_to", -1, "a step cannot loop back to itself; loop back"
                                + " to the step whose work this one checks")),
                bad("loops back to a missing step", TASK, List.of(step("a"), looping("b", "x", "a")),
                        new WorkflowProblem(1, "b", "loop.back_to", -1,
                                "the loop goes back to 'x', which is no step of this workflow (steps: a, b)")),
                bad("a circle of two", TASK, List.of(step("a", "b"), step("b", "a")),
                        new WorkflowProblem(0, "a", "depends_on[0]", -1, "steps depend on each other in a circle:"
                                + " a -> b -> a (each depends on the next); to repeat steps, give the step that checks"
                                + " the work a loop: with back_to and max_iterations")),
                bad("a circle of three behind a good step", TASK,
                        List.of(step("start"), step("c", "b"), step("a", "start", "c"), step("b", "a")),
                        new WorkflowProblem(1, "c", "depends_on[0]", -1, "steps depend on each other in a circle:"
                                + " c -> b -> a -> c (each depends on the next); to repeat steps, give the step that"
                                + " checks the work a loop: with back_to and max_iterations")),
                bad("a placeholder naming no input", TASK, List.of(prompted("a", "Do {{inputs.tsak}}.")),
                        new WorkflowProblem(0, "a", "prompt", 3,
                                "{{inputs.tsak}} names no input of this workflow (inputs: task)")),
                bad("an input placeholder in a workflow without inputs", List.of(),
                        List.of(prompted("a", "Do {{ inputs.task }}.")),
                        new WorkflowProblem(0, "a", "prompt", 3,
                                "{{ inputs.task }} names no input of this workflow (it declares none)")),
                bad("a placeholder naming no step", TASK, List.of(step("a"), prompted("b", "{{steps.c.output}}", "a")),
                        new WorkflowProblem(1, "b", "prompt", 0,
                                "{{steps.c.output}} names no step of this workflow (steps: a, b)")),
                bad("a placeholder naming its own step", TASK, List.of(prompted("a", "again: {{steps.a.output}}")),
                        new WorkflowProblem(0, "a", "prompt", 7, "{{steps.a.output}} is this step's own output; a"
                                + " prompt can use the outputs of the steps it depends on")),
                bad("a placeholder naming a step it does not depend on", TASK,
                        List.of(step("a"), step("b", "a"), prompted("c", "{{inputs.task}} {{steps.b.output}}", "a")),
                        new WorkflowProblem(2, "c", "prompt", 16, "{{steps.b.output}} is the output of 'b', which step"
                                + " 'c' does not depend on; add 'b' to its depends_on (or to a step's it depends on)")),
                bad("a placeholder naming a later step", TASK,
                        List.of(prompted("a", "{{steps.b.output}}"), step("b", "a")),
                        new WorkflowProblem(0, "a", "prompt", 0, "{{steps.b.output}} is the output of 'b', which step"
                                + " 'a' does not depend on; add 'b' to its depends_on (or to a step's it depends on)")),
                bad("the feedback of a loop the step is not in", TASK,
                        List.of(prompted("plan", "{{steps.review.output}}"), step("implement", "plan"),
                                looping("review", "implement", "implement")),
                        new WorkflowProblem(0, "plan", "prompt", 0, "{{steps.review.output}} is the output of 'review',"
                                + " which step 'plan' does not depend on; add 'review' to its depends_on (or to a"
                                + " step's it depends on)")),
                bad("a loop back to a step it does not depend on", TASK,
                        List.of(step("a"), step("b"), looping("c", "a", "b")),
                        new WorkflowProblem(2, "c", "loop.back_to", -1, "step 'c' does not depend on 'a'; a loop goes"
                                + " back to a step this one depends on, directly or through other steps")),
                bad("a loop forward", TASK, List.of(looping("a", "b"), step("b", "a")),
                        new WorkflowProblem(0, "a", "loop.back_to", -1, "step 'a' does not depend on 'b'; a loop goes"
                                + " back to a step this one depends on, directly or through other steps")),
                bad("crossing loops", TASK,
                        List.of(step("a"), step("b", "a"), looping("c", "a", "b"), looping("d", "b", "c")),
                        new WorkflowProblem(3, "d", "loop", -1, "this loop (back to 'b') and the loop of step 'c' (back"
                                + " to 'a') share steps, but neither holds the other; loops must be apart or one inside"
                                + " the other")),
                bad("two loops back to one step", TASK,
                        List.of(step("a"), looping("r1", "a", "a"), looping("r2", "a", "a")),
                        new WorkflowProblem(2, "r2", "loop", -1, "this loop (back to 'a') and the loop of step 'r1'"
                                + " (back to 'a') share steps, but neither holds the other; loops must be apart or one"
                                + " inside the other")));
    }

    private static Arguments bad(String name, List<WorkflowInput> inputs, List<Step> steps,
            WorkflowProblem expected) {
        return Arguments.of(name, inputs, steps, expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badWorkflows")
    void eachRuleIsReportedWithItsStepAndKey(String name, List<WorkflowInput> inputs, List<Step> steps,
            WorkflowProblem expected) {
        assertThat(WorkflowGraph.problems(inputs, steps)).containsExactly(expected);
        assertThatThrownBy(() -> new Workflow("test", "", inputs, steps))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("workflow 'test': " + expected.describe());
    }

    static Stream<Arguments> goodWorkflows() {
        return Stream.of(
                Arguments.of("one step", List.of(prompted("a", "{{inputs.task}}"))),
                Arguments.of("an output two steps back",
                        List.of(step("a"), step("b", "a"),
                                prompted("c", "{{steps.a.output}} {{steps.b.output}}", "b"))),
                Arguments.of("a loop's feedback inside it",
                        List.of(step("plan"), prompted("implement", "{{steps.plan.output}} {{steps.review.output}}",
                                "plan"), looping("review", "implement", "implement"))),
                Arguments.of("a loop's feedback two steps into it",
                        List.of(step("a"), step("b", "a"), prompted("c", "{{steps.d.output}}", "b"),
                                looping("d", "b", "c"))),
                Arguments.of("nested loops",
                        List.of(step("a"), step("b", "a"), looping("c", "b", "b"), looping("d", "a", "c"))),
                Arguments.of("loops apart",
                        List.of(step("a"), looping("r1", "a", "a"), step("b", "r1"), looping("r2", "b", "b"))),
                Arguments.of("a loop one step long", List.of(step("a"), looping("b", "a", "a"))));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("goodWorkflows")
    void goodWorkflowsHaveNoProblems(String name, List<Step> steps) {
        assertThat(WorkflowGraph.problems(TASK, steps)).isEmpty();
    }

    @Test
    void idsAndDependenciesAreReportedAloneAndAllAtOnce() {
        List<Step> steps = List.of(prompted("a", "{{inputs.nope}}", "x"), step("a", "y"));

        assertThat(WorkflowGraph.problems(TASK, steps)).extracting(WorkflowProblem::describe).containsExactly(
                "step 'a' depends_on[0]: step 'a' depends on 'x', which is no step of this workflow (steps: a)",
                "step 'a' id: step id 'a' is already taken by an earlier step; step ids must be unique",
                "step 'a' depends_on[0]: step 'a' depends on 'y', which is no step of this workflow (steps: a)");
    }

    @Test
    void everyAgentNamedMustBeDeclared() {
        List<Step> steps = List.of(
                onAgent("a", "claude-code", OnFailure.handoff("codex")),
                new Step("b", new StepAgent.Auto(null, AgentSelector.agent("gemini"), null), null,
                        Template.parse("b"), StepOutput.TEXT, List.of(), OnFailure.RETRY, null),
                new Step("c", new StepAgent.Auto("code", AgentSelector.strength("reasoning"), 1.0), null,
                        Template.parse("c"), StepOutput.TEXT, List.of(), OnFailure.STOP, null));

        assertThat(WorkflowGraph.agentProblems(steps, Set.of("codex", "aider")))
                .containsExactly(
                        new WorkflowProblem(0, "a", "agent", -1,
                                "no agent named 'claude-code' is declared (declared: aider, codex)"),
                        new WorkflowProblem(1, "b", "prefer", -1,
                                "no agent named 'gemini' is declared (declared: aider, codex)"));
        assertThat(WorkflowGraph.agentProblems(steps, Set.of()))
                .extracting(WorkflowProblem::key, WorkflowProblem::message)
                .contains(org.assertj.core.groups.Tuple.tuple("on_failure.handoff",
                        "no agent named 'codex' is declared (no agents are)"));
        assertThat(workflow(steps.toArray(Step[]::new)).agentProblems(Set.of("claude-code", "codex", "gemini")))
                .isEmpty();
    }

    // ---- order and readiness ----

    @Test
    void independentStepsAreReadyTogetherAndAJoinWaitsForBoth() {
        WorkflowGraph graph = workflow(step("a"), step("b", "a"), step("c", "a"), step("d", "b", "c")).graph();

        assertThat(graph.order()).containsExactly("a", "b", "c", "d");
        assertThat(ids(graph.ready(Set.of()))).containsExactly("a");
        assertThat(ids(graph.ready(Set.of("a")))).containsExactly("b", "c");
        assertThat(ids(graph.ready(Set.of("a", "c")))).containsExactly("b");
        assertThat(ids(graph.ready(Set.of("a", "b", "c")))).containsExactly("d");
        assertThat(graph.ready(Set.of("a", "b", "c", "d"))).isEmpty();
    }

    @Test
    void theOrderFollowsDependenciesThenTheOrderWritten() {
        WorkflowGraph graph = workflow(step("docs", "build"), step("lint"), step("build"), step("ship", "docs"))
                .graph();

        assertThat(graph.order()).containsExactly("lint", "build", "docs", "ship");
        assertThat(ids(graph.ready(Set.of()))).containsExactly("lint", "build");
    }

    @Test
    void aStepBuildingOnALoopWaitsForTheLoopToEnd() {
        WorkflowGraph graph = workflow(step("plan"), step("implement", "plan"),
                looping("review", "implement", "implement"), step("docs", "implement"), step("notes", "plan"))
                .graph();

        assertThat(graph.waitsFor("docs")).containsExactly("implement", "review");
        assertThat(graph.waitsFor("notes")).containsExactly("plan");
        assertThat(ids(graph.ready(Set.of("plan")))).containsExactly("implement", "notes");
        assertThat(ids(graph.ready(Set.of("plan", "implement")))).containsExactly("review", "notes");
        assertThat(ids(graph.ready(Set.of("plan", "implement", "review")))).containsExactly("docs", "notes");
        assertThat(graph.order()).containsExactly("plan", "implement", "review", "docs", "notes");
        assertThat(graph.loopBody("review")).containsExactly("implement", "review");
        assertThat(graph.upstream("docs")).containsExactly("implement", "plan");
    }

    @Test
    void aLoopRepeatsEveryStepBetweenItsEnds() {
        WorkflowGraph graph = workflow(step("a"), step("b", "a"), step("side", "a"), step("c", "b"),
                step("c2", "b"), looping("d", "b", "c", "c2"), step("e", "side", "c")).graph();

        assertThat(graph.loopBody("d")).containsExactly("b", "c", "c2", "d");
        assertThat(graph.waitsFor("e")).containsExactly("side", "c", "d");
        // Going back: the loop's steps are marked not completed again, and the first of them is ready.
        assertThat(ids(graph.ready(Set.of("a", "side")))).containsExactly("b");
    }

    @Test
    void nestedLoopsMakeTheOuterStepsWaitForTheInnerLoop() {
        WorkflowGraph graph = workflow(step("a"), step("b", "a"), looping("c", "b", "b"), step("x", "b"),
                looping("d", "a", "c", "x")).graph();

        assertThat(graph.loopBody("c")).containsExactly("b", "c");
        assertThat(graph.loopBody("d")).containsExactly("a", "b", "c", "x", "d");
        assertThat(graph.waitsFor("x")).containsExactly("b", "c");
        assertThat(graph.order()).containsExactly("a", "b", "c", "x", "d");
    }

    @Test
    void askingAboutStepsThatAreNotThereIsAnError() {
        WorkflowGraph graph = workflow(step("a"), step("b", "a")).graph();

        assertThatThrownBy(() -> graph.ready(Set.of("zz"))).hasMessage("no step 'zz' in this workflow");
        assertThatThrownBy(() -> graph.waitsFor("zz")).hasMessage("no step 'zz' in this workflow");
        assertThatThrownBy(() -> graph.loopBody("b")).hasMessage("step 'b' declares no loop");
    }

    // ---- random graphs: whatever passes the rules can be ordered and run to the end ----

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyValidWorkflowRunsToTheEndInTheOrderItsWaitsAllow(long seed) {
        Random random = new Random(seed);
        List<Step> steps = randomSteps(random);
        if (!WorkflowGraph.problems(TASK, steps).isEmpty()) {
            return;
        }
        WorkflowGraph graph = workflow(steps.toArray(Step[]::new)).graph();

        List<String> order = graph.order();
        assertThat(order).as("seed %s", seed).containsExactlyInAnyOrderElementsOf(ids(steps));
        for (Step step : steps) {
            assertThat(graph.waitsFor(step.id())).as("seed %s", seed).containsAll(step.dependsOn());
            for (String waited : graph.waitsFor(step.id())) {
                assertThat(order.indexOf(waited)).as("seed %s: %s before %s", seed, waited, step.id())
                        .isLessThan(order.indexOf(step.id()));
            }
        }
        Set<String> completed = new HashSet<>();
        while (completed.size() < steps.size()) {
            List<Step> ready = graph.ready(completed);
            assertThat(ready).as("seed %s: stuck after %s", seed, completed).isNotEmpty();
            ready.forEach(step -> completed.add(step.id()));
        }
    }

    /** Up to ten steps written in a random order, each depending on some earlier-created ones, some looping back. */
    private static List<Step> randomSteps(Random random) {
        int count = 2 + random.nextInt(9);
        List<Step> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> dependsOn = new ArrayList<>();
            for (Step earlier : created) {
                if (random.nextInt(3) == 0) {
                    dependsOn.add(earlier.id());
                }
            }
            String id = "s" + i;
            if (!dependsOn.isEmpty() && random.nextInt(3) == 0) {
                String backTo = created.get(random.nextInt(created.size())).id();
                created.add(looping(id, backTo, dependsOn.toArray(String[]::new)));
            } else {
                created.add(step(id, dependsOn.toArray(String[]::new)));
            }
        }
        List<Step> written = new ArrayList<>(created);
        java.util.Collections.shuffle(written, random);
        return written;
    }

    private static List<String> ids(List<Step> steps) {
        return steps.stream().map(Step::id).toList();
    }
}
