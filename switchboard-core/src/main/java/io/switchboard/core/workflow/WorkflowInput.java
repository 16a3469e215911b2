package io.switchboard.core.workflow;

import static io.switchboard.core.Require.require;

/**
 * A value a workflow is run with, named in prompts as {@code {{inputs.NAME}}}.
 *
 * @param name as placeholders name it
 * @param defaultValue the value when the run gives none; {@code null} when the run must give one
 */
public record WorkflowInput(String name, String defaultValue) {

    public WorkflowInput {
        require(name != null && Workflow.NAME.matcher(name).matches(),
                "an input name must start with a letter and hold only letters, digits, '_' and '-', was '%s'", name);
    }

    public static WorkflowInput required(String name) {
        return new WorkflowInput(name, null);
    }

    public boolean isRequired() {
        return defaultValue == null;
    }
}
