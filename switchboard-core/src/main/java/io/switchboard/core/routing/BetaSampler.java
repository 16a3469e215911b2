package io.switchboard.core.routing;

import java.util.random.RandomGenerator;

/**
 * Draws from a Beta(α, β) distribution as X / (X + Y) with X ~ Gamma(α), Y ~ Gamma(β), using
 * Marsaglia and Tsang's method for the gammas. Deterministic for a given generator state, so a seeded
 * decision can be replayed.
 */
final class BetaSampler {
    private BetaSampler() {
    }

    static double sample(double alpha, double beta, RandomGenerator random) {
        double x = gamma(alpha, random);
        double y = gamma(beta, random);
        double sum = x + y;
        return sum == 0 ? 0.5 : x / sum;
    }

    static double gamma(double shape, RandomGenerator random) {
        if (shape < 1) {
            // Gamma(a) = Gamma(a + 1) · U^(1/a) keeps the fast method valid for small shapes.
            double u = random.nextDouble();
            return gamma(shape + 1, random) * Math.pow(u, 1.0 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = random.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }
}
