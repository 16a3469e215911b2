package io.switchboard.process.internal;

import io.switchboard.core.execution.RunObserver;
import io.switchboard.process.adapter.OutputReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One supervised process, everything decided before it starts.
 *
 * @param argv the command, its program already resolved to an absolute path
 * @param environment exactly what the process gets, the marker included
 * @param stdin the bytes written to its standard input before it is closed; {@code null} closes it at once
 * @param reader reads an agent's standard output line by line; {@code null} for plain text
 * @param maxCost stop with BUDGET past this spend; {@code null} for no limit
 * @param afterwards closed when the run is over (the prompt file), or {@code null}
 */
public record Launch(
        Purpose purpose,
        List<String> argv,
        Path workingDirectory,
        Map<String, String> environment,
        String marker,
        byte[] stdin,
        Duration timeout,
        Duration idleTimeout,
        Redaction redaction,
        OutputReader reader,
        Double maxCost,
        double pricePer1kTokens,
        RunObserver observer,
        String agentVersion,
        AutoCloseable afterwards) {

    /** What the process is for, which decides how its end is judged. */
    public enum Purpose {
        /** An agent: the adapter's reader judges a normal exit. */
        AGENT,
        /** A task's verification: exit status 0 passes, anything else is VERIFY_FAILED. */
        VERIFY,
        /** An agent's {@code --version}: only its output matters. */
        VERSION
    }

    public Launch {
        Objects.requireNonNull(purpose, "purpose");
        argv = List.copyOf(argv);
        environment = Map.copyOf(environment);
        observer = observer == null ? RunObserver.NONE : observer;
        agentVersion = agentVersion == null ? "" : agentVersion;
    }
}
