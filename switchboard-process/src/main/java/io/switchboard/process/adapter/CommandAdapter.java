package io.switchboard.process.adapter;

import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.Usage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Any program named by an argv list in config, for in-house scripts and tests. The prompt goes on stdin,
 * unless an argument is exactly {@value #PROMPT_FILE}: that argument is then replaced by the path of a private
 * file holding the prompt. The output is plain text; exit status 0 is success. The profile's flags for the
 * mode follow the command.
 */
public final class CommandAdapter implements CliAdapter {
    /** The argument replaced by the prompt file's path. */
    public static final String PROMPT_FILE = "{prompt_file}";

    @Override
    public PromptDelivery promptDelivery(AgentProfile profile) {
        return profile.command().contains(PROMPT_FILE) ? PromptDelivery.FILE : PromptDelivery.STDIN;
    }

    @Override
    public List<String> argv(AgentProfile profile, Mode mode, boolean bypassPermissions, Path promptFile) {
        List<String> argv = new ArrayList<>();
        for (String word : profile.command()) {
            argv.add(word.equals(PROMPT_FILE) ? promptFile.toString() : word);
        }
        argv.addAll(profile.flagsFor(mode));
        return argv;
    }

    /** A command has no standard way to print its version. */
    @Override
    public List<String> versionArgv(AgentProfile profile) {
        return List.of();
    }

    @Override
    public OutputReader newReader() {
        return new OutputReader() {
            @Override
            public Usage line(String line, boolean truncated) {
                return null;
            }

            @Override
            public Reading finish(int exitCode, String stderrTail) {
                FailureInfo failure = exitCode == 0 ? null
                        : FailureInfo.of(FailureType.EXIT_CODE, "exited with status " + exitCode);
                return new Reading(failure, Usage.NONE, null, "");
            }
        };
    }
}
