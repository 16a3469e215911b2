package io.switchboard.core.remote;

/**
 * Where an attempt sent to a remote worker is, on the store's side. Every move is one guarded update of the attempt's
 * row, so two parties racing for it (a worker reporting, an orchestrator expiring the lease) cannot both win.
 *
 * <pre>
 * SENT ──claim──► CLAIMED ──report──► REPORTED
 *   │                │
 *   └──── lease passed, by the database's clock ────► EXPIRED
 * </pre>
 */
public enum RemoteState {
    /** Written with its outbox message; no worker has claimed it. Its lease is the time a worker has to claim it. */
    SENT,
    /** A worker committed a lease on it and runs it; the lease is renewed with the worker's heartbeat. */
    CLAIMED,
    /** Its worker committed the result while holding the lease: the result is the attempt's, for the orchestrator. */
    REPORTED,
    /** Its lease passed before a result came: the attempt is abandoned; a result that comes later is superseded. */
    EXPIRED
}
