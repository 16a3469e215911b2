package io.switchboard.core.agent;

import java.util.Optional;

/** Runtime status of a registered agent. It lives only in the store, never in config. */
public enum AgentStatus {
    ONLINE("online"),
    OFFLINE("offline"),
    BUSY("busy");

    private final String configName;

    AgentStatus(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static Optional<AgentStatus> fromConfigName(String name) {
        for (AgentStatus status : values()) {
            if (status.configName.equals(name)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return configName;
    }
}
