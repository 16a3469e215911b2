package io.switchboard.cli;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.port.AgentRunner;
import io.switchboard.process.LocalAgentRunner;
import io.switchboard.process.RunnerSettings;
import io.switchboard.process.adapter.Adapters;
import java.io.PrintWriter;
import java.util.Optional;

/** The runners the CLI wires: local subprocesses, supervised as the configuration says. */
final class Runners {
    private Runners() {
    }

    /**
     * The runner for this configuration. Where this host gives agents no process group of their own, says so once on
     * {@code err}: a stop then reaches the agent alone, not the processes it started.
     */
    static AgentRunner local(SwitchboardConfig config, PrintWriter err) {
        LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults()
                .withGracePeriod(config.execution().grace()), Adapters::of);
        uncontained(runner).ifPresent(warning -> {
            err.println("switchboard: warning: " + warning);
            err.flush();
        });
        return runner;
    }

    /** How this host's runner starts agents, in a line for {@code --version}. */
    static String containment(LocalAgentRunner runner) {
        return uncontained(runner).orElse("agents start with " + runner.spawnMethod()
                + ", each in a process group of its own");
    }

    /** Why agents are not contained here, when they are not. */
    static Optional<String> uncontained(LocalAgentRunner runner) {
        if (runner.ownProcessGroups()) {
            return Optional.empty();
        }
        return Optional.of("agents start with " + runner.spawnMethod() + " in Switchboard's own process group: this "
                + "host has neither posix_spawn for this JVM (Java 22 or later, Linux, native access) nor a setsid "
                + "program, so stopping an agent does not stop the processes it started (install util-linux for "
                + "setsid)");
    }
}
