package io.switchboard.core.task;

import io.switchboard.core.ConfigNamed;
import java.util.Optional;

/** How costly a mistake in this task would be. */
public enum Risk implements ConfigNamed {
    LOW("low"),
    MEDIUM("medium"),
    HIGH("high");

    private final String configName;

    Risk(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    public static Optional<Risk> fromConfigName(String name) {
        return ConfigNamed.findIgnoringCase(values(), name);
    }

    @Override
    public String toString() {
        return configName;
    }
}
