package io.switchboard.core.workflow;

import io.switchboard.core.ConfigNamed;
import java.util.Optional;

/** Where a run of a workflow stands. A run that was stopped or whose orchestrator died stays {@link #RUNNING}. */
public enum WorkflowRunState implements ConfigNamed {
    /** Started and not ended: running now, or waiting for {@code resume}. */
    RUNNING("running"),
    /** Every step finished and every loop ended with an approval. */
    SUCCEEDED("succeeded"),
    /** A step failed, or a loop reached its bound without an approval; the work done stays. */
    FAILED("failed");

    private final String configName;

    WorkflowRunState(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    public static Optional<WorkflowRunState> fromConfigName(String name) {
        return ConfigNamed.find(values(), name);
    }

    public boolean isFinal() {
        return this != RUNNING;
    }
}
