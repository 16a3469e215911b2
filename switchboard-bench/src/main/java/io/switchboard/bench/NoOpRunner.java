package io.switchboard.bench;

import io.switchboard.core.execution.CapturedOutput;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.execution.RunningAgent;
import io.switchboard.core.execution.Usage;
import io.switchboard.core.execution.VerifyRequest;
import io.switchboard.core.port.AgentRunner;
import java.time.Duration;

/**
 * An agent runner that runs nothing: every run has already succeeded when {@code start} returns. What is left
 * to measure is the dispatcher and the store.
 */
final class NoOpRunner implements AgentRunner {
    private static final RunResult SUCCEEDED = new RunResult(null, 0, Duration.ZERO, Usage.NONE, null, "", "",
            CapturedOutput.EMPTY, CapturedOutput.EMPTY);
    /** A run that has already succeeded, with no output. */
    static final RunningAgent FINISHED = new RunningAgent() {
        @Override
        public RunResult await() {
            return SUCCEEDED;
        }

        @Override
        public void stop(FailureType reason) {
        }

        @Override
        public long pid() {
            return -1;
        }
    };

    @Override
    public RunningAgent start(RunRequest request, RunObserver observer) {
        return FINISHED;
    }

    @Override
    public RunningAgent verify(VerifyRequest request) {
        return FINISHED;
    }

    @Override
    public int sweep(String markerPrefix) {
        return 0;
    }
}
