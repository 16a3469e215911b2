package io.switchboard.input.config;

import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.config.AgentLimits;
import io.switchboard.input.InputException;
import java.util.List;

/** One agent as a file declares it, with where it was declared and what only the runner needs. */
record AgentDeclaration(AgentProfile profile, String file, int line, String path, List<String> env,
        AgentLimits limits, boolean bypassPermissions) {

    String name() {
        return profile.name();
    }

    /** {@code switchboard.yaml:12}: what the CLI quotes when asked to remove an agent that config declares. */
    String origin() {
        return file + ":" + line;
    }

    InputException error(String problem) {
        return new InputException(file, line, path, problem);
    }
}
