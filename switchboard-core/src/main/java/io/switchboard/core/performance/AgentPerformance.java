package io.switchboard.core.performance;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An agent's record on one work type, updated from attempts (never from routing rows).
 *
 * <p>Besides the plain counts it keeps exponentially decayed counts: {@code decayedSuccesses} and
 * {@code decayedFailures} are exact as of {@code decayedAt}; {@link #decayedSuccessesAt} ages them to any
 * later instant, so recent outcomes weigh more without rescanning history.
 *
 * @param lastExecution when an attempt of this work type last finished, or {@code null}
 * @param difficulty the assessment of the last execution, or {@code null}
 */
public record AgentPerformance(
        UUID agentId,
        String workType,
        long successes,
        long failures,
        double decayedSuccesses,
        double decayedFailures,
        Instant decayedAt,
        long totalDurationMs,
        Instant lastExecution,
        Difficulty difficulty,
        long tokens,
        double cost) {

    public AgentPerformance {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(workType, "workType");
        if (successes < 0 || failures < 0) {
            throw new IllegalArgumentException("counts must be zero or more, were " + successes + "/" + failures);
        }
    }

    /** No outcomes yet. */
    public static AgentPerformance none(UUID agentId, String workType) {
        return new AgentPerformance(agentId, workType, 0, 0, 0, 0, null, 0, null, null, 0, 0);
    }

    public long executions() {
        return successes + failures;
    }

    public double decayedSuccessesAt(Instant now, Duration halfLife) {
        return decayedSuccesses * decayFactor(decayedAt, now, halfLife);
    }

    public double decayedFailuresAt(Instant now, Duration halfLife) {
        return decayedFailures * decayFactor(decayedAt, now, halfLife);
    }

    /**
     * This record with one more outcome folded in.
     *
     * @param at when the attempt finished
     */
    public AgentPerformance plus(boolean success, Instant at, Duration halfLife, long durationMs, long tokenCount,
            double dollars, Difficulty assessed) {
        double factor = decayFactor(decayedAt, at, halfLife);
        return new AgentPerformance(agentId, workType,
                successes + (success ? 1 : 0),
                failures + (success ? 0 : 1),
                decayedSuccesses * factor + (success ? 1 : 0),
                decayedFailures * factor + (success ? 0 : 1),
                decayedAt == null || at.isAfter(decayedAt) ? at : decayedAt,
                totalDurationMs + durationMs,
                lastExecution == null || at.isAfter(lastExecution) ? at : lastExecution,
                assessed,
                tokens + tokenCount,
                cost + dollars);
    }

    /** 2^(−elapsed / halfLife); 1 when nothing has been recorded yet or time has not moved forward. */
    static double decayFactor(Instant from, Instant to, Duration halfLife) {
        if (from == null || !to.isAfter(from)) {
            return 1.0;
        }
        double elapsed = Duration.between(from, to).toMillis();
        return Math.pow(0.5, elapsed / halfLife.toMillis());
    }
}
