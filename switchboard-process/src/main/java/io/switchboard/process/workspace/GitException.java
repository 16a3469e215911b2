package io.switchboard.process.workspace;

import java.nio.file.Path;
import java.util.List;

/**
 * A {@code git} command failed, timed out, or could not be started. The message names the command (without
 * the configuration options every command is given), the folder it ran in, and what git wrote to standard
 * error.
 */
public final class GitException extends WorkspaceException {
    private static final long serialVersionUID = 1L;

    /** {@link #exitCode()} of a command that did not run to its end (not started, or timed out). */
    public static final int NO_EXIT_CODE = -1;

    private final List<String> command;
    private final transient Path directory;
    private final int exitCode;
    private final String stderr;

    GitException(List<String> command, Path directory, int exitCode, String stderr, String message,
            Throwable cause) {
        super(message, cause);
        this.command = List.copyOf(command);
        this.directory = directory;
        this.exitCode = exitCode;
        this.stderr = stderr;
    }

    /** The command as a person would type it: {@code git merge --no-ff switchboard/a}. */
    public List<String> command() {
        return command;
    }

    public Path directory() {
        return directory;
    }

    /** Git's exit status, or {@link #NO_EXIT_CODE} when it did not run to its end. */
    public int exitCode() {
        return exitCode;
    }

    /** What git wrote to standard error, trimmed (empty when it did not run). */
    public String stderr() {
        return stderr;
    }
}
