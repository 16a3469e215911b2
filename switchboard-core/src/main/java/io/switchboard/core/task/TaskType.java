package io.switchboard.core.task;

import io.switchboard.core.ConfigNamed;
import java.util.Optional;

/** The broad kind of a task; its default work type is its config name. */
public enum TaskType implements ConfigNamed {
    DESIGN("design"),
    IMPLEMENT("implement"),
    FIX("fix"),
    REFACTOR("refactor"),
    REVIEW("review"),
    TEST("test"),
    DOCS("docs"),
    DEPLOY("deploy"),
    RESEARCH("research"),
    GENERAL("general");

    private final String configName;

    TaskType(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    public static Optional<TaskType> fromConfigName(String name) {
        return ConfigNamed.findIgnoringCase(values(), name);
    }

    @Override
    public String toString() {
        return configName;
    }
}
