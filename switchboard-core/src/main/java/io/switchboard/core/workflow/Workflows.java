package io.switchboard.core.workflow;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.routing.AgentSelector;
import java.util.List;
import java.util.Optional;

/**
 * The workflows Switchboard knows without a file. Each is also written out under {@code examples/workflows/},
 * and a test keeps the two equal.
 */
public final class Workflows {
    /** The name {@code --workflow} takes for {@link #planImplementReview()}. */
    public static final String PLAN_IMPLEMENT_REVIEW = "plan-implement-review";

    /** How many times at most the built-in review sends the work back to implementation, the first time included. */
    public static final int REVIEW_ROUNDS = 3;

    private static final String PLAN_PROMPT = """
            Plan how to carry out the task below. Change no files: read what you need, then answer with the plan:
            the files to change and what to change in each, in order, and how to test the result.

            Task:
            {{inputs.task}}
            """;

    private static final String IMPLEMENT_PROMPT = """
            Carry out the task below, following the plan. Build the code and run its tests before you finish.

            Task:
            {{inputs.task}}

            Plan:
            {{steps.plan.output}}

            If a review of an earlier attempt follows, address every point it raises:
            {{steps.review.output}}
            """;

    private static final String REVIEW_PROMPT = """
            Review the changes made for the task below, against the task and the plan. Change no files.
            Check that they are correct, that they are tested, and that they do all the plan promised.

            Task:
            {{inputs.task}}

            Plan:
            {{steps.plan.output}}

            Files changed:
            {{steps.implement.output}}

            Say what must change, if anything. If the changes can be merged as they are, end your answer with the line
            VERDICT: APPROVED
            and otherwise with the line
            VERDICT: CHANGES_REQUESTED
            """;

    private Workflows() {
    }

    /**
     * {@code plan-implement-review}: the agent strongest at reasoning plans in plan mode; the fastest iterating
     * agent implements the plan in auto mode; the reasoning agent reviews in plan mode and sends the work back to
     * implementation until it approves, {@value #REVIEW_ROUNDS} times at most. Its one input is {@code task}.
     */
    public static Workflow planImplementReview() {
        AgentSelector reasoning = AgentSelector.strength("reasoning");
        AgentSelector speed = AgentSelector.strength("speed");
        return new Workflow(PLAN_IMPLEMENT_REVIEW,
                "Plan with the reasoning agent, implement with the fast iterating one, review until approved.",
                List.of(WorkflowInput.required("task")),
                List.of(
                        new Step("plan", new StepAgent.Auto(null, reasoning, null), Mode.PLAN,
                                Template.parse(PLAN_PROMPT), StepOutput.TEXT, List.of(), OnFailure.RETRY, null),
                        new Step("implement", new StepAgent.Auto(null, speed, null), Mode.AUTO,
                                Template.parse(IMPLEMENT_PROMPT), StepOutput.CHANGED_FILES, List.of("plan"),
                                OnFailure.RETRY, null),
                        new Step("review", new StepAgent.Auto(null, reasoning, null), Mode.PLAN,
                                Template.parse(REVIEW_PROMPT), StepOutput.TEXT, List.of("implement"), OnFailure.RETRY,
                                new Loop("implement", Loop.Until.APPROVED, REVIEW_ROUNDS))));
    }

    /** The built-in workflow of that name. */
    public static Optional<Workflow> builtIn(String name) {
        return PLAN_IMPLEMENT_REVIEW.equals(name) ? Optional.of(planImplementReview()) : Optional.empty();
    }

    /** The names of the built-in workflows. */
    public static List<String> builtInNames() {
        return List.of(PLAN_IMPLEMENT_REVIEW);
    }
}
