package io.switchboard.core.config;

import static io.switchboard.core.Require.require;

import java.time.Duration;
import java.util.Objects;

/**
 * How a failed task is retried: exponential back-off between attempts, a cap on each delay, a limit on the
 * number of attempts and, optionally, an overall deadline. An immutable value; the compact constructor rejects
 * impossible settings and quotes them.
 *
 * @param initialDelay the delay after the first failed attempt
 * @param multiplier each further delay is the previous one times this (1 keeps it constant)
 * @param maxDelay no delay is longer than this
 * @param maxAttempts attempts in all, the first one included
 * @param deadline how long after the task was accepted it may still be retried; {@code null} for no deadline
 */
public record RetryPolicy(Duration initialDelay, double multiplier, Duration maxDelay, int maxAttempts,
        Duration deadline) {

    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(2);
    public static final double DEFAULT_MULTIPLIER = 2.0;
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    private static final double NANOS_PER_SECOND = 1_000_000_000.0;

    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        require(!initialDelay.isNegative(), "initial_delay must not be negative, was %s", initialDelay);
        require(Double.isFinite(multiplier) && multiplier >= 1, "multiplier must be 1 or more, was %s", multiplier);
        require(maxDelay.compareTo(initialDelay) >= 0, "max_delay must be at least initial_delay (%s), was %s",
                initialDelay, maxDelay);
        require(maxAttempts >= 1, "max_attempts must be 1 or more, was %s", maxAttempts);
        require(deadline == null || deadline.isPositive(), "deadline must be more than zero, was %s", deadline);
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(DEFAULT_INITIAL_DELAY, DEFAULT_MULTIPLIER, DEFAULT_MAX_DELAY, DEFAULT_MAX_ATTEMPTS,
                null);
    }

    /**
     * The delay before the attempt that follows failed attempt number {@code attempt}: {@code initialDelay}
     * after attempt 1, multiplied by {@code multiplier} for each later one, never more than {@code maxDelay}.
     * Pure: the same arguments always give the same delay; it neither reads a clock nor sleeps.
     *
     * @param attempt the 1-based number of the attempt that failed
     */
    public Duration nextDelay(int attempt) {
        require(attempt >= 1, "attempt must be 1 or more, was %s", attempt);
        double seconds = seconds(initialDelay) * Math.pow(multiplier, attempt - 1);
        // The comparison is also false for an infinite product, which caps it too.
        if (!(seconds < seconds(maxDelay))) {
            return maxDelay;
        }
        long wholeSeconds = (long) Math.floor(seconds);
        long nanos = Math.round((seconds - wholeSeconds) * NANOS_PER_SECOND);
        return Duration.ofSeconds(wholeSeconds, nanos);
    }

    /** Whether an attempt with this 1-based number is still allowed. */
    public boolean allowsAttempt(int attempt) {
        return attempt >= 1 && attempt <= maxAttempts;
    }

    public String describe() {
        return maxAttempts + (maxAttempts == 1 ? " attempt" : " attempts") + ", delays from " + text(initialDelay)
                + " x" + Numbers.plain(multiplier) + " up to " + text(maxDelay) + ", "
                + (deadline == null ? "no deadline" : "deadline " + text(deadline));
    }

    private static double seconds(Duration duration) {
        return duration.getSeconds() + duration.getNano() / NANOS_PER_SECOND;
    }

    /** A duration as people write it in config: {@code 2s}, {@code 1m30s}, {@code 2h}. */
    public static String text(Duration duration) {
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
