package io.switchboard.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;

/**
 * What a command may touch of the world it runs in: its output streams, environment, working directory
 * and clock. Tests pass their own, so every command runs in-process.
 *
 * @param terminal whether a person watches the output on a terminal (live progress redraws one line);
 *     plain lines otherwise
 * @param ownsProcess whether the command runs as the whole process (the executable), so it may install
 *     handlers for SIGTERM and Ctrl-C; in-process tests run without
 */
record Shell(PrintWriter out, PrintWriter err, Map<String, String> env, Path workingDirectory, InstantSource clock,
        boolean terminal, boolean ownsProcess) {

    Shell(PrintWriter out, PrintWriter err, Map<String, String> env, Path workingDirectory, InstantSource clock) {
        this(out, err, env, workingDirectory, clock, false, false);
    }
}
