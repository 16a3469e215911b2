package io.switchboard.broker;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * Hears what the {@link Relay} does, for logs, metrics and tests. Every method has a no-op default; {@link #NONE}
 * hears nothing; {@link #logging} writes each event as one line.
 *
 * <p>Outages are reported once each, not once per retry: {@code brokerUnavailable} when the relay first fails to
 * reach the broker (at start, or after it had it), then nothing until {@code brokerAvailable}; likewise
 * {@code blocked} and {@code unblocked}, and {@code storeFailed} until {@code storeRecovered}.
 *
 * <p>Threading: called on the relay's thread, or on the broker connection's thread for {@code blocked},
 * {@code unblocked} and {@code returned}. Implementations must be thread-safe, quick, and must not throw.
 */
public interface RelayListener {
    RelayListener NONE = new RelayListener() {
    };

    /** Connected, and the shared queues declared; {@code topology} says what kind of queues the broker has. */
    default void brokerAvailable(String topology) {
    }

    /** The broker could not be reached or was lost; the relay retries with back-off, and keeps every row. */
    default void brokerUnavailable(String reason) {
    }

    /** The broker stopped accepting messages (a resource alarm); the relay publishes nothing until it resumes. */
    default void blocked(String reason) {
    }

    default void unblocked() {
    }

    /** Rows the broker confirmed, now removed from the outbox. */
    default void sent(int rows) {
    }

    /**
     * The broker could route the row with this id to no queue (its agent's queue is gone). The row stays pending;
     * the relay declares the queue again and publishes it after {@link RelayOptions#retryDelay()}.
     */
    default void returned(long rowId, String agent, String replyText) {
    }

    /**
     * The broker refused these rows (a full queue): they stay pending and are published again after
     * {@link RelayOptions#retryDelay()}.
     */
    default void refused(int rows) {
    }

    /**
     * No confirm came for published rows within {@link RelayOptions#confirmTimeout()}: the connection is dropped
     * and the rows published again on the next one.
     */
    default void unconfirmed(int rows, Duration after) {
    }

    /** Something unexpected went wrong; the relay drops its connection, backs off and starts over. */
    default void failed(String reason) {
    }

    /** The store failed; the relay retries, and publishes nothing it could not read or mark. */
    default void storeFailed(String reason) {
    }

    default void storeRecovered() {
    }

    /** One line per event through a {@link System.Logger}: warnings for outages, information for the rest. */
    static RelayListener logging(Logger logger) {
        return new RelayListener() {
            @Override
            public void brokerAvailable(String topology) {
                logger.log(Level.INFO, "Publishing to " + topology);
            }

            @Override
            public void brokerUnavailable(String reason) {
                logger.log(Level.WARNING, reason + "; messages wait in the outbox until it is back");
            }

            @Override
            public void blocked(String reason) {
                logger.log(Level.WARNING, "The broker blocked publishing (" + reason
                        + "); messages wait in the outbox until it resumes");
            }

            @Override
            public void unblocked() {
                logger.log(Level.INFO, "The broker resumed publishing");
            }

            @Override
            public void returned(long rowId, String agent, String replyText) {
                logger.log(Level.WARNING, "The broker could not route outbox row " + rowId + " to agent " + agent
                        + " (" + replyText + "); it stays in the outbox and is sent again");
            }

            @Override
            public void unconfirmed(int rows, Duration after) {
                logger.log(Level.WARNING, rows + " messages were not confirmed within " + after.toMillis()
                        + " ms; reconnecting to send them again");
            }

            @Override
            public void failed(String reason) {
                logger.log(Level.ERROR, "The relay failed and starts over: " + reason);
            }

            @Override
            public void storeFailed(String reason) {
                logger.log(Level.WARNING, "The outbox could not be read or updated: " + reason);
            }

            @Override
            public void storeRecovered() {
                logger.log(Level.INFO, "The outbox can be read and updated again");
            }
        };
    }
}
