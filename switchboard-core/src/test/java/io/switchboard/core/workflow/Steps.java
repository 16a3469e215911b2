package io.switchboard.core.workflow;

import java.util.List;

/** Steps for tests that say only what matters: an id, a prompt, dependencies, and sometimes a loop or agent. */
final class Steps {
    private Steps() {
    }

    static Step step(String id, String... dependsOn) {
        return prompted(id, "Do " + id + ".", dependsOn);
    }

    static Step prompted(String id, String prompt, String... dependsOn) {
        return new Step(id, StepAgent.AUTO, null, Template.parse(prompt), StepOutput.TEXT, List.of(dependsOn),
                OnFailure.RETRY, null);
    }

    /** A step that loops back to {@code backTo} until approved, at most three times. */
    static Step looping(String id, String backTo, String... dependsOn) {
        return new Step(id, StepAgent.AUTO, null, Template.parse("Review " + id + "."), StepOutput.TEXT,
                List.of(dependsOn), OnFailure.RETRY, new Loop(backTo, Loop.Until.APPROVED, 3));
    }

    /** A step that loops back to {@code backTo}, with its own prompt. */
    static Step loopingWithPrompt(String id, String backTo, String prompt, String... dependsOn) {
        return new Step(id, StepAgent.AUTO, null, Template.parse(prompt), StepOutput.TEXT, List.of(dependsOn),
                OnFailure.RETRY, new Loop(backTo, Loop.Until.APPROVED, 3));
    }

    static Step onAgent(String id, String agent, OnFailure onFailure) {
        return new Step(id, StepAgent.named(agent), null, Template.parse("Do " + id + "."), StepOutput.TEXT, List.of(),
                onFailure, null);
    }

    static Workflow workflow(Step... steps) {
        return new Workflow("test", "", List.of(WorkflowInput.required("task")), List.of(steps));
    }
}
