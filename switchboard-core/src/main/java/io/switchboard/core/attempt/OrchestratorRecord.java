package io.switchboard.core.attempt;

import java.time.Instant;
import java.util.Objects;

/**
 * One running (or once running) orchestrator process. Attempts name the orchestrator that runs them, so that
 * {@code resume} can tell the attempts of a dead orchestrator from those of a live one.
 *
 * @param endedAt when it ended cleanly, or {@code null} while running (or when it was killed)
 */
public record OrchestratorRecord(String id, String host, long pid, Instant startedAt, Instant endedAt) {
    public OrchestratorRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
