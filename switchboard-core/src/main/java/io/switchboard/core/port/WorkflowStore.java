package io.switchboard.core.port;

import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.workflow.StepRun;
import io.switchboard.core.workflow.StepRunState;
import io.switchboard.core.workflow.WorkflowRun;
import io.switchboard.core.workflow.WorkflowRunState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Workflow runs and their step iterations, so that a run can be continued from the store alone: the workflow as
 * run, its inputs, and per step iteration its task, state and committed output.
 *
 * <p>A step's task is written in the same transaction as its row ({@link #startStep}, {@link #handOffStep}), so
 * that every task a run created belongs to one of its steps, and {@code resume} can tell a step's task from a task
 * of its own ({@link #stepOfTask}). A step's output is committed with its state ({@link #finishStep}); a step
 * iteration whose output is committed is never run again.
 */
public interface WorkflowStore {

    /**
     * Creates a run, {@link WorkflowRunState#RUNNING}, with the id {@code BASE-N}: N one more than the highest
     * number of the runs with that base (1 for the first).
     */
    WorkflowRun createRun(WorkflowRun.New run, Instant now);

    Optional<WorkflowRun> workflowRun(String runId);

    /** The run with this base and the highest number, or empty when there is none. */
    Optional<WorkflowRun> latestRun(String base);

    /** The ids of the runs not ended, oldest first (ties by id). */
    List<String> unfinishedRuns();

    /** Records that an orchestrator runs the run now. @return whether the run exists and is running */
    boolean claimRun(String runId, String orchestratorId, Instant now);

    /**
     * Ends a running run.
     *
     * @param state {@link WorkflowRunState#SUCCEEDED} or {@link WorkflowRunState#FAILED}
     * @return whether it was running and now ended
     */
    boolean finishRun(String runId, WorkflowRunState state, String reason, Instant now);

    /**
     * Starts a step iteration: submits its task (as {@link TaskStore#submit} does, not again) and adds its row,
     * {@link StepRunState#RUNNING}, numbered after the run's other rows, in one transaction. When the row exists
     * already, nothing is written and it is returned as it is.
     *
     * @throws IllegalArgumentException when the run does not exist or has ended
     */
    StepRun startStep(StepRun.Start start, Instant now);

    /**
     * Hands a running step iteration to another task: submits it and points the row at it, keeping the task it
     * had as {@link StepRun#handedOffFrom()}, in one transaction.
     *
     * @return whether the row was running and had not been handed off yet
     */
    boolean handOffStep(String runId, String stepId, int iteration, Task task, TaskOptions options, Instant now);

    /**
     * Commits how a running step iteration ended, with its output, numbered after the run's other finished rows.
     *
     * @param state {@link StepRunState#SUCCEEDED} or {@link StepRunState#FAILED}
     * @param output its output; {@code null} for a failure
     * @return whether the row was running and now ended
     */
    boolean finishStep(String runId, String stepId, int iteration, StepRunState state, String reason,
            String output, Instant now);

    /** The run's step iterations, in the order they started. */
    List<StepRun> steps(String runId);

    /** The step iteration a task runs, or ran before it was handed off; empty for a task of no workflow. */
    Optional<StepRun> stepOfTask(String taskId);
}
