package io.switchboard.core.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A candidate that passed every hard filter, with its factor scores and total.
 *
 * <p>An immutable value. The router keeps the nine factor values in an array and renders each factor's
 * reason only when {@link #factors()} is read, because a decision over thousands of candidates is made far
 * more often than every reason is printed; a candidate read back from the decision log carries its stored
 * reasons instead.
 */
public final class ScoredCandidate {
    private static final Factor[] FACTORS = Factor.values();

    private final String agent;
    private final UUID agentId;
    private final double[] values;
    private final double[] weights;
    private final double total;
    private final int inFlight;
    private final double estimatedCost;
    private final Reasons reasons;
    private volatile List<FactorScore> factors;

    /** Renders the reason for one factor of this candidate, on demand. */
    interface Reasons {
        String reason(Factor factor, double value);
    }

    /**
     * A candidate with its factors spelled out (as read back from the log).
     *
     * @param factors one entry per {@link Factor}, in enum order
     * @param inFlight attempts it was running when the decision was made (the first tie-break)
     * @param estimatedCost dollars for this task at its price (the second tie-break)
     */
    public ScoredCandidate(String agent, UUID agentId, List<FactorScore> factors, double total, int inFlight,
            double estimatedCost) {
        this.agent = Objects.requireNonNull(agent, "agent");
        this.agentId = agentId;
        if (factors.size() != FACTORS.length) {
            throw new IllegalArgumentException("expected " + FACTORS.length + " factors, got " + factors.size());
        }
        this.values = new double[FACTORS.length];
        this.weights = new double[FACTORS.length];
        for (int i = 0; i < FACTORS.length; i++) {
            FactorScore score = factors.get(i);
            if (score.factor() != FACTORS[i]) {
                throw new IllegalArgumentException("factor " + i + " must be " + FACTORS[i] + ", was " + score.factor());
            }
            values[i] = score.value();
            weights[i] = score.weight();
        }
        this.total = total;
        this.inFlight = inFlight;
        this.estimatedCost = estimatedCost;
        this.reasons = null;
        this.factors = List.copyOf(factors);
    }

    /** The router's constructor: values and weights by factor ordinal, reasons rendered lazily. */
    ScoredCandidate(String agent, UUID agentId, double[] values, double[] weights, double total, int inFlight,
            double estimatedCost, Reasons reasons) {
        this.agent = agent;
        this.agentId = agentId;
        this.values = values;
        this.weights = weights;
        this.total = total;
        this.inFlight = inFlight;
        this.estimatedCost = estimatedCost;
        this.reasons = reasons;
    }

    public String agent() {
        return agent;
    }

    public UUID agentId() {
        return agentId;
    }

    public double total() {
        return total;
    }

    public int inFlight() {
        return inFlight;
    }

    public double estimatedCost() {
        return estimatedCost;
    }

    /** The value in [0, 1] of one factor. */
    public double value(Factor factor) {
        return values[factor.ordinal()];
    }

    /** value × weight of one factor. */
    public double points(Factor factor) {
        return values[factor.ordinal()] * weights[factor.ordinal()];
    }

    /** Every factor, in enum order, with its reason. */
    public List<FactorScore> factors() {
        List<FactorScore> result = factors;
        if (result == null) {
            List<FactorScore> built = new ArrayList<>(FACTORS.length);
            for (Factor factor : FACTORS) {
                built.add(factor(factor));
            }
            result = List.copyOf(built);
            factors = result;
        }
        return result;
    }

    public FactorScore factor(Factor factor) {
        List<FactorScore> known = factors;
        if (known != null) {
            return known.get(factor.ordinal());
        }
        double value = values[factor.ordinal()];
        return new FactorScore(factor, value, weights[factor.ordinal()], () -> reasons.reason(factor, value));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScoredCandidate that
                && agent.equals(that.agent)
                && Objects.equals(agentId, that.agentId)
                && Double.compare(total, that.total) == 0
                && inFlight == that.inFlight
                && Double.compare(estimatedCost, that.estimatedCost) == 0
                && factors().equals(that.factors());
    }

    @Override
    public int hashCode() {
        return Objects.hash(agent, agentId, total, inFlight, estimatedCost, Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "ScoredCandidate[" + agent + ", total " + total + ", " + factors() + "]";
    }
}
