package io.switchboard.process.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Starts a process with exactly the given argv, working directory and environment; standard input, output and
 * error are pipes to this JVM. The supervisor's one way to start anything, chosen once per runner by
 * {@link Spawners#choose}.
 */
interface Spawner {
    /**
     * Starts {@code argv}; the program is looked up on this JVM's {@code PATH} when it has no slash, as
     * {@link ProcessBuilder} does.
     *
     * @throws IOException when the process cannot be started; the message names the program, and the directory
     *     when it was given
     */
    Process start(List<String> argv, Path directory, Map<String, String> environment) throws IOException;

    /** Whether each process started leads a session, and so a process group, of its own. */
    boolean ownSession();

    /** How processes are started, for a person reading figures or a diagnosis: {@code posix_spawn}, …. */
    String method();
}
