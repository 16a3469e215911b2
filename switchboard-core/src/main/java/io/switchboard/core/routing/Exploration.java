package io.switchboard.core.routing;

import io.switchboard.core.ConfigNamed;
import java.util.Optional;

/** Whether the router only exploits what it knows, or samples to learn about less-tried agents. */
public enum Exploration implements ConfigNamed {
    /** Use the posterior mean: the same inputs always give the same decision. */
    NONE("none"),
    /** Sample the success factor from each agent's Beta posterior with a seeded generator. */
    THOMPSON("thompson");

    private final String configName;

    Exploration(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    public static Optional<Exploration> fromConfigName(String name) {
        return ConfigNamed.find(values(), name);
    }

    @Override
    public String toString() {
        return configName;
    }
}
