package io.switchboard.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.routing.AgentSelector;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkflowsTest {
    private final Workflow workflow = Workflows.planImplementReview();

    @Test
    void planImplementReviewPlansReasonsImplementsFastAndReviewsInPlanMode() {
        assertThat(workflow.name()).isEqualTo("plan-implement-review");
        assertThat(workflow.inputs()).containsExactly(WorkflowInput.required("task"));
        assertThat(workflow.steps()).extracting(Step::id).containsExactly("plan", "implement", "review");

        Step plan = workflow.step("plan").orElseThrow();
        assertThat(plan.agent()).isEqualTo(new StepAgent.Auto(null, AgentSelector.strength("reasoning"), null));
        assertThat(plan.mode()).isEqualTo(Mode.PLAN);
        assertThat(plan.output()).isEqualTo(StepOutput.TEXT);
        assertThat(plan.dependsOn()).isEmpty();
        assertThat(plan.loop()).isNull();

        Step implement = workflow.step("implement").orElseThrow();
        assertThat(implement.agent()).isEqualTo(new StepAgent.Auto(null, AgentSelector.strength("speed"), null));
        assertThat(implement.mode()).isEqualTo(Mode.AUTO);
        assertThat(implement.output()).isEqualTo(StepOutput.CHANGED_FILES);
        assertThat(implement.dependsOn()).containsExactly("plan");
        assertThat(implement.prompt().stepOutputs()).containsExactly("plan", "review");

        Step review = workflow.step("review").orElseThrow();
        assertThat(review.agent()).isEqualTo(plan.agent());
        assertThat(review.mode()).isEqualTo(Mode.PLAN);
        assertThat(review.dependsOn()).containsExactly("implement");
        assertThat(review.loop()).isEqualTo(new Loop("implement", Loop.Until.APPROVED, 3));
        assertThat(review.prompt().text()).contains(Verdict.APPROVED_LINE, Verdict.CHANGES_REQUESTED_LINE);

        assertThat(workflow.steps()).allSatisfy(step -> assertThat(step.onFailure()).isEqualTo(OnFailure.RETRY));
        assertThat(workflow.agentProblems(Set.of())).isEmpty();
    }

    @Test
    void itRunsPlanThenImplementThenReviewAndLoopsOverImplementAndReview() {
        WorkflowGraph graph = workflow.graph();

        assertThat(graph.order()).containsExactly("plan", "implement", "review");
        assertThat(graph.ready(Set.of())).extracting(Step::id).containsExactly("plan");
        assertThat(graph.loopBody("review")).containsExactly("implement", "review");
    }

    @Test
    void theImplementerSeesThePlanAndTheReviewOfItsLastAttempt() {
        Step implement = workflow.step("implement").orElseThrow();
        Map<String, String> inputs = workflow.resolveInputs(Map.of("task", "Add a rate limiter."));

        String first = implement.prompt().render(inputs, Map.of("plan", "1. Add it.", "review", ""));
        String second = implement.prompt().render(inputs,
                Map.of("plan", "1. Add it.", "review", "Test the burst.\nVERDICT: CHANGES_REQUESTED"));

        assertThat(first).contains("Add a rate limiter.", "1. Add it.").endsWith("raises:\n\n");
        assertThat(second).endsWith("raises:\nTest the burst.\nVERDICT: CHANGES_REQUESTED\n");
    }

    @Test
    void builtInWorkflowsAreFoundByName() {
        assertThat(Workflows.builtInNames()).containsExactly("plan-implement-review");
        assertThat(Workflows.builtIn("plan-implement-review")).contains(workflow);
        assertThat(Workflows.builtIn("plan-review")).isEmpty();
        assertThat(workflow).isEqualTo(Workflows.planImplementReview());
        assertThat(List.copyOf(workflow.steps())).isEqualTo(workflow.steps());
    }
}
