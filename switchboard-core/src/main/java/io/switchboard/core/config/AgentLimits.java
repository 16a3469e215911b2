package io.switchboard.core.config;

import java.time.Duration;

/**
 * How long one attempt of an agent may run. Either limit may be {@code null}, meaning none is set for this
 * agent (the runner then applies its own default).
 *
 * @param timeout wall-clock limit for the whole attempt
 * @param idleTimeout the attempt is stopped when the agent prints nothing for this long
 */
public record AgentLimits(Duration timeout, Duration idleTimeout) {

    public static final AgentLimits NONE = new AgentLimits(null, null);

    public AgentLimits {
        if (timeout != null) {
            ExecutionSettings.checkLimit("timeout", timeout);
        }
        if (idleTimeout != null) {
            ExecutionSettings.checkLimit("idle_timeout", idleTimeout);
        }
    }

    public boolean isNone() {
        return timeout == null && idleTimeout == null;
    }
}
