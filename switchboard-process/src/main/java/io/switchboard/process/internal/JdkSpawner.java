package io.switchboard.process.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts processes with the JDK's {@link ProcessBuilder}, through util-linux's {@code setsid} program when one is
 * given: the JDK starts its children without making them group leaders, so {@code setsid PROGRAM ARGS} calls
 * setsid(2) and execs PROGRAM in place, keeping the pid the JDK knows. That is a second exec for every process.
 */
final class JdkSpawner implements Spawner {
    private final Path setsid;

    /** @param setsid the {@code setsid} program, or {@code null} for processes that share this JVM's group */
    JdkSpawner(Path setsid) {
        this.setsid = setsid;
    }

    @Override
    public Process start(List<String> argv, Path directory, Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>(argv.size() + 1);
        if (setsid != null) {
            command.add(setsid.toString());
        }
        command.addAll(argv);
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder.start();
    }

    @Override
    public boolean ownSession() {
        return setsid != null;
    }

    @Override
    public String method() {
        return setsid == null ? "ProcessBuilder" : "ProcessBuilder through setsid";
    }
}
