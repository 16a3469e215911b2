package io.switchboard.core.task;

import java.util.Optional;

/** The broad kind of a task; its default work type is its config name. */
public enum TaskType {
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

    public String configName() {
        return configName;
    }

    public static Optional<TaskType> fromConfigName(String name) {
        for (TaskType type : values()) {
            if (type.configName.equalsIgnoreCase(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return configName;
    }
}
