package io.switchboard.core.execution;

/**
 * Tokens and spend an agent reported, so far or in all.
 *
 * @param cost dollars the agent itself reported, or {@code null} when it reports tokens only (the cost is
 *     then computed from the profile's price)
 */
public record Usage(long inputTokens, long outputTokens, Double cost) {
    public static final Usage NONE = new Usage(0, 0, null);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts must be zero or more, were " + inputTokens + "/"
                    + outputTokens);
        }
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    /** The spend: what the agent reported, else tokens at the profile's price per 1,000. */
    public double costAt(double pricePer1kTokens) {
        return cost != null ? cost : totalTokens() / 1000.0 * pricePer1kTokens;
    }
}
