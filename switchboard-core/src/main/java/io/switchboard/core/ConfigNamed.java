package io.switchboard.core;

import java.util.Optional;

/**
 * A value users write by name in config, task files and on the command line ({@code full-auto},
 * {@code success_rate}, {@code multi-module}); every such enum finds its constants through here.
 */
public interface ConfigNamed {

    /** The name as users write it. */
    String configName();

    /** The constant whose name is exactly {@code name}. */
    static <E extends ConfigNamed> Optional<E> find(E[] values, String name) {
        for (E value : values) {
            if (value.configName().equals(name)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** The constant whose name is {@code name} in any letter case (for words people type in prose files). */
    static <E extends ConfigNamed> Optional<E> findIgnoringCase(E[] values, String name) {
        for (E value : values) {
            if (value.configName().equalsIgnoreCase(name)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
