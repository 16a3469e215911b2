package io.switchboard.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.process.adapter.CommandAdapter;
import org.junit.jupiter.api.Test;

/** {@link ProcessGroupTest} with agents started through the JDK's ProcessBuilder and the {@code setsid} program. */
class ProcessGroupThroughSetsidTest extends ProcessGroupTest {
    @Override
    RunnerSettings settings() {
        return RunnerSettings.defaults().withNativeSpawn(false);
    }

    @Test
    void agentsStartThroughSetsid() {
        assertThat(new LocalAgentRunner(settings(), kind -> new CommandAdapter()).spawnMethod())
                .isEqualTo("ProcessBuilder through setsid");
    }
}
