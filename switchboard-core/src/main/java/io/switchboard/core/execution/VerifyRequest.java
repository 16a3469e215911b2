package io.switchboard.core.execution;

import static io.switchboard.core.Require.require;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A task's verification command, run after the agent in the same working directory, under the same
 * supervision as an agent (argv only, own process group, timeout, bounded output, redaction, marker).
 *
 * @param argv the command, already split into words; never passed through a shell
 */
public record VerifyRequest(String taskId, int attempt, List<String> argv, Path workingDirectory,
        Map<String, String> environment, Set<String> secrets, Duration timeout, String marker) {

    public VerifyRequest {
        Objects.requireNonNull(taskId, "taskId");
        argv = List.copyOf(argv);
        require(!argv.isEmpty(), "a verify command must not be empty");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        environment = Map.copyOf(environment);
        secrets = Set.copyOf(secrets);
        Objects.requireNonNull(timeout, "timeout");
        require(timeout.isPositive(), "timeout must be more than zero, was %s", timeout);
        Objects.requireNonNull(marker, "marker");
    }
}
