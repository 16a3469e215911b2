package io.switchboard.core.agent;

import io.switchboard.core.ConfigNamed;
import java.util.Optional;

/** Where an agent runs, which the availability factor turns into a score. */
public enum Availability implements ConfigNamed {
    LOCAL("local"),
    REMOTE("remote"),
    OPTIONAL("optional");

    private final String configName;

    Availability(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    public static Optional<Availability> fromConfigName(String name) {
        return ConfigNamed.find(values(), name);
    }

    @Override
    public String toString() {
        return configName;
    }
}
