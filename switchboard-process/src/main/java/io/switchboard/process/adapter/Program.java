package io.switchboard.process.adapter;

import io.switchboard.core.agent.AgentProfile;
import java.util.ArrayList;
import java.util.List;

/** The words that start an agent CLI: the profile's {@code command} when it has one, else the CLI's own name. */
final class Program {
    private Program() {
    }

    /** A new, modifiable list holding the program words, for the adapter to append its flags to. */
    static List<String> of(AgentProfile profile, String defaultProgram) {
        return new ArrayList<>(profile.command().isEmpty() ? List.of(defaultProgram) : profile.command());
    }

    /** The program followed by {@code --version}. */
    static List<String> version(AgentProfile profile, String defaultProgram) {
        List<String> argv = of(profile, defaultProgram);
        argv.add("--version");
        return List.copyOf(argv);
    }
}
