package io.switchboard.core.agent;

import io.switchboard.core.ConfigNamed;
import java.util.Optional;

/** Runtime status of a registered agent. It lives only in the store, never in config. */
public enum AgentStatus implements ConfigNamed {
    ONLINE("online"),
    OFFLINE("offline"),
    BUSY("busy");

    private final String configName;

    AgentStatus(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    public static Optional<AgentStatus> fromConfigName(String name) {
        return ConfigNamed.find(values(), name);
    }

    @Override
    public String toString() {
        return configName;
    }
}
