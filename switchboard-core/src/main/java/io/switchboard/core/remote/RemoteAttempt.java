package io.switchboard.core.remote;

import io.switchboard.core.execution.RunResult;
import java.time.Instant;
import java.util.Objects;

/**
 * What the store knows of an attempt sent to a remote worker.
 *
 * @param orchestratorId the orchestrator that started the attempt
 * @param workerId the worker that claimed it, or {@code null} while nobody has
 * @param leaseUntil when the lease passes, by the database's clock
 * @param result the accepted result, once {@link RemoteState#REPORTED}; otherwise {@code null}
 */
public record RemoteAttempt(AttemptKey key, String agent, String orchestratorId, RemoteState state, String workerId,
        Instant leaseUntil, RunResult result) {
    public RemoteAttempt {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(orchestratorId, "orchestratorId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
    }
}
