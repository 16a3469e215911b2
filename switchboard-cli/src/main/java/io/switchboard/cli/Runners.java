package io.switchboard.cli;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.port.AgentRunner;
import io.switchboard.process.LocalAgentRunner;
import io.switchboard.process.RunnerSettings;
import io.switchboard.process.adapter.Adapters;

/** The runners the CLI wires: local subprocesses, supervised as the configuration says. */
final class Runners {
    private Runners() {
    }

    static AgentRunner local(SwitchboardConfig config) {
        return new LocalAgentRunner(RunnerSettings.defaults().withGracePeriod(config.execution().grace()), Adapters::of);
    }
}
