package io.switchboard.core.routing;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** An agent kept out of routing until {@code until}, and why (quota hit, too many recent failures…). */
public record Cooldown(UUID agentId, Instant until, String reason) {
    public Cooldown {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(until, "until");
        reason = reason == null ? "" : reason;
    }

    public boolean activeAt(Instant now) {
        return now.isBefore(until);
    }
}
