package io.switchboard.input.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.routing.AgentSelector;
import io.switchboard.core.workflow.Loop;
import io.switchboard.core.workflow.OnFailure;
import io.switchboard.core.workflow.Step;
import io.switchboard.core.workflow.StepAgent;
import io.switchboard.core.workflow.StepOutput;
import io.switchboard.core.workflow.Template;
import io.switchboard.core.workflow.Workflow;
import io.switchboard.core.workflow.WorkflowInput;
import io.switchboard.core.workflow.Workflows;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkflowFilesTest {
    private static final Set<String> AGENTS = Set.of("claude-code", "codex", "gemini");

    @Test
    void readsEveryKey() {
        Workflow workflow = WorkflowFiles.parse("workflows/feature.yaml", """
                name: feature
                description: Design, build and document a feature.
                inputs:
                  task:
                  style: terse
                steps:
                  - id: design
                    agent: claude-code
                    mode: plan
                    output: {file: docs/design.md}
                    on_failure: {handoff: gemini}
                    prompt: |
                      Design this, {{ inputs.style }}: {{inputs.task}}
                      Keep {{{{braces}} as they are.
                  - id: build
                    agent: auto
                    pool: code
                    prefer: codex
                    max_cost: 2.5
                    mode: full-auto
                    depends_on: design
                    output: changed-files
                    on_failure: stop
                    prompt: "Build it: {{steps.design.output}}"
                  - id: check
                    agent: auto
                    prefer: {strength: reasoning}
                    depends_on: [build]
                    on_failure: retry
                    loop: {back_to: build, until: approved, max_iterations: 2}
                    prompt: Check {{steps.build.output}} against {{steps.design.output}}.
                  - id: docs
                    agent: auto
                    depends_on: [check]
                    prompt: Document {{inputs.task}}.
                """, AGENTS);

        assertThat(workflow).isEqualTo(new Workflow("feature", "Design, build and document a feature.",
                List.of(WorkflowInput.required("task"), new WorkflowInput("style", "terse")),
                List.of(
                        new Step("design", StepAgent.named("claude-code"), Mode.PLAN,
                                Template.parse("Design this, {{ inputs.style }}: {{inputs.task}}\n"
                                        + "Keep {{{{braces}} as they are.\n"),
                                StepOutput.file("docs/design.md"), List.of(), OnFailure.handoff("gemini"), null),
                        new Step("build", new StepAgent.Auto("code", AgentSelector.agent("codex"), 2.5), Mode.FULL_AUTO,
                                Template.parse("Build it: {{steps.design.output}}"), StepOutput.CHANGED_FILES,
                                List.of("design"), OnFailure.STOP, null),
                        new Step("check", new StepAgent.Auto(null, AgentSelector.strength("reasoning"), null), null,
                                Template.parse("Check {{steps.build.output}} against {{steps.design.output}}."),
                                StepOutput.TEXT, List.of("build"), OnFailure.RETRY,
                                new Loop("build", Loop.Until.APPROVED, 2)),
                        new Step("docs", StepAgent.AUTO, null, Template.parse("Document {{inputs.task}}."),
                                StepOutput.TEXT, List.of("check"), OnFailure.RETRY, null))));
        assertThat(workflow.graph().order()).containsExactly("design", "build", "check", "docs");
    }

    @Test
    void readsJsonToo() {
        Workflow workflow = WorkflowFiles.parse("workflows/one.json", """
                {"name": "one", "inputs": {"task": null},
                 "steps": [{"id": "only", "agent": "codex", "mode": "auto", "prompt": "{{inputs.task}}"}]}
                """, AGENTS);

        assertThat(workflow.steps()).extracting(Step::id).containsExactly("only");
        assertThat(workflow.steps().get(0).agent()).isEqualTo(StepAgent.named("codex"));
    }

    @Test
    void theExampleIsTheBuiltInWorkflowWrittenOut() {
        Workflow example = WorkflowFiles.read(
                java.nio.file.Path.of("..", "examples", "workflows", "plan-implement-review.yaml"),
                "examples/workflows/plan-implement-review.yaml", Set.of());

        assertThat(example).isEqualTo(Workflows.planImplementReview());
    }
}
