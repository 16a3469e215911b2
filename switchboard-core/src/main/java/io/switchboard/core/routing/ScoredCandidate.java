package io.switchboard.core.routing;

import java.util.List;
import java.util.UUID;

/**
 * A candidate that passed every hard filter, with its factor scores and total.
 *
 * @param factors one entry per {@link Factor}, in enum order
 * @param inFlight attempts it was running when the decision was made (the first tie-break)
 * @param estimatedCost dollars for this task at its price (the second tie-break)
 */
public record ScoredCandidate(String agent, UUID agentId, List<FactorScore> factors, double total, int inFlight,
        double estimatedCost) {

    public ScoredCandidate {
        factors = List.copyOf(factors);
    }

    public FactorScore factor(Factor factor) {
        for (FactorScore score : factors) {
            if (score.factor() == factor) {
                return score;
            }
        }
        throw new IllegalArgumentException("no score for " + factor);
    }
}
