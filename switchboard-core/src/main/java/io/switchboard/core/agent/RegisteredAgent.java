package io.switchboard.core.agent;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An agent as the registry holds it: its profile plus the runtime state that lives only in the store.
 *
 * @param lastHeartbeat when a worker last reported it alive; {@code null} for local agents, which have no
 *     heartbeat and are never stale
 */
public record RegisteredAgent(UUID id, AgentProfile profile, AgentStatus status, Instant lastHeartbeat,
        AgentOrigin origin) {

    public RegisteredAgent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(origin, "origin");
    }

    public String name() {
        return profile.name();
    }

    public RegisteredAgent withStatus(AgentStatus newStatus) {
        return new RegisteredAgent(id, profile, newStatus, lastHeartbeat, origin);
    }

    public RegisteredAgent withProfile(AgentProfile newProfile) {
        return new RegisteredAgent(id, newProfile, status, lastHeartbeat, origin);
    }
}
