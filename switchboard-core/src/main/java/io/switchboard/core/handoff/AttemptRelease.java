package io.switchboard.core.handoff;

import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.port.AgentRunner;
import io.switchboard.core.port.TaskStore;
import io.switchboard.core.port.Waiter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Makes another orchestrator let go of an attempt it runs: the attempt's processes are stopped by its marker, and the
 * store is read until that orchestrator has recorded the attempt's end, or the time allowed is up.
 *
 * <p>The stop is repeated at every look, because the attempt may start more processes after the first stop (its
 * task's verification runs once the agent has ended). Only the orchestrator that runs the attempt records its end;
 * this never writes to the store.
 */
public final class AttemptRelease {
    /** How often the store is read while waiting. */
    public static final Duration DEFAULT_POLL = Duration.ofMillis(200);

    private final TaskStore tasks;
    private final AgentRunner runner;
    private final Waiter waiter;
    private final InstantSource clock;

    public AttemptRelease(TaskStore tasks, AgentRunner runner, Waiter waiter, InstantSource clock) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.waiter = Objects.requireNonNull(waiter, "waiter");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Stops the attempt's processes and waits until its end is recorded.
     *
     * @param attempt the attempt in flight; without a marker its processes cannot be found, and this only waits
     * @param timeout how long to wait at most, on the clock given
     * @param poll how long between looks
     * @return whether the attempt's end was recorded in time
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean stopAndAwait(AttemptRecord attempt, Duration timeout, Duration poll) throws InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        while (stillInFlight(attempt)) {
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                return false;
            }
            if (attempt.marker() != null && !attempt.marker().isEmpty()) {
                runner.sweep(attempt.marker());
            }
            Instant next = now.plus(poll);
            waiter.until(next.isBefore(deadline) ? next : deadline);
        }
        return true;
    }

    private boolean stillInFlight(AttemptRecord attempt) {
        String taskId = attempt.attempt().taskId();
        int number = attempt.attempt().number();
        return tasks.attemptRecords(taskId).stream()
                .anyMatch(record -> record.attempt().number() == number && record.attempt().state().inFlight());
    }
}
