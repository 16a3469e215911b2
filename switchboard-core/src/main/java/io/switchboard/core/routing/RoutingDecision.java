package io.switchboard.core.routing;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.task.TaskTraits;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The result of scoring every candidate for a task, kept whole so that "why this agent?" can be answered
 * later: the policy and weights, every candidate with its factor scores, every excluded agent with its
 * reason, the choice, the mode, a readable reason and the propensity of the pick.
 *
 * @param pool the pool the task asked for, or {@code null} for any
 * @param traits the task's traits, with which rule set each
 * @param rule the rule that matched, described, or {@code null}
 * @param candidates the candidates that passed the hard filters, best first; the first is the choice
 * @param mode the mode the chosen agent runs in (the rule's or the policy's default)
 * @param reason one readable paragraph: the choice and its margin, or why there was none
 * @param propensity the probability that this agent would be picked under the policy (1 without exploration)
 * @param seed the seed the Thompson sample used, or {@code null} without exploration
 */
public record RoutingDecision(
        String taskId,
        int attempt,
        String workType,
        String pool,
        boolean retried,
        String policyName,
        Weights weights,
        TaskTraits traits,
        String rule,
        List<ScoredCandidate> candidates,
        List<Exclusion> exclusions,
        Mode mode,
        String reason,
        double propensity,
        Long seed,
        Instant decidedAt) {

    public RoutingDecision {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(workType, "workType");
        Objects.requireNonNull(policyName, "policyName");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(traits, "traits");
        candidates = List.copyOf(candidates);
        exclusions = List.copyOf(exclusions);
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(decidedAt, "decidedAt");
    }

    /** This decision with another reason (the same choice, explained further). */
    public RoutingDecision withReason(String value) {
        return new RoutingDecision(taskId, attempt, workType, pool, retried, policyName, weights, traits, rule,
                candidates, exclusions, mode, value, propensity, seed, decidedAt);
    }

    /** The chosen candidate, or empty when no agent could take the task. */
    public Optional<ScoredCandidate> chosen() {
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.getFirst());
    }

    public Optional<String> chosenAgent() {
        return chosen().map(ScoredCandidate::agent);
    }

    public Optional<UUID> chosenAgentId() {
        return chosen().map(ScoredCandidate::agentId);
    }

    public double score() {
        return chosen().map(ScoredCandidate::total).orElse(0.0);
    }

    /** The chosen agent's success-rate factor as a percentage (0 when none was chosen). */
    public double successRatePercent() {
        return chosen().map(c -> c.factor(Factor.SUCCESS_RATE).value() * 100).orElse(0.0);
    }

    public boolean specializationMatch() {
        return chosen().map(c -> c.factor(Factor.SPECIALIZATION).value() > 0).orElse(false);
    }

    public boolean recentContextMatch() {
        return chosen().map(c -> c.factor(Factor.RECENT_CONTEXT).value() > 0).orElse(false);
    }
}
