package io.switchboard.core.routing;

import io.switchboard.core.ConfigNamed;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Named weight sets, in points out of 100. */
public enum Preset implements ConfigNamed {
    /**
     * The original scoring: success rate 40, recent context 30, specialization 20, load 10. A perfect
     * agent (100 % success, recent context, specialist, idle) scores exactly 100.
     */
    HISTORY("history", Map.of(
            Factor.SUCCESS_RATE, 40.0,
            Factor.RECENT_CONTEXT, 30.0,
            Factor.SPECIALIZATION, 20.0,
            Factor.LOAD, 10.0)),
    /** What the profiles declare: strength 40, cost 20, context fit 20, availability 10, preference 10. */
    PROFILE("profile", Map.of(
            Factor.STRENGTH, 40.0,
            Factor.COST, 20.0,
            Factor.CONTEXT_FIT, 20.0,
            Factor.AVAILABILITY, 10.0,
            Factor.PREFERENCE, 10.0)),
    /** Half of each of the other two: history and profile count equally. */
    BALANCED("balanced", blend());

    private final String configName;
    private final Weights weights;

    Preset(String configName, Map<Factor, Double> points) {
        this.configName = configName;
        this.weights = new Weights(points);
    }

    @Override
    public String configName() {
        return configName;
    }

    public Weights weights() {
        return weights;
    }

    public static Optional<Preset> fromConfigName(String name) {
        return ConfigNamed.find(values(), name);
    }

    private static Map<Factor, Double> blend() {
        EnumMap<Factor, Double> points = new EnumMap<>(Factor.class);
        for (Preset preset : new Preset[] {HISTORY, PROFILE}) {
            preset.weights.points().forEach((factor, value) -> points.merge(factor, value / 2, Double::sum));
        }
        return points;
    }

    @Override
    public String toString() {
        return configName;
    }
}
