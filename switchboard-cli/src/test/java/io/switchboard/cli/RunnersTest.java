package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.process.LocalAgentRunner;
import io.switchboard.process.RunnerSettings;
import io.switchboard.process.adapter.Adapters;
import org.junit.jupiter.api.Test;

class RunnersTest {

    @Test
    void aRunnerThatGivesAgentsNoGroupOfTheirOwnIsNamedWithWhatAStopMisses() {
        LocalAgentRunner uncontained = new LocalAgentRunner(RunnerSettings.defaults().withNewProcessGroup(false),
                Adapters::of);

        assertThat(Runners.uncontained(uncontained)).hasValueSatisfying(warning -> assertThat(warning)
                .contains("ProcessBuilder", "Switchboard's own process group", "does not stop the processes it "
                        + "started", "setsid"));
        assertThat(Runners.containment(uncontained)).isEqualTo(Runners.uncontained(uncontained).orElseThrow());
    }

    @Test
    void thisHostsRunnerGivesEachAgentAGroupAndSaysHowItStartsThem() {
        // Linux with setsid, or Java 22+ with native access: every host the tests run on (ProcessGroupTest).
        LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults(), Adapters::of);

        assertThat(Runners.uncontained(runner)).isEmpty();
        assertThat(Runners.containment(runner)).isEqualTo("agents start with " + runner.spawnMethod()
                + ", each in a process group of its own");
    }

    @Test
    void theVersionSaysHowAgentsStartHere() {
        String[] lines = new VersionProvider().getVersion();

        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("switchboard ");
        assertThat(lines[2]).startsWith("agents start with ").contains("process group");
    }
}
