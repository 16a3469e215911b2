package io.switchboard.core.agent;

import java.util.Optional;

/** Where an agent runs, which the availability factor turns into a score. */
public enum Availability {
    LOCAL("local"),
    REMOTE("remote"),
    OPTIONAL("optional");

    private final String configName;

    Availability(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static Optional<Availability> fromConfigName(String name) {
        for (Availability availability : values()) {
            if (availability.configName.equals(name)) {
                return Optional.of(availability);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return configName;
    }
}
