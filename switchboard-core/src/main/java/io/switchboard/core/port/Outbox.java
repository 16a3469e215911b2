package io.switchboard.core.port;

import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptStart;
import io.switchboard.core.remote.OutboxRow;
import io.switchboard.core.remote.WorkMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Messages for remote workers, written by the orchestrator in the transaction that decides them and published by a
 * relay. The store is the source of truth and the broker only carries the doorbell: a row stays pending until a
 * relay has had the broker confirm it, so a broker that is down or slow delays messages and loses none.
 *
 * <p>Delivery is at least once: a relay that dies between the broker's confirm and {@link #markSent} publishes the
 * row again, so a worker must take a message for an attempt that is no longer current as a no-op.
 */
public interface Outbox {

    /**
     * Adds a message, pending, in its own transaction.
     *
     * @return the new row's id
     */
    long enqueue(WorkMessage message, Instant now);

    /**
     * Starts the next attempt of a task exactly as {@link TaskStore#startAttempt(AttemptStart, Instant)} does and,
     * in the same transaction, adds the message {@code message} makes from the started attempt (which carries the
     * attempt's number). Either both are written or neither: when the start is refused or {@code message} throws,
     * nothing is.
     *
     * <p>The attempt becomes a remote one ({@link RemoteAttempts}): {@link io.switchboard.core.remote.RemoteState#SENT
     * SENT}, with {@code claimWithin} from the database's now for a worker to claim it before its lease passes.
     *
     * @throws IllegalStateException as {@link TaskStore#startAttempt(AttemptStart, Instant)} does
     * @throws IllegalArgumentException when the start names no orchestrator (the one that starts a remote attempt
     *     expires its lease, {@link RemoteAttempts#expire}) or {@code claimWithin} is not longer than zero; nothing is
     *     written
     */
    Attempt startAttempt(AttemptStart start, Instant now, Duration claimWithin, Function<Attempt, WorkMessage> message);

    /** Up to {@code limit} rows not sent yet, oldest first (by id). */
    List<OutboxRow> pending(int limit);

    /**
     * Counts one more publish attempt of each of these rows (a relay calls it before publishing them), so that a row
     * that never gets through can be found.
     */
    void publishing(Collection<Long> ids, Instant now);

    /**
     * Marks these rows sent: the broker confirmed them. Ids of rows already sent, or of no row, are skipped.
     *
     * @return how many rows were pending and are now sent
     */
    int markSent(Collection<Long> ids, Instant now);

    /** How many rows are not sent yet. */
    long countPending();
}
