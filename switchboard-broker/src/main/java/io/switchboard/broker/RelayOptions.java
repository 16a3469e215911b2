package io.switchboard.broker;

import static io.switchboard.core.Require.require;

import java.time.Duration;

/**
 * How the {@link Relay} paces itself. Validated when made, each bad value quoted.
 *
 * @param batchSize pending rows read and published at a time
 * @param maxUnconfirmed published rows awaiting the broker's confirm at most; the relay publishes more only as
 *     confirms come back
 * @param confirmTimeout how long a published row may go unconfirmed before the connection is taken as broken, by the
 *     relay's clock
 * @param retryDelay how long a row the broker could not route, or refused (a full queue), waits before it is
 *     published again, by the relay's clock
 * @param pollInterval how often the outbox is read when nobody calls {@link Relay#wake()}
 * @param initialBackoff the first wait after a failed connect (or a failing store), doubled each time up to
 *     {@code maxBackoff}
 * @param claimHold how long the rows a relay claims to publish are held from other relays, by the database's clock
 *     ({@link io.switchboard.core.port.Outbox#claimPending}), renewed as the relay reads the outbox once half of it
 *     is gone; more than twice {@code confirmTimeout}, so that a row stays the relay's until it is confirmed or its
 *     connection is dropped as broken even if the relay reads nothing meanwhile. The rows of a relay that died go to
 *     the others once it passes.
 */
public record RelayOptions(int batchSize, int maxUnconfirmed, Duration confirmTimeout, Duration retryDelay,
        Duration pollInterval, Duration initialBackoff, Duration maxBackoff, Duration claimHold) {

    public static final RelayOptions DEFAULTS = new RelayOptions(100, 1_000, Duration.ofSeconds(30),
            Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofSeconds(15),
            Duration.ofSeconds(90));

    public RelayOptions {
        require(batchSize >= 1, "a batch is 1 row or more, was %s", batchSize);
        require(maxUnconfirmed >= batchSize, "unconfirmed rows at most must be at least a batch (%s), was %s",
                batchSize, maxUnconfirmed);
        positive(confirmTimeout, "confirm timeout");
        require(retryDelay != null && !retryDelay.isNegative(),
                "a retry delay is zero or more, was %s", retryDelay);
        positive(pollInterval, "poll interval");
        positive(initialBackoff, "initial back-off");
        positive(maxBackoff, "maximum back-off");
        require(maxBackoff.compareTo(initialBackoff) >= 0, "the maximum back-off is at least the initial %s, was %s",
                initialBackoff, maxBackoff);
        require(claimHold != null && claimHold.compareTo(confirmTimeout.multipliedBy(2)) > 0,
                "a claim hold is more than twice the confirm timeout %s, was %s", confirmTimeout, claimHold);
    }

    private static void positive(Duration value, String name) {
        require(value != null && value.isPositive(), "a %s is more than zero, was %s", name, value);
    }

    public RelayOptions withBatchSize(int value) {
        return new RelayOptions(value, Math.max(value, maxUnconfirmed), confirmTimeout, retryDelay,
                pollInterval, initialBackoff, maxBackoff, claimHold);
    }

    /** These options with another confirm timeout; the claim hold grows to three times it when it must. */
    public RelayOptions withConfirmTimeout(Duration value) {
        Duration hold = value != null && value.isPositive() && claimHold.compareTo(value.multipliedBy(2)) <= 0
                ? value.multipliedBy(3) : claimHold;
        return new RelayOptions(batchSize, maxUnconfirmed, value, retryDelay, pollInterval, initialBackoff,
                maxBackoff, hold);
    }

    public RelayOptions withRetryDelay(Duration value) {
        return new RelayOptions(batchSize, maxUnconfirmed, confirmTimeout, value, pollInterval, initialBackoff,
                maxBackoff, claimHold);
    }

    public RelayOptions withPolling(Duration interval) {
        return new RelayOptions(batchSize, maxUnconfirmed, confirmTimeout, retryDelay, interval,
                initialBackoff, maxBackoff, claimHold);
    }

    public RelayOptions withBackoff(Duration initial, Duration max) {
        return new RelayOptions(batchSize, maxUnconfirmed, confirmTimeout, retryDelay, pollInterval, initial,
                max, claimHold);
    }

    public RelayOptions withClaimHold(Duration value) {
        return new RelayOptions(batchSize, maxUnconfirmed, confirmTimeout, retryDelay, pollInterval, initialBackoff,
                maxBackoff, value);
    }
}
