package io.switchboard.testkit;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.routing.Exclusion;
import io.switchboard.core.routing.ExclusionReason;
import io.switchboard.core.routing.Factor;
import io.switchboard.core.routing.FactorScore;
import io.switchboard.core.routing.Preset;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.routing.ScoredCandidate;
import io.switchboard.core.routing.Weights;
import io.switchboard.core.task.TaskTraits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds routing decisions for tests: {@code aDecision().forTask("T-1").choosing("codex").at(instant)}.
 * Every candidate gets a score for every factor (with distinct values and reasons), so a decision built here
 * exercises everything a decision log has to keep.
 */
public final class DecisionBuilder {
    private String taskId = "TASK-1";
    private int attempt = 1;
    private String pool;
    private boolean retried;
    private String policyName = Preset.BALANCED.configName();
    private Weights weights = Preset.BALANCED.weights();
    private TaskTraits traits = TaskBuilder.aTask().build().traits();
    private String workType;
    private String rule;
    private final List<ScoredCandidate> candidates = new ArrayList<>();
    private final List<Exclusion> exclusions = new ArrayList<>();
    private Mode mode = Mode.AUTO;
    private String reason;
    private double propensity = 1.0;
    private Long seed;
    private Instant decidedAt = MutableClock.EPOCH;

    private DecisionBuilder() {
    }

    public static DecisionBuilder aDecision() {
        return new DecisionBuilder();
    }

    public DecisionBuilder forTask(String id) {
        taskId = id;
        return this;
    }

    public DecisionBuilder attempt(int number) {
        attempt = number;
        return this;
    }

    public DecisionBuilder inPool(String value) {
        pool = value;
        return this;
    }

    public DecisionBuilder retried() {
        retried = true;
        return this;
    }

    /** The policy and its weights; set it before adding candidates, whose factors carry the weights. */
    public DecisionBuilder withPreset(Preset value) {
        return withPolicy(value.configName(), value.weights());
    }

    /** A named policy with its own weights; set it before adding candidates. */
    public DecisionBuilder withPolicy(String name, Weights points) {
        policyName = name;
        weights = points;
        return this;
    }

    public DecisionBuilder withTraits(TaskTraits value) {
        traits = value;
        return this;
    }

    /** The decision's work type; by default the traits' work type. */
    public DecisionBuilder ofWorkType(String value) {
        workType = value;
        return this;
    }

    public DecisionBuilder byRule(String description) {
        rule = description;
        return this;
    }

    /**
     * Adds a scored candidate with the id {@link AgentBuilder#idOf} gives its name. The first candidate added
     * is the choice; later ones score lower.
     */
    public DecisionBuilder choosing(String agent) {
        return candidate(agent, AgentBuilder.idOf(agent));
    }

    /** Adds a scored candidate with an explicit id (for example the id a store gave the agent). */
    public DecisionBuilder candidate(String agent, UUID agentId) {
        int rank = candidates.size();
        List<FactorScore> factors = new ArrayList<>();
        double total = 0;
        for (Factor factor : Factor.values()) {
            // Distinct, non-round values, so that a store that mixes factors up is caught.
            double value = ((factor.ordinal() * 7 + rank * 3) % 10) / 10.0 + 0.0123;
            factors.add(FactorScore.of(factor, value, weights.of(factor),
                    factor.configName() + " of " + agent + ": \"" + value + "\" — ünïcödé"));
            total += value * weights.of(factor);
        }
        candidates.add(new ScoredCandidate(agent, agentId, factors, total, rank, 0.01 * (rank + 1) + 1e-7));
        return this;
    }

    public DecisionBuilder excluding(String agent, ExclusionReason why, String detail) {
        exclusions.add(new Exclusion(agent, AgentBuilder.idOf(agent), why, detail));
        return this;
    }

    public DecisionBuilder inMode(Mode value) {
        mode = value;
        return this;
    }

    public DecisionBuilder because(String value) {
        reason = value;
        return this;
    }

    /** Thompson exploration: the pick's propensity and the sample's seed. */
    public DecisionBuilder explored(double pickPropensity, long sampleSeed) {
        propensity = pickPropensity;
        seed = sampleSeed;
        return this;
    }

    public DecisionBuilder at(Instant value) {
        decidedAt = value;
        return this;
    }

    public RoutingDecision build() {
        String because = reason != null ? reason
                : candidates.isEmpty() ? "No agent could take " + taskId + "."
                : "Chose " + candidates.getFirst().agent() + " for " + taskId + ".";
        return new RoutingDecision(taskId, attempt, workType == null ? traits.workType() : workType, pool, retried,
                policyName, weights, traits, rule, candidates, exclusions, mode, because,
                propensity, seed, decidedAt);
    }
}
