package io.switchboard.core.task;

import io.switchboard.core.ConfigNamed;
import java.util.Optional;

/** How much of the code base a task touches, judged from the files it declares. */
public enum Scope implements ConfigNamed {
    /** No files declared. */
    UNKNOWN("unknown"),
    SINGLE_FILE("single-file"),
    /** Several files in one module (one top-level folder). */
    MODULE("module"),
    /** Files in several modules. */
    MULTI_MODULE("multi-module");

    private final String configName;

    Scope(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    public static Optional<Scope> fromConfigName(String name) {
        return ConfigNamed.findIgnoringCase(values(), name);
    }

    @Override
    public String toString() {
        return configName;
    }
}
