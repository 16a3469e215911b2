package io.switchboard.process.adapter;

import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Mode;
import java.nio.file.Path;
import java.util.List;

/**
 * What Switchboard knows about one agent CLI: its command line per mode, how it takes the prompt, how to ask
 * its version, and how to read its output. Each adapter keeps its flags in one place and has a test pinning
 * the exact argv it builds for every mode.
 *
 * <p>An agent's {@code command} in config, when given, replaces the program (for example a {@code claude}
 * installed elsewhere, or a stand-in script); the adapter's flags follow it. The profile's extra flags for the
 * mode come last.
 */
public interface CliAdapter {

    /** How the prompt reaches the agent. Never on its command line. */
    enum PromptDelivery {
        /** Written to the agent's standard input, which is then closed. */
        STDIN,
        /** Written to a private file whose path is on the command line (the path, not the prompt). */
        FILE
    }

    PromptDelivery promptDelivery(AgentProfile profile);

    /**
     * The argv for one run.
     *
     * @param bypassPermissions whether config explicitly allows skipping the CLI's permission checks in
     *     {@code full-auto}; without it, no adapter ever passes a bypass flag
     * @param promptFile where the prompt was written when {@link #promptDelivery} is FILE, else {@code null}
     */
    List<String> argv(AgentProfile profile, Mode mode, boolean bypassPermissions, Path promptFile);

    /** The argv that prints the CLI's version, or empty when the agent has no way to say. */
    List<String> versionArgv(AgentProfile profile);

    /** A fresh reader for one run's output. */
    OutputReader newReader();
}
