package io.switchboard.core.workflow;

import io.switchboard.core.ConfigNamed;
import java.util.Optional;

/** Where one iteration of a step stands. */
public enum StepRunState implements ConfigNamed {
    /** Its task was created; it runs, waits, or waits for {@code resume}. Its result is not committed. */
    RUNNING("running"),
    /** Its task succeeded and its output is committed: it is never run again. */
    SUCCEEDED("succeeded"),
    /** Its task failed for good (after its retries or its handoff), or its output could not be read. */
    FAILED("failed");

    private final String configName;

    StepRunState(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    public static Optional<StepRunState> fromConfigName(String name) {
        return ConfigNamed.find(values(), name);
    }
}
