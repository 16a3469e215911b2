package io.switchboard.core.port;

import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.RunningAgent;
import io.switchboard.core.execution.VerifyRequest;

/**
 * Runs agents. The local implementation supervises subprocesses; a remote one will send the work to a worker.
 *
 * <p>Contract: {@code start} never throws for anything the run itself causes (a missing binary, a prompt with
 * a NUL byte, a working directory that is gone): those end the returned run with a
 * {@link io.switchboard.core.execution.FailureInfo}.
 */
public interface AgentRunner {

    RunningAgent start(RunRequest request, RunObserver observer);

    /** Starts a task's verification command. */
    RunningAgent verify(VerifyRequest request);

    /**
     * Stops every process still carrying a marker that starts with {@code markerPrefix}: what escaped its
     * process group, or outlived an orchestrator that was killed.
     *
     * @return how many processes were stopped
     */
    int sweep(String markerPrefix);
}
