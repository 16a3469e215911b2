package io.switchboard.core.task;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * How a task was asked to run, kept with it so that {@code resume} continues it the same way.
 *
 * @param workingDirectory where its agents run, as an absolute path
 * @param maxCost the most the task may cost in dollars, all attempts together, or {@code null}
 * @param deadline after this the task is not retried, or {@code null}
 * @param prefer the agent asked for with {@code --prefer}, or {@code null}
 * @param excluded agents excluded with {@code --exclude}
 * @param timeout a wall-clock limit for each attempt set for this task, or {@code null} for the agent's
 * @param idleTimeout an idle-output limit for each attempt set for this task, or {@code null} for the agent's
 * @param planRun the plan it was run in ({@code orchestrate --plan}), or {@code null} for a task run on its own
 *     or in a plan file's order
 */
public record TaskOptions(String workingDirectory, Double maxCost, Instant deadline, String prefer,
        Set<String> excluded, Duration timeout, Duration idleTimeout, PlanRun planRun) {

    public static final TaskOptions DEFAULTS = new TaskOptions(null, null, null, null, Set.of(), null, null, null);

    public TaskOptions {
        excluded = excluded == null ? Set.of() : Set.copyOf(excluded);
    }

    /** Options of a task that is not part of a plan run. */
    public TaskOptions(String workingDirectory, Double maxCost, Instant deadline, String prefer,
            Set<String> excluded, Duration timeout, Duration idleTimeout) {
        this(workingDirectory, maxCost, deadline, prefer, excluded, timeout, idleTimeout, null);
    }

    public TaskOptions withPlanRun(PlanRun value) {
        return new TaskOptions(workingDirectory, maxCost, deadline, prefer, excluded, timeout, idleTimeout, value);
    }
}
