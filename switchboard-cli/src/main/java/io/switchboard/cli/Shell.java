package io.switchboard.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;

/**
 * What a command may touch of the world it runs in: its output streams, environment, working directory
 * and clock. Tests pass their own, so every command runs in-process.
 */
record Shell(PrintWriter out, PrintWriter err, Map<String, String> env, Path workingDirectory, InstantSource clock) {
}
