package io.switchboard.core.workflow;

import java.util.Objects;

/**
 * One thing wrong with a workflow, as data, so that a reader can point at the line it came from.
 *
 * @param step the 0-based index of the step it concerns
 * @param stepId that step's id, as written
 * @param key the key of the step it concerns: {@code id}, {@code agent}, {@code prefer}, {@code depends_on[1]},
 *     {@code prompt}, {@code on_failure.handoff}, {@code loop} or {@code loop.back_to}
 * @param offset for {@code prompt}, where in the prompt's text the problem is; -1 otherwise
 * @param message what is wrong, quoting what was written
 */
public record WorkflowProblem(int step, String stepId, String key, int offset, String message) {

    public WorkflowProblem {
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
    }

    static WorkflowProblem at(int step, Step of, String key, String message) {
        return new WorkflowProblem(step, of.id(), key, -1, message);
    }

    /** The problem in one line: {@code step 'review' depends_on[0]: …}. */
    public String describe() {
        return "step '" + stepId + "' " + key + ": " + message;
    }
}
