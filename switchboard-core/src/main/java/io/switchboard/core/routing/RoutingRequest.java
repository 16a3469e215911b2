package io.switchboard.core.routing;

import io.switchboard.core.task.Task;
import java.util.Objects;
import java.util.Set;

/**
 * What to route and under which constraints.
 *
 * @param attempt the attempt number this decision is for (1 for a first try)
 * @param failedAgents agents that already failed this task; a retry never re-picks them unless the policy allows
 *     it when one is the only agent left
 * @param excludedAgents agents the user excluded
 * @param prefer the agent named by {@code --prefer}, or {@code null}
 * @param maxCost the most this task may cost in dollars, or {@code null}
 * @param remainingBudget dollars left in the budget, or {@code null} when unlimited
 * @param placement what else the task asks of the router (a workflow step's preference, pin or mode);
 *     {@link Placement#NONE} when nothing
 */
public record RoutingRequest(Task task, int attempt, Set<String> failedAgents, Set<String> excludedAgents,
        String prefer, Double maxCost, Double remainingBudget, Placement placement) {

    public RoutingRequest {
        Objects.requireNonNull(task, "task");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt numbers start at 1, was " + attempt);
        }
        failedAgents = failedAgents == null ? Set.of() : Set.copyOf(failedAgents);
        excludedAgents = excludedAgents == null ? Set.of() : Set.copyOf(excludedAgents);
        if (maxCost != null && !(maxCost >= 0)) {
            throw new IllegalArgumentException("max cost must be zero or more, was " + maxCost);
        }
        placement = placement == null ? Placement.NONE : placement;
    }

    /** A request that asks nothing beyond {@code --prefer}. */
    public RoutingRequest(Task task, int attempt, Set<String> failedAgents, Set<String> excludedAgents,
            String prefer, Double maxCost, Double remainingBudget) {
        this(task, attempt, failedAgents, excludedAgents, prefer, maxCost, remainingBudget, Placement.NONE);
    }

    /** A first attempt with no constraints. */
    public static RoutingRequest of(Task task) {
        return new RoutingRequest(task, 1, Set.of(), Set.of(), null, null, null);
    }

    public boolean retried() {
        return attempt > 1;
    }

    public RoutingRequest withPrefer(String agent) {
        return new RoutingRequest(task, attempt, failedAgents, excludedAgents, agent, maxCost, remainingBudget,
                placement);
    }

    public RoutingRequest withMaxCost(Double dollars) {
        return new RoutingRequest(task, attempt, failedAgents, excludedAgents, prefer, dollars, remainingBudget,
                placement);
    }

    public RoutingRequest withRemainingBudget(Double dollars) {
        return new RoutingRequest(task, attempt, failedAgents, excludedAgents, prefer, maxCost, dollars, placement);
    }

    public RoutingRequest withExcluded(Set<String> agents) {
        return new RoutingRequest(task, attempt, failedAgents, agents, prefer, maxCost, remainingBudget, placement);
    }

    public RoutingRequest withPlacement(Placement asked) {
        return new RoutingRequest(task, attempt, failedAgents, excludedAgents, prefer, maxCost, remainingBudget,
                asked);
    }

    /** The request for the next attempt, after {@code failedAgent} failed this one. */
    public RoutingRequest retryAfter(String failedAgent) {
        java.util.HashSet<String> failed = new java.util.HashSet<>(failedAgents);
        failed.add(failedAgent);
        return new RoutingRequest(task, attempt + 1, failed, excludedAgents, prefer, maxCost, remainingBudget,
                placement);
    }
}
