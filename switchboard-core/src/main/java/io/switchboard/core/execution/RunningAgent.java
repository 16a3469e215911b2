package io.switchboard.core.execution;

/**
 * A run in progress. {@link #await()} may be called from one thread while {@link #stop} is called from
 * another (a shutdown hook, a budget watcher).
 */
public interface RunningAgent {

    /**
     * Blocks until the run has ended and everything it started is gone or disowned, then says how it ended.
     * Calling it again returns the same result.
     *
     * @throws InterruptedException when the waiting thread is interrupted; the run goes on (call {@link #stop})
     */
    RunResult await() throws InterruptedException;

    /**
     * Asks the run to end: TERM to its process group, a grace period, then KILL. Returns at once. The result
     * then reports {@code reason} (for example {@link FailureType#CANCELLED}) unless the run had already ended.
     */
    void stop(FailureType reason);

    /** The operating system's id of the agent's process, or -1 when it did not start. */
    long pid();
}
