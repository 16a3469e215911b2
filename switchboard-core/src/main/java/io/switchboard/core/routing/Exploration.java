package io.switchboard.core.routing;

import java.util.Optional;

/** Whether the router only exploits what it knows, or samples to learn about less-tried agents. */
public enum Exploration {
    /** Use the posterior mean: the same inputs always give the same decision. */
    NONE("none"),
    /** Sample the success factor from each agent's Beta posterior with a seeded generator. */
    THOMPSON("thompson");

    private final String configName;

    Exploration(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static Optional<Exploration> fromConfigName(String name) {
        for (Exploration exploration : values()) {
            if (exploration.configName.equals(name)) {
                return Optional.of(exploration);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return configName;
    }
}
