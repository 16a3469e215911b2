package io.switchboard.core.workflow;

import static io.switchboard.core.workflow.Steps.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.routing.AgentSelector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each part of a workflow refuses an impossible value on its own, and quotes it. */
class WorkflowPartsTest {

    @ParameterizedTest
    @ValueSource(strings = {"design.md", "docs/design.md", "./notes/plan.txt", "a..b/c.md", "docs\\design.md"})
    void aFileOutputIsAPathInsideTheWorkingDirectory(String path) {
        assertThat(StepOutput.file(path).describe()).isEqualTo("file " + path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "../design.md", "docs/../../x", "\\\\server\\share", "C:\\x.md",
            "docs\\..\\..\\x"})
    void aFileOutputOutsideTheWorkingDirectoryIsRefused(String path) {
        assertThatThrownBy(() -> StepOutput.file(path))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a file output must be a relative path inside the working directory, was '" + path + "'");
    }

    @Test
    void onlyAFileOutputHasAPath() {
        assertThatThrownBy(() -> StepOutput.file(" ")).hasMessage("a file output needs a path, was ' '");
        assertThatThrownBy(() -> new StepOutput(StepOutput.Kind.TEXT, "x.md"))
                .hasMessage("only a file output has a path, was 'x.md' for text");
        assertThat(StepOutput.CHANGED_FILES.describe()).isEqualTo("changed-files");
    }

    @Test
    void aHandoffNamesAnAgentAndNothingElseDoes() {
        assertThat(OnFailure.handoff("codex").describe()).isEqualTo("hand off to codex");
        assertThatThrownBy(() -> OnFailure.handoff("")).hasMessage("a handoff names the agent to hand off to, was ''");
        assertThatThrownBy(() -> OnFailure.handoff("auto")).hasMessage("a handoff names an agent; 'auto' is not one");
        assertThatThrownBy(() -> new OnFailure(OnFailure.Action.STOP, "codex"))
                .hasMessage("only a handoff names an agent, was 'codex' for stop");
    }

    @Test
    void aLoopHasABound() {
        assertThat(new Loop("implement", Loop.Until.APPROVED, 3).describe())
                .isEqualTo("back to implement until approved, at most 3 times");
        assertThatThrownBy(() -> new Loop("implement", Loop.Until.APPROVED, 0))
                .hasMessage("max_iterations must be 1 or more, was 0");
        assertThatThrownBy(() -> new Loop("steps.implement", Loop.Until.APPROVED, 2))
                .hasMessage("back_to must name a step, was 'steps.implement'");
    }

    @Test
    void autoMeansTheRouterAndIsNoAgentName() {
        assertThatThrownBy(() -> StepAgent.named("auto"))
                .hasMessage("'auto' means the router chooses; it cannot name an agent");
        assertThatThrownBy(() -> StepAgent.named(" ")).hasMessage("an agent name must not be blank, was ' '");
        assertThatThrownBy(() -> new StepAgent.Auto(null, null, -0.5))
                .hasMessage("max_cost must be zero or more, was -0.5");
        assertThatThrownBy(() -> new StepAgent.Auto(null, null, Double.NaN))
                .hasMessage("max_cost must be zero or more, was NaN");
        assertThatThrownBy(() -> new StepAgent.Auto("", null, null)).hasMessage("a pool must not be blank, was ''");
        assertThat(new StepAgent.Auto("code", AgentSelector.strength("reasoning"), 2.5).describe())
                .isEqualTo("the router's choice, pool code, preferring agents strong in reasoning, at most $2.5");
        assertThat(StepAgent.named("codex").describe()).isEqualTo("agent codex");
    }

    @Test
    void idsAndNamesAreWordsWithoutDots() {
        assertThatThrownBy(() -> step("1st")).hasMessage(
                "a step id must start with a letter and hold only letters, digits, '_' and '-', was '1st'");
        assertThatThrownBy(() -> step("a.b")).hasMessage(
                "a step id must start with a letter and hold only letters, digits, '_' and '-', was 'a.b'");
        assertThatThrownBy(() -> WorkflowInput.required("my task")).hasMessage(
                "an input name must start with a letter and hold only letters, digits, '_' and '-', was 'my task'");
        assertThatThrownBy(() -> new Workflow("plan implement", "", List.of(), List.of(step("a")))).hasMessage(
                "a workflow name must start with a letter and hold only letters, digits, '_' and '-', was"
                        + " 'plan implement'");
    }

    @Test
    void aWorkflowHasStepsAndEachInputOnce() {
        assertThatThrownBy(() -> new Workflow("w", null, List.of(), List.of()))
                .hasMessage("workflow 'w' has no steps");
        assertThatThrownBy(() -> new Workflow("w", null,
                List.of(WorkflowInput.required("task"), new WorkflowInput("task", "x")), List.of(step("a"))))
                .hasMessage("input 'task' is declared twice");
        assertThat(new Workflow("w", null, List.of(), List.of(step("a"))).description()).isEmpty();
    }

    @Test
    void aRunGivesEveryRequiredInputAndNoUnknownOne() {
        Workflow workflow = new Workflow("w", "", List.of(WorkflowInput.required("task"),
                new WorkflowInput("style", "terse"), WorkflowInput.required("repo")), List.of(step("a")));

        assertThat(workflow.resolveInputs(Map.of("task", "t", "repo", "r")))
                .containsExactly(Map.entry("task", "t"), Map.entry("style", "terse"), Map.entry("repo", "r"));
        assertThat(workflow.resolveInputs(Map.of("task", "t", "repo", "r", "style", "long")))
                .containsEntry("style", "long");
        assertThatThrownBy(() -> workflow.resolveInputs(Map.of()))
                .hasMessage("workflow 'w' needs a value for inputs task, repo");
        assertThatThrownBy(() -> workflow.resolveInputs(Map.of("task", "t")))
                .hasMessage("workflow 'w' needs a value for input repo");
        assertThatThrownBy(() -> workflow.resolveInputs(Map.of("task", "t", "repo", "r", "tsak", "x")))
                .hasMessage("workflow 'w' has no input 'tsak' (inputs: task, style, repo)");
    }
}
