package io.switchboard.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CLI started as a JVM of its own, with the tests' class path, so that a test can kill it for real (SIGKILL,
 * SIGTERM) while its agents run. Its standard output and error go to {@code NAME.out} and {@code NAME.err} in the
 * directory it runs in.
 */
final class ChildCli {
    private ChildCli() {
    }

    /** Starts {@code switchboard ARGS} in {@code directory}; the caller stops it. */
    static Process start(Path directory, String name, List<String> args) throws IOException {
        return start(directory, name, args, java.util.Map.of());
    }

    /** {@link #start(Path, String, List)} with these variables added to its environment. */
    static Process start(Path directory, String name, List<String> args, java.util.Map<String, String> env)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        // Native access as the CLI jar's manifest allows it: agents start as they do for a user (posix_spawn).
        List<String> argv = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        argv.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().putAll(env);
        return builder
                .directory(directory.toFile())
                .redirectOutput(directory.resolve(name + ".out").toFile())
                .redirectError(directory.resolve(name + ".err").toFile())
                .start();
    }
}
