package io.switchboard.core.remote;

import static io.switchboard.core.Require.require;

import java.time.Duration;

/**
 * How a worker tells the registry it is alive: it beats every {@code heartbeat}, and its agents read offline
 * once {@code missedBeats} beats in a row have not arrived, by the database's clock.
 *
 * @param heartbeat how often the worker beats
 * @param missedBeats how many beats may be missed before its agents are offline
 */
public record WorkerSettings(Duration heartbeat, int missedBeats) {
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
    public static final int DEFAULT_MISSED_BEATS = 3;
    /** A beat more often than this would spend the database on heartbeats. */
    public static final Duration MIN_HEARTBEAT = Duration.ofMillis(100);

    public WorkerSettings {
        require(heartbeat != null && heartbeat.compareTo(MIN_HEARTBEAT) >= 0,
                "heartbeat must be at least %s ms, was %s", MIN_HEARTBEAT.toMillis(), heartbeat);
        require(missedBeats >= 1, "missed_beats must be at least 1, was %s", missedBeats);
    }

    public static WorkerSettings defaults() {
        return new WorkerSettings(DEFAULT_HEARTBEAT, DEFAULT_MISSED_BEATS);
    }

    /** How long a worker's agents stay online after its last beat. */
    public Duration staleAfter() {
        return heartbeat.multipliedBy(missedBeats);
    }

    public String describe() {
        return "heartbeat " + heartbeat.toMillis() + " ms, offline after " + missedBeats + " missed beats";
    }
}
