package io.switchboard.core.routing;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An agent kept out of routing until {@code until}, and why (quota hit, too many recent failures…).
 *
 * @param configFingerprint when not {@code null}, the cooldown lasts until the agent's configuration changes:
 *     it is lifted as soon as the agent's {@link io.switchboard.core.agent.AgentProfile#fingerprint()} differs
 *     from this (a missing binary or a login error); {@code until} is then {@link #UNTIL_CONFIG_CHANGES}
 */
public record Cooldown(UUID agentId, Instant until, String reason, String configFingerprint) {

    /** The end given to a cooldown that lasts until the configuration changes. */
    public static final Instant UNTIL_CONFIG_CHANGES = Instant.parse("9999-12-31T00:00:00Z");

    public Cooldown {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(until, "until");
        reason = reason == null ? "" : reason;
    }

    public Cooldown(UUID agentId, Instant until, String reason) {
        this(agentId, until, reason, null);
    }

    public static Cooldown untilConfigChanges(UUID agentId, String reason, String configFingerprint) {
        return new Cooldown(agentId, UNTIL_CONFIG_CHANGES, reason, Objects.requireNonNull(configFingerprint));
    }

    public boolean activeAt(Instant now) {
        return now.isBefore(until);
    }

    public boolean untilConfigChanges() {
        return configFingerprint != null;
    }
}
