package io.switchboard.input.config;

import static io.switchboard.input.config.ConfigValues.between;
import static io.switchboard.input.config.ConfigValues.build;
import static io.switchboard.input.config.ConfigValues.entries;
import static io.switchboard.input.config.ConfigValues.oneOf;
import static io.switchboard.input.config.ConfigValues.optional;
import static io.switchboard.input.config.ConfigValues.wholeAtLeast;

import io.switchboard.core.agent.Availability;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.routing.Exploration;
import io.switchboard.core.routing.Factor;
import io.switchboard.core.routing.Preset;
import io.switchboard.core.routing.RoutingPolicy;
import io.switchboard.core.routing.Weights;
import io.switchboard.input.yaml.YamlValue;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Reads the {@code policy:} section into a {@link RoutingPolicy}; every key is optional. */
final class PolicyReader {
    static final Set<String> KEYS = Set.of("preset", "weights", "min_samples", "bayesian_prior", "prior_strength",
            "half_life", "recent_window", "exploration", "seed", "availability_scores", "heartbeat_timeout",
            "retry_same_agent_when_alone", "default_mode");

    private static final Set<String> FACTOR_NAMES = factorNames();
    private static final Set<String> AVAILABILITY_NAMES = availabilityNames();

    private PolicyReader() {
    }

    static RoutingPolicy read(YamlValue section) {
        Map<String, YamlValue> fields = entries(section, KEYS);
        if (fields.isEmpty()) {
            return RoutingPolicy.defaults();
        }
        Preset preset = optional(fields, "preset")
                .map(value -> oneOf(value, Preset.values(), Preset::configName, "preset"))
                .orElse(Preset.BALANCED);
        Weights weights = optional(fields, "weights").map(value -> weights(preset, value)).orElse(preset.weights());
        int minSamples = optional(fields, "min_samples").map(value -> wholeAtLeast(value, 0))
                .orElse(RoutingPolicy.DEFAULT_MIN_SAMPLES);
        boolean bayesianPrior = optional(fields, "bayesian_prior").map(YamlValue::asBoolean).orElse(false);
        double priorStrength = optional(fields, "prior_strength").map(ConfigValues::moreThanZero)
                .orElse(RoutingPolicy.DEFAULT_PRIOR_STRENGTH);
        Duration halfLife = optional(fields, "half_life").map(ConfigValues::positiveDuration)
                .orElse(RoutingPolicy.DEFAULT_HALF_LIFE);
        Duration recentWindow = optional(fields, "recent_window").map(ConfigValues::nonNegativeDuration)
                .orElse(RoutingPolicy.DEFAULT_RECENT_WINDOW);
        Exploration exploration = optional(fields, "exploration")
                .map(value -> oneOf(value, Exploration.values(), Exploration::configName, "exploration"))
                .orElse(Exploration.NONE);
        long seed = optional(fields, "seed").map(YamlValue::asLong).orElse(0L);
        Map<Availability, Double> availabilityScores = optional(fields, "availability_scores")
                .map(PolicyReader::availabilityScores).orElse(RoutingPolicy.DEFAULT_AVAILABILITY_SCORES);
        Duration heartbeatTimeout = optional(fields, "heartbeat_timeout").map(ConfigValues::positiveDuration)
                .orElse(RoutingPolicy.DEFAULT_HEARTBEAT_TIMEOUT);
        boolean retrySameAgentWhenAlone = optional(fields, "retry_same_agent_when_alone").map(YamlValue::asBoolean)
                .orElse(false);
        Mode defaultMode = optional(fields, "default_mode")
                .map(value -> oneOf(value, Mode.values(), Mode::configName, "mode"))
                .orElse(Mode.AUTO);
        return build(section, () -> new RoutingPolicy(preset.configName(), weights, minSamples, bayesianPrior,
                priorStrength, halfLife, recentWindow, exploration, seed, availabilityScores, heartbeatTimeout,
                retrySameAgentWhenAlone, defaultMode));
    }

    /** The preset's weights with the factors this mapping names replaced. */
    private static Weights weights(Preset preset, YamlValue value) {
        EnumMap<Factor, Double> overrides = new EnumMap<>(Factor.class);
        value.asMap(FACTOR_NAMES).forEach((name, points) ->
                overrides.put(Factor.fromConfigName(name).orElseThrow(), ConfigValues.zeroOrMore(points)));
        Weights weights = build(value, () -> preset.weights().with(overrides));
        if (weights.total() <= 0) {
            throw value.error("the weights must not all be zero; no candidate could score above another");
        }
        return weights;
    }

    private static Map<Availability, Double> availabilityScores(YamlValue value) {
        EnumMap<Availability, Double> scores = new EnumMap<>(RoutingPolicy.DEFAULT_AVAILABILITY_SCORES);
        value.asMap(AVAILABILITY_NAMES).forEach((name, score) ->
                scores.put(Availability.fromConfigName(name).orElseThrow(), between(score, 0, 1)));
        return scores;
    }

    private static Set<String> factorNames() {
        Set<String> names = new HashSet<>();
        for (Factor factor : Factor.values()) {
            names.add(factor.configName());
        }
        return Set.copyOf(names);
    }

    private static Set<String> availabilityNames() {
        Set<String> names = new HashSet<>();
        for (Availability availability : Availability.values()) {
            names.add(availability.configName());
        }
        return Set.copyOf(names);
    }
}
