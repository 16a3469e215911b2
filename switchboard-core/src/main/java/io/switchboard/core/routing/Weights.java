package io.switchboard.core.routing;

import static io.switchboard.core.Require.require;

import java.util.EnumMap;
import java.util.Map;

/** Points per factor: a factor worth 40 adds 40 × its value to a candidate's total. */
public record Weights(Map<Factor, Double> points) {

    public Weights {
        EnumMap<Factor, Double> copy = new EnumMap<>(Factor.class);
        for (Factor factor : Factor.values()) {
            double value = points.getOrDefault(factor, 0.0);
            require(Double.isFinite(value) && value >= 0, "weight of %s must be zero or more, was %s", factor, value);
            copy.put(factor, value);
        }
        points = java.util.Collections.unmodifiableMap(copy);
    }

    public double of(Factor factor) {
        return points.get(factor);
    }

    public double total() {
        double total = 0;
        for (double value : points.values()) {
            total += value;
        }
        return total;
    }

    /** These weights with some replaced, for config overrides. */
    public Weights with(Map<Factor, Double> overrides) {
        EnumMap<Factor, Double> copy = new EnumMap<>(points);
        copy.putAll(overrides);
        return new Weights(copy);
    }
}
