package io.switchboard.core.execution;

/**
 * Hears about a run while it goes on. Called from the runner's own threads, never concurrently for one run;
 * implementations must be quick and must not throw.
 */
public interface RunObserver {
    RunObserver NONE = new RunObserver() {
    };

    /** The agent reported its usage so far (agents that stream usage do so while they run). */
    default void usage(Usage soFar) {
    }
}
