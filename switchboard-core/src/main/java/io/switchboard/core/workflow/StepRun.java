package io.switchboard.core.workflow;

import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskOptions;
import java.time.Instant;
import java.util.Objects;

/**
 * One iteration of one step of a workflow run: the task it became, and once committed its output. A step runs
 * once per iteration; a loop that sends work back runs its steps again as new iterations.
 *
 * @param iteration 1 for the first time the step runs in the run, 2 for the second, …
 * @param taskId the task that runs it now: its own, or after a handoff the handoff's
 * @param handedOffFrom the task it had before a handoff, or {@code null}
 * @param reason why it is in its state
 * @param output what {@code {{steps.ID.output}}} stands for, once committed; {@code null} before
 * @param snapshot for a step that outputs the files it changed, what the working directory held when it started
 *     (opaque, from {@link io.switchboard.core.port.WorkingTree#snapshot}); {@code null} otherwise
 * @param position the order the run's step iterations started in, from 1
 * @param finishOrder the order they finished in, from 1; {@code null} while running
 */
public record StepRun(String runId, String stepId, int iteration, String taskId, String handedOffFrom,
        StepRunState state, String reason, String output, String snapshot, int position, Integer finishOrder,
        Instant startedAt, Instant finishedAt) {

    public StepRun {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(stepId, "stepId");
        if (iteration < 1) {
            throw new IllegalArgumentException("iterations start at 1, was " + iteration);
        }
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /**
     * What a store is given to start a step iteration: the row and its task, written together.
     *
     * @param task the step's task, as the dispatcher will run it
     * @param options what the task runs with
     * @param snapshot see {@link StepRun#snapshot()}
     */
    public record Start(String runId, String stepId, int iteration, Task task, TaskOptions options,
            String snapshot) {
        public Start {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(stepId, "stepId");
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(options, "options");
        }
    }
}
