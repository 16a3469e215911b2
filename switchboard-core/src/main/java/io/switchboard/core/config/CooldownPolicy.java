package io.switchboard.core.config;

import static io.switchboard.core.Require.require;

import java.time.Duration;
import java.util.Objects;

/**
 * When an agent is kept out of routing for a while.
 *
 * @param quota how long an agent out of quota or rate limited cools down when it does not say when it resets
 * @param failureWindow the recent window in which an agent's failure rate is judged
 * @param failureMinAttempts the fewest finished attempts in the window before the rate is judged at all
 * @param failureCooldown how long an agent that failed more than half of its recent attempts cools down
 */
public record CooldownPolicy(Duration quota, Duration failureWindow, int failureMinAttempts,
        Duration failureCooldown) {

    public static final Duration DEFAULT_QUOTA = Duration.ofMinutes(15);
    public static final Duration DEFAULT_FAILURE_WINDOW = Duration.ofHours(1);
    public static final int DEFAULT_FAILURE_MIN_ATTEMPTS = 5;
    public static final Duration DEFAULT_FAILURE_COOLDOWN = Duration.ofMinutes(10);

    public CooldownPolicy {
        Objects.requireNonNull(quota, "quota");
        Objects.requireNonNull(failureWindow, "failureWindow");
        Objects.requireNonNull(failureCooldown, "failureCooldown");
        require(quota.isPositive(), "quota must be more than zero, was %s", quota);
        require(failureWindow.isPositive(), "failure_window must be more than zero, was %s", failureWindow);
        require(failureMinAttempts >= 1, "failure_min_attempts must be 1 or more, was %s", failureMinAttempts);
        require(failureCooldown.isPositive(), "failure_cooldown must be more than zero, was %s", failureCooldown);
    }

    public static CooldownPolicy defaults() {
        return new CooldownPolicy(DEFAULT_QUOTA, DEFAULT_FAILURE_WINDOW, DEFAULT_FAILURE_MIN_ATTEMPTS,
                DEFAULT_FAILURE_COOLDOWN);
    }

    public String describe() {
        return "quota " + RetryPolicy.text(quota) + ", failing more than half of at least " + failureMinAttempts
                + " attempts in " + RetryPolicy.text(failureWindow) + " -> " + RetryPolicy.text(failureCooldown);
    }
}
