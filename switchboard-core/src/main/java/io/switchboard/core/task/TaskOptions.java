package io.switchboard.core.task;

import io.switchboard.core.routing.Placement;
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
 * @param placement what else routing must respect (a workflow step's preference, pinned agent or mode);
 *     {@link Placement#NONE} when nothing
 * @param maxAttempts the most attempts the task may use, fewer than the retry policy allows (a workflow step
 *     that stops or hands off at its first failure has 1); {@code null} for the policy's
 * @param planRun the plan it was run in ({@code orchestrate --plan}), or {@code null} for a task run on its own,
 *     in a plan file's order or as a workflow step
 */
public record TaskOptions(String workingDirectory, Double maxCost, Instant deadline, String prefer,
        Set<String> excluded, Duration timeout, Duration idleTimeout, Placement placement, Integer maxAttempts,
        PlanRun planRun) {

    public static final TaskOptions DEFAULTS = new TaskOptions(null, null, null, null, Set.of(), null, null);

    public TaskOptions {
        excluded = excluded == null ? Set.of() : Set.copyOf(excluded);
        placement = placement == null ? Placement.NONE : placement;
        if (maxAttempts != null && maxAttempts < 1) {
            throw new IllegalArgumentException("a task needs at least 1 attempt, was " + maxAttempts);
        }
    }

    /**
     * The options a person gives on the command line: no placement beyond {@code --prefer} and {@code --exclude},
     * the retry policy's attempts, and no plan run.
     */
    public TaskOptions(String workingDirectory, Double maxCost, Instant deadline, String prefer,
            Set<String> excluded, Duration timeout, Duration idleTimeout) {
        this(workingDirectory, maxCost, deadline, prefer, excluded, timeout, idleTimeout, Placement.NONE, null, null);
    }

    public TaskOptions withPlacement(Placement asked) {
        return new TaskOptions(workingDirectory, maxCost, deadline, prefer, excluded, timeout, idleTimeout, asked,
                maxAttempts, planRun);
    }

    public TaskOptions withMaxAttempts(Integer most) {
        return new TaskOptions(workingDirectory, maxCost, deadline, prefer, excluded, timeout, idleTimeout,
                placement, most, planRun);
    }

    public TaskOptions withMaxCost(Double dollars) {
        return new TaskOptions(workingDirectory, dollars, deadline, prefer, excluded, timeout, idleTimeout,
                placement, maxAttempts, planRun);
    }

    public TaskOptions withPlanRun(PlanRun value) {
        return new TaskOptions(workingDirectory, maxCost, deadline, prefer, excluded, timeout, idleTimeout,
                placement, maxAttempts, value);
    }
}
