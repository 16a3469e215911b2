package io.switchboard.core.routing;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One factor of one candidate: its value in [0, 1], the weight it was multiplied by, and a one-line reason.
 * The reason is rendered on demand: the router builds thousands of these per decision and most are never
 * read, so the text is only formatted when printed or stored.
 */
public final class FactorScore {
    private final Factor factor;
    private final double value;
    private final double weight;
    private Supplier<String> reason;

    public FactorScore(Factor factor, double value, double weight, Supplier<String> reason) {
        this.factor = Objects.requireNonNull(factor, "factor");
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("factor " + factor + " must be in [0, 1], was " + value);
        }
        this.value = value;
        this.weight = weight;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public static FactorScore of(Factor factor, double value, double weight, String reason) {
        return new FactorScore(factor, value, weight, () -> reason);
    }

    public Factor factor() {
        return factor;
    }

    public double value() {
        return value;
    }

    public double weight() {
        return weight;
    }

    /** value × weight. */
    public double points() {
        return value * weight;
    }

    public String reason() {
        String text = reason.get();
        reason = () -> text;
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FactorScore that
                && factor == that.factor
                && Double.compare(value, that.value) == 0
                && Double.compare(weight, that.weight) == 0
                && reason().equals(that.reason());
    }

    @Override
    public int hashCode() {
        return Objects.hash(factor, value, weight);
    }

    @Override
    public String toString() {
        return factor + "=" + value + "×" + weight + " (" + reason() + ")";
    }
}
