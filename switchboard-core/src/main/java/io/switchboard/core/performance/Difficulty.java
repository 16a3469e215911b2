package io.switchboard.core.performance;

import io.switchboard.core.ConfigNamed;
import java.util.Optional;

/** How hard the last execution of a work type turned out to be for an agent. */
public enum Difficulty implements ConfigNamed {
    STRAIGHTFORWARD("straightforward"),
    TRICKY("tricky"),
    FAILED("failed");

    private final String configName;

    Difficulty(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    public static Optional<Difficulty> fromConfigName(String name) {
        return ConfigNamed.find(values(), name);
    }
}
