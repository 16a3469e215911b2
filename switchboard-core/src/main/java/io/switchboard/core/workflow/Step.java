package io.switchboard.core.workflow;

import static io.switchboard.core.Require.require;

import io.switchboard.core.agent.Mode;
import java.util.List;
import java.util.Objects;

/**
 * One step of a workflow: a task for an agent, or for the router to place.
 *
 * <p>Each field is checked here on its own. The rules between fields and between steps (ids unique,
 * dependencies that exist and do not go round in a circle, placeholders that name something the step can see,
 * loops that go back to an earlier step) are the workflow's: {@link WorkflowGraph#problems} names each with the
 * step and key it concerns.
 *
 * @param id unique within the workflow; what other steps depend on and placeholders name
 * @param agent who runs it
 * @param mode how far the agent may act on its own; {@code null} leaves it to the router (rules, then the policy's
 *     default mode)
 * @param prompt the task, with placeholders for the workflow's inputs and earlier steps' outputs
 * @param output what the step produces for later steps
 * @param dependsOn the ids of the steps that must finish before it starts, as written
 * @param onFailure what follows when it fails
 * @param loop when it may send the work back to an earlier step; {@code null} for never
 */
public record Step(String id, StepAgent agent, Mode mode, Template prompt, StepOutput output, List<String> dependsOn,
        OnFailure onFailure, Loop loop) {

    public Step {
        require(id != null && Workflow.NAME.matcher(id).matches(),
                "a step id must start with a letter and hold only letters, digits, '_' and '-', was '%s'", id);
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(output, "output");
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        Objects.requireNonNull(onFailure, "onFailure");
    }
}
