package io.switchboard.core.workflow;

import io.switchboard.core.task.TaskDraft;
import io.switchboard.core.task.TaskOptions;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One run of a workflow, as the store keeps it: the workflow as it was run (so a run resumes as it began even
 * when the file has changed since), the values of its inputs, the options its step tasks run with, and where it
 * stands.
 *
 * @param id {@code BASE-N}: the workflow's name, or the task a {@code --workflow} run carries, and a number
 * @param inputs every input's value, defaults included
 * @param options what every step's task runs with (working directory, cost, deadline, limits, exclusions); each
 *     step adds its own placement
 * @param origin the task this run carries through the workflow ({@code orchestrate --workflow}), whose pool,
 *     complexity, risk, tags, files and verify command its steps' tasks inherit; {@code null} for a run of a
 *     workflow file on its own
 * @param reason why it is in its state
 * @param orchestratorId the orchestrator that runs it now, or ran it last
 */
public record WorkflowRun(String id, Workflow workflow, Map<String, String> inputs, TaskOptions options,
        TaskDraft origin, WorkflowRunState state, String reason, String orchestratorId, Instant createdAt,
        Instant updatedAt) {

    public WorkflowRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workflow, "workflow");
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** What the run is about, for titles: the task it carries, else the workflow's name. */
    public String title() {
        return origin != null && !origin.title().isBlank() ? origin.title() : workflow.name();
    }

    /**
     * What a store is given to create a run; it picks the id.
     *
     * @param base the id's stem: the workflow's name, or the id of the task the run carries
     */
    public record New(String base, Workflow workflow, Map<String, String> inputs, TaskOptions options,
            TaskDraft origin, String orchestratorId) {
        public New {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(workflow, "workflow");
            inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
            Objects.requireNonNull(options, "options");
        }
    }
}
