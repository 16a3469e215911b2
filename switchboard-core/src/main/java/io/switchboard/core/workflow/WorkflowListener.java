package io.switchboard.core.workflow;

/**
 * Hears what a workflow run does, step by step; the tasks its steps become are heard through the dispatcher's
 * {@link io.switchboard.core.execution.SwitchboardListener}. Called from the thread that coordinates the run,
 * one event at a time, after the event is stored. Implementations must be quick and must not throw.
 */
public interface WorkflowListener {

    /** Hears nothing. */
    WorkflowListener NONE = new WorkflowListener() {
    };

    /** A step iteration's task was created, or is continued (after {@code resume}). */
    default void stepStarted(String runId, StepRun step, boolean continued) {
    }

    /** A step iteration's result was committed: succeeded with its output, or failed. */
    default void stepFinished(String runId, StepRun step) {
    }

    /**
     * A loop's closing step did not approve: its loop runs again.
     *
     * @param nextIteration the iteration of {@code backTo} that follows
     */
    default void sentBack(String runId, String closingStep, Verdict verdict, String backTo, int nextIteration,
            int maxIterations) {
    }

    /** A failed step was handed to another agent. */
    default void handedOff(String runId, StepRun step, String toAgent, String why) {
    }

    /** A step's task ended because its orchestrator died; it runs again as a new attempt. */
    default void retriedAfterAbandon(String runId, StepRun step) {
    }

    /** The run ended. */
    default void runFinished(String runId, WorkflowRunState state, String reason) {
    }
}
