package io.switchboard.process.internal;

import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.execution.RunningAgent;

/** A run that ended before it started: its result is known at once and there is nothing to stop. */
public record FinishedRun(RunResult result) implements RunningAgent {

    @Override
    public RunResult await() {
        return result;
    }

    @Override
    public void stop(FailureType reason) {
        // Nothing runs.
    }

    @Override
    public long pid() {
        return -1;
    }
}
