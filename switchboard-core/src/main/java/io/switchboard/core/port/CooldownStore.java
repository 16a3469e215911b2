package io.switchboard.core.port;

import io.switchboard.core.routing.Cooldown;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Agents kept out of routing for a while. */
public interface CooldownStore {

    /** Sets (or extends, or shortens) the agent's cooldown, replacing any it had. */
    void coolDown(Cooldown cooldown);

    /** The cooldowns still in force at {@code now}, by agent id. */
    Map<UUID, Cooldown> active(Instant now);

    /** Ends the agent's cooldown, if it has one. */
    void lift(UUID agentId);
}
