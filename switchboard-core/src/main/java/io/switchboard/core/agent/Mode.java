package io.switchboard.core.agent;

import io.switchboard.core.ConfigNamed;
import java.util.Optional;

/** How far an agent may act on its own. Each adapter maps a mode to its CLI's own flags. */
public enum Mode implements ConfigNamed {
    /** Read-only: the agent proposes, it changes nothing. */
    PLAN("plan"),
    /** Edits files, asks for nothing risky. */
    AUTO("auto"),
    /** Edits files and runs commands. */
    FULL_AUTO("full-auto");

    private final String configName;

    Mode(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    public static Optional<Mode> fromConfigName(String name) {
        return ConfigNamed.find(values(), name);
    }

    @Override
    public String toString() {
        return configName;
    }
}
