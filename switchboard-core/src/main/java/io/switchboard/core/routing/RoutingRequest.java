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
 * @param handedOff the agent a person handed the task to, the only one it may go to; {@code null} for any
 */
public record RoutingRequest(Task task, int attempt, Set<String> failedAgents, Set<String> excludedAgents,
        String prefer, Double maxCost, Double remainingBudget, HandedOff handedOff) {

    /**
     * A task a person handed to one agent ({@code switchboard handoff}): no other agent may take it, and the agent's
     * failures at the task before the handoff do not keep it out.
     *
     * @param fromAttempt the first attempt of the handoff; the agent's failures from it on count as usual
     */
    public record HandedOff(String agent, int fromAttempt) {
        public HandedOff {
            Objects.requireNonNull(agent, "agent");
        }
    }

    /** A request for a task no one handed off. */
    public RoutingRequest(Task task, int attempt, Set<String> failedAgents, Set<String> excludedAgents, String prefer,
            Double maxCost, Double remainingBudget) {
        this(task, attempt, failedAgents, excludedAgents, prefer, maxCost, remainingBudget, null);
    }

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
                handedOff);
    }

    public RoutingRequest withMaxCost(Double dollars) {
        return new RoutingRequest(task, attempt, failedAgents, excludedAgents, prefer, dollars, remainingBudget,
                handedOff);
    }

    public RoutingRequest withRemainingBudget(Double dollars) {
        return new RoutingRequest(task, attempt, failedAgents, excludedAgents, prefer, maxCost, dollars, handedOff);
    }

    public RoutingRequest withHandedOff(HandedOff to) {
        return new RoutingRequest(task, attempt, failedAgents, excludedAgents, prefer, maxCost, remainingBudget, to);
    }

    public RoutingRequest withExcluded(Set<String> agents) {
        return new RoutingRequest(task, attempt, failedAgents, agents, prefer, maxCost, remainingBudget, handedOff);
    }

    /** The request for the next attempt, after {@code failedAgent} failed this one. */
    public RoutingRequest retryAfter(String failedAgent) {
        java.util.HashSet<String> failed = new java.util.HashSet<>(failedAgents);
        failed.add(failedAgent);
        return new RoutingRequest(task, attempt + 1, failed, excludedAgents, prefer, maxCost, remainingBudget,
                handedOff);
    }
}
