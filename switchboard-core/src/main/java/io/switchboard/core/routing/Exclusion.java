package io.switchboard.core.routing;

import java.util.Objects;
import java.util.UUID;

/** An agent a hard filter kept out, and the reason in words. */
public record Exclusion(String agent, UUID agentId, ExclusionReason reason, String detail) {
    public Exclusion {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
    }
}
