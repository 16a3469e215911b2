package io.switchboard.core.routing;

import static io.switchboard.core.Require.require;

import io.switchboard.core.agent.Availability;
import io.switchboard.core.agent.Mode;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the router weighs candidates. An immutable value; the compact constructor rejects impossible
 * settings and quotes them.
 *
 * @param presetName the preset the weights came from (recorded in every decision)
 * @param weights points per factor, after config overrides
 * @param minSamples below this many outcomes on a work type, the plain success rate is taken as 0.5
 * @param bayesianPrior when on, the success factor is the posterior mean of a Beta prior seeded from the
 *     profile, updated with half-life–weighted outcomes, instead of the plain rate with {@code minSamples}
 * @param priorStrength how many pseudo-outcomes the prior is worth
 * @param halfLife past outcomes lose half their weight every this long (Bayesian mode only)
 * @param recentWindow how far back a success at the same work type counts as recent context
 * @param exploration {@link Exploration#NONE} or Thompson sampling
 * @param seed the seed for Thompson sampling, so a decision can be replayed
 * @param availabilityScores the availability factor's value per availability
 * @param heartbeatTimeout an agent with a heartbeat older than this is excluded as stale
 * @param retrySameAgentWhenAlone whether a retry may re-pick an agent that failed the task when it is the only
 *     one left
 * @param defaultMode the mode when no rule sets one
 */
public record RoutingPolicy(
        String presetName,
        Weights weights,
        int minSamples,
        boolean bayesianPrior,
        double priorStrength,
        Duration halfLife,
        Duration recentWindow,
        Exploration exploration,
        long seed,
        Map<Availability, Double> availabilityScores,
        Duration heartbeatTimeout,
        boolean retrySameAgentWhenAlone,
        Mode defaultMode) {

    public static final int DEFAULT_MIN_SAMPLES = 10;
    public static final double DEFAULT_PRIOR_STRENGTH = 4.0;
    public static final Duration DEFAULT_HALF_LIFE = Duration.ofDays(14);
    public static final Duration DEFAULT_RECENT_WINDOW = Duration.ofHours(4);
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);
    public static final Map<Availability, Double> DEFAULT_AVAILABILITY_SCORES =
            Map.of(Availability.LOCAL, 1.0, Availability.REMOTE, 0.8, Availability.OPTIONAL, 0.5);

    public RoutingPolicy {
        require(presetName != null && !presetName.isBlank(), "preset name must not be blank, was %s", presetName);
        Objects.requireNonNull(weights, "weights");
        require(weights.total() > 0, "weights must not all be zero, were %s", weights.points());
        require(minSamples >= 0, "min_samples must be zero or more, was %s", minSamples);
        require(Double.isFinite(priorStrength) && priorStrength > 0, "prior strength must be more than zero, was %s",
                priorStrength);
        require(halfLife != null && !halfLife.isNegative() && !halfLife.isZero(),
                "half_life must be more than zero, was %s", halfLife);
        require(recentWindow != null && !recentWindow.isNegative(), "recent_window must not be negative, was %s",
                recentWindow);
        Objects.requireNonNull(exploration, "exploration");
        EnumMap<Availability, Double> scores = new EnumMap<>(DEFAULT_AVAILABILITY_SCORES);
        if (availabilityScores != null) {
            scores.putAll(availabilityScores);
        }
        scores.forEach((availability, score) -> require(score >= 0 && score <= 1,
                "availability score of %s must be between 0 and 1, was %s", availability, score));
        availabilityScores = Map.copyOf(scores);
        require(heartbeatTimeout != null && !heartbeatTimeout.isNegative() && !heartbeatTimeout.isZero(),
                "heartbeat_timeout must be more than zero, was %s", heartbeatTimeout);
        Objects.requireNonNull(defaultMode, "defaultMode");
    }

    /** The named preset with every other setting at its default. */
    public static RoutingPolicy of(Preset preset) {
        return new RoutingPolicy(preset.configName(), preset.weights(), DEFAULT_MIN_SAMPLES, false,
                DEFAULT_PRIOR_STRENGTH, DEFAULT_HALF_LIFE, DEFAULT_RECENT_WINDOW, Exploration.NONE, 0L,
                DEFAULT_AVAILABILITY_SCORES, DEFAULT_HEARTBEAT_TIMEOUT, false, Mode.AUTO);
    }

    public static RoutingPolicy defaults() {
        return of(Preset.BALANCED);
    }

    public RoutingPolicy withExploration(Exploration newExploration, long newSeed) {
        return new RoutingPolicy(presetName, weights, minSamples, bayesianPrior, priorStrength, halfLife,
                recentWindow, newExploration, newSeed, availabilityScores, heartbeatTimeout, retrySameAgentWhenAlone,
                defaultMode);
    }

    public RoutingPolicy withBayesianPrior(boolean on) {
        return new RoutingPolicy(presetName, weights, minSamples, on, priorStrength, halfLife, recentWindow,
                exploration, seed, availabilityScores, heartbeatTimeout, retrySameAgentWhenAlone, defaultMode);
    }

    public RoutingPolicy withWeights(Weights newWeights) {
        return new RoutingPolicy(presetName, newWeights, minSamples, bayesianPrior, priorStrength, halfLife,
                recentWindow, exploration, seed, availabilityScores, heartbeatTimeout, retrySameAgentWhenAlone,
                defaultMode);
    }

    public RoutingPolicy withRetrySameAgentWhenAlone(boolean allowed) {
        return new RoutingPolicy(presetName, weights, minSamples, bayesianPrior, priorStrength, halfLife,
                recentWindow, exploration, seed, availabilityScores, heartbeatTimeout, allowed, defaultMode);
    }
}
