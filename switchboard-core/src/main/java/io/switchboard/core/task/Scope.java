package io.switchboard.core.task;

import java.util.Optional;

/** How much of the code base a task touches, judged from the files it declares. */
public enum Scope {
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

    public String configName() {
        return configName;
    }

    public static Optional<Scope> fromConfigName(String name) {
        for (Scope scope : values()) {
            if (scope.configName.equalsIgnoreCase(name)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return configName;
    }
}
