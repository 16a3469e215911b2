package io.switchboard.core.task;

import java.util.Optional;

/** How costly a mistake in this task would be. */
public enum Risk {
    LOW("low"),
    MEDIUM("medium"),
    HIGH("high");

    private final String configName;

    Risk(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static Optional<Risk> fromConfigName(String name) {
        for (Risk risk : values()) {
            if (risk.configName.equalsIgnoreCase(name)) {
                return Optional.of(risk);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return configName;
    }
}
