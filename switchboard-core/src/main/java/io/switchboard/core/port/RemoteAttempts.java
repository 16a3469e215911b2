package io.switchboard.core.port;

import io.switchboard.core.execution.RunResult;
import io.switchboard.core.remote.AttemptKey;
import io.switchboard.core.remote.RemoteAttempt;
import io.switchboard.core.remote.ReportedResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The store's side of attempts run by remote workers: leases and results. An attempt becomes remote when it is
 * started with its message ({@link Outbox#startAttempt}); from then on it moves only as {@link
 * io.switchboard.core.remote.RemoteState} shows, each move one guarded update of its row.
 *
 * <p>Every time here is the database's clock, never a caller's: a lease is granted, renewed and judged by it, so a
 * worker or orchestrator whose clock is off cannot keep or lose a lease early.
 *
 * <p>The guards are what make at-least-once delivery safe: a message delivered twice is claimed once; a result
 * reported by a worker that no longer holds the lease, or for an attempt that is no longer the task's current one,
 * is kept as superseded and never becomes the attempt's.
 */
public interface RemoteAttempts {

    /**
     * A worker takes the attempt: it must be in flight, the task's highest-numbered attempt, {@code SENT}, and its
     * claim window not passed by the database's clock. It becomes {@code CLAIMED} by the worker, with a lease until
     * the database's now plus {@code lease}. Anything else claims nothing and says why (already claimed, by whom;
     * reported; expired; no longer in flight; not the current attempt; unknown; not a remote attempt).
     */
    Claim claim(AttemptKey attempt, String workerId, Duration lease);

    /**
     * Renews the leases of every attempt the worker holds (claimed, in flight, its lease not passed) to the database's
     * now plus {@code lease}.
     *
     * @return the attempts it still holds; an attempt the worker runs that is missing has been taken from it (lease
     *     passed, abandoned, handed off): its result will be superseded, so the worker may stop it
     */
    Set<AttemptKey> renew(String workerId, Duration lease);

    /**
     * Stores a worker's result, in one transaction. Accepted when the attempt is in flight, {@code CLAIMED} by this
     * worker and its lease not passed by the database's clock: the attempt becomes {@code REPORTED} and the result is
     * its own. Otherwise the result is kept as superseded, with the reason, and changes nothing else. Reporting again
     * (the same worker, the same attempt: a retry after a lost reply) stores nothing new and returns the first verdict.
     */
    Report report(AttemptKey attempt, String workerId, RunResult result);

    /** The attempt's remote side; empty for an unknown attempt or one that was not started with a message. */
    Optional<RemoteAttempt> remoteAttempt(AttemptKey attempt);

    /**
     * Marks {@code EXPIRED} every attempt this orchestrator started that is in flight, {@code SENT} or {@code
     * CLAIMED}, and whose lease passed by the database's clock; in one guarded update per attempt, so one that its
     * worker reported first stays reported.
     *
     * @return the attempts it marked, as they were just before (so {@code workerId} says whether anyone had claimed
     *     them)
     */
    List<RemoteAttempt> expire(String orchestratorId);

    /**
     * The orchestrator gives the attempt up before its lease passed (it is stopped, handed off, or taken over from an
     * orchestrator that died): an attempt in flight, {@code SENT} or {@code CLAIMED}, becomes {@code EXPIRED} in one
     * guarded update, so a result its worker reports later is superseded. One its worker reported first stays
     * reported: its result is the attempt's, and whoever ends the attempt must record that result, not give it up.
     *
     * @return the attempt's remote side after the call ({@code EXPIRED}, or {@code REPORTED} with its result); empty
     *     for an attempt that is not remote
     */
    Optional<RemoteAttempt> revoke(AttemptKey attempt);

    /** Every result reported for the task's attempts, accepted or superseded, oldest first. */
    List<ReportedResult> reportedResults(String taskId);

    /**
     * What {@link #claim} did.
     *
     * @param orchestratorId for a claim granted, the orchestrator that sent the attempt, which the worker tells once
     *     its result is in; {@code null} when refused
     */
    record Claim(boolean claimed, String reason, String orchestratorId) {
        public static Claim granted(String orchestratorId) {
            return new Claim(true, "", orchestratorId);
        }

        public static Claim refused(String reason) {
            return new Claim(false, reason, null);
        }
    }

    /** What {@link #report} did. */
    record Report(boolean accepted, String reason) {
        public static Report acceptedReport() {
            return new Report(true, "");
        }

        public static Report superseded(String reason) {
            return new Report(false, reason);
        }
    }
}
