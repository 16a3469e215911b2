package io.switchboard.core.port;

import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptStart;
import io.switchboard.core.attempt.DecidedStart;
import io.switchboard.core.attempt.StartResult;
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
 * <p>Several relays may publish one outbox (one per orchestrator sharing the database): a relay publishes only the rows
 * it has claimed ({@link #claimPending}), and a claim holds for a while by the database's clock and is renewed while
 * the relay lives ({@link #renewClaims}), so two relays never publish the same pending row while its claim holds, and
 * the rows of a relay that died go to the others once its claims pass.
 *
 * <p>The outbox holds only what is not sent yet: a row the broker confirmed is removed ({@link #removeSent}). The
 * attempt keeps the record of its dispatch: sent to a worker, and claimed by one when it was taken up
 * ({@link RemoteAttempts}).
 *
 * <p>Delivery is at least once: a relay that dies between the broker's confirm and {@link #removeSent} leaves the row
 * pending, and it is published again, so a worker must take a message for an attempt that is no longer current as a
 * no-op.
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

    /**
     * {@link TaskStore#startAttempts} with remote attempts among them: an item with a {@link DecidedStart#send()} is
     * started as {@link #startAttempt(AttemptStart, Instant, Duration, Function)} starts it, its message added in the
     * same transaction; one without is started as a local attempt. A refused item writes neither attempt nor message.
     *
     * @throws IllegalArgumentException when a remote start names no orchestrator, or its claim window is not longer
     *     than zero; nothing is written
     */
    List<StartResult> startAttempts(List<DecidedStart> starts, Instant now);

    /**
     * Claims for the relay at most {@code limit} rows not sent yet that nobody holds, oldest first (by id): rows never
     * claimed or given up, rows whose claim has passed by the database's clock, and rows of another relay whose
     * orchestrator is gone (below). Each is held for {@code hold} from the database's now, and counted as one publish
     * attempt at {@code now}: the relay publishes every row it is given. Rows the relay holds itself are never given to
     * it again: it keeps what it claimed until the broker has confirmed it, and keeps its claims with
     * {@link #renewClaims}. In one statement; on PostgreSQL the rows are claimed {@code FOR UPDATE SKIP LOCKED}, so
     * relays claiming at the same moment each take rows the others are not taking, and none waits.
     *
     * <p>A relay named after a registered orchestrator ({@link TaskStore#registerOrchestrator}) holds its rows only
     * while that orchestrator is live ({@link TaskClaims}): once it has ended, or its last beat plus its window is
     * before the database's now, its rows are claimable by the others at once, whatever their hold.
     *
     * <p>Rows published and confirmed by the broker are removed ({@link #removeSent}), so never claimed again.
     *
     * @throws IllegalArgumentException when the relay's id is blank, the limit below 1, or the hold not longer than
     *     zero
     */
    List<OutboxRow> claimPending(String relayId, int limit, Duration hold, Instant now);

    /**
     * Holds every row not sent yet that the relay holds for {@code hold} from the database's now, however much of its
     * claim was left, so that no other relay is given them. A relay renews well before its shortest claim passes (it
     * renews every quarter of its hold); a row whose claim passed before, and another relay took, is not the
     * relay's any more and is not renewed.
     *
     * @return how many rows the relay holds
     * @throws IllegalArgumentException when the relay's id is blank or the hold not longer than zero
     */
    int renewClaims(String relayId, Duration hold);

    /**
     * Gives up the relay's claims on rows not sent yet, for a relay that stops cleanly: the other relays may take
     * them at once instead of when the claims pass.
     *
     * @return how many rows it held
     */
    int releaseClaims(String relayId);

    /**
     * A look at up to {@code limit} rows not sent yet, oldest first (by id), whoever holds them; claims nothing. For
     * reports and tests: a relay publishes what {@link #claimPending} gives it, never what this reads.
     */
    List<OutboxRow> pending(int limit);

    /**
     * Counts one more publish attempt of each of these rows, for rows a relay publishes again (their connection was
     * lost before the broker confirmed them, or the broker refused or returned them); {@link #claimPending} counts the
     * first. So a row that never gets through can be found.
     */
    void publishing(Collection<Long> ids, Instant now);

    /**
     * Removes these rows: the broker confirmed them. Ids of rows removed already, or of no row, are skipped; whoever
     * holds a row, it goes.
     *
     * @return how many rows were still there and are now removed
     */
    int removeSent(Collection<Long> ids);

    /**
     * {@link #removeSent} and then {@link #claimPending}, in one transaction: a relay's turn, which removes what the
     * broker confirmed since its last turn and claims what it publishes next, in one commit instead of two. When the
     * claim is refused (its arguments), nothing is removed either.
     *
     * @return the rows claimed, as {@link #claimPending} returns them
     * @throws IllegalArgumentException as {@link #claimPending} does
     */
    List<OutboxRow> removeSentAndClaim(Collection<Long> sent, String relayId, int limit, Duration hold, Instant now);

    /** How many rows are not sent yet. */
    long countPending();
}
