package io.switchboard.core.performance;

import java.util.Optional;

/** How hard the last execution of a work type turned out to be for an agent. */
public enum Difficulty {
    STRAIGHTFORWARD("straightforward"),
    TRICKY("tricky"),
    FAILED("failed");

    private final String configName;

    Difficulty(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static Optional<Difficulty> fromConfigName(String name) {
        for (Difficulty difficulty : values()) {
            if (difficulty.configName.equals(name)) {
                return Optional.of(difficulty);
            }
        }
        return Optional.empty();
    }
}
