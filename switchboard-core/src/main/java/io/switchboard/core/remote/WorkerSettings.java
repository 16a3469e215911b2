package io.switchboard.core.remote;

import static io.switchboard.core.Require.require;

import java.time.Duration;

/**
 * How a worker tells the registry it is alive: it beats every {@code heartbeat}, and its agents read offline
 * once {@code missedBeats} beats in a row have not arrived, by the database's clock.
 *
 * @param heartbeat how often the worker beats
 * @param missedBeats how many beats may be missed before its agents are offline (and its leases pass)
 * @param claimWithin how long an orchestrator gives a worker to claim an attempt it sent before it abandons the
 *     attempt and routes the task again
 */
public record WorkerSettings(Duration heartbeat, int missedBeats, Duration claimWithin) {
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
    public static final int DEFAULT_MISSED_BEATS = 3;
    /** A beat more often than this would spend the database on heartbeats. */
    public static final Duration MIN_HEARTBEAT = Duration.ofMillis(100);
    public static final Duration DEFAULT_CLAIM_WITHIN = Duration.ofSeconds(60);

    public WorkerSettings {
        require(heartbeat != null && heartbeat.compareTo(MIN_HEARTBEAT) >= 0,
                "heartbeat must be at least %s ms, was %s", MIN_HEARTBEAT.toMillis(), heartbeat);
        require(missedBeats >= 1, "missed_beats must be at least 1, was %s", missedBeats);
        require(claimWithin != null && claimWithin.isPositive(), "claim_within must be more than zero, was %s",
                claimWithin);
    }

    public WorkerSettings(Duration heartbeat, int missedBeats) {
        this(heartbeat, missedBeats, DEFAULT_CLAIM_WITHIN);
    }

    public static WorkerSettings defaults() {
        return new WorkerSettings(DEFAULT_HEARTBEAT, DEFAULT_MISSED_BEATS, DEFAULT_CLAIM_WITHIN);
    }

    /** How long a worker's claim on an attempt holds without a renewal: as long as its agents stay online. */
    public Duration lease() {
        return staleAfter();
    }

    /** How long a worker's agents stay online after its last beat. */
    public Duration staleAfter() {
        return heartbeat.multipliedBy(missedBeats);
    }

    public String describe() {
        return "heartbeat " + heartbeat.toMillis() + " ms, offline after " + missedBeats + " missed beats (leases"
                + " pass then too), attempts claimed within " + claimWithin.toMillis() + " ms";
    }
}
