package io.switchboard.core.execution;

import static io.switchboard.core.Require.require;

import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Mode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One attempt for a runner to carry out: which agent, in which mode, on which prompt, where, and within which
 * limits. The runner passes exactly {@code environment} to the agent (plus the marker), nothing inherited.
 *
 * @param attempt the attempt number (the fencing token)
 * @param prompt the text the agent receives, on stdin or in a file, never on its command line
 * @param workingDirectory where the agent runs
 * @param environment every variable the agent gets, already filtered through the allow-list
 * @param secrets exact values to redact from everything kept or printed
 * @param timeout the wall-clock limit
 * @param idleTimeout the agent is stopped when it prints nothing for this long
 * @param maxCost dollars this attempt may spend before it is stopped with {@link FailureType#BUDGET}, for
 *     agents that report usage while they run; {@code null} for no limit
 * @param marker the value of {@link #MARKER_VARIABLE} given to the agent and everything it starts, so that
 *     escaped descendants can be found and stopped
 * @param bypassPermissions whether the configuration explicitly allows this agent to skip its CLI's permission
 *     checks in {@code full-auto} mode
 */
public record RunRequest(
        String taskId,
        int attempt,
        AgentProfile agent,
        Mode mode,
        String prompt,
        Path workingDirectory,
        Map<String, String> environment,
        Set<String> secrets,
        Duration timeout,
        Duration idleTimeout,
        Double maxCost,
        String marker,
        boolean bypassPermissions) {

    /** The environment variable that carries an attempt's marker. */
    public static final String MARKER_VARIABLE = "SWITCHBOARD_ATTEMPT";

    public RunRequest {
        Objects.requireNonNull(taskId, "taskId");
        require(attempt >= 1, "attempt numbers start at 1, was %s", attempt);
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        environment = Map.copyOf(environment);
        secrets = Set.copyOf(secrets);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        require(timeout.isPositive(), "timeout must be more than zero, was %s", timeout);
        require(idleTimeout.isPositive(), "idle timeout must be more than zero, was %s", idleTimeout);
        require(maxCost == null || maxCost >= 0, "max cost must be zero or more, was %s", maxCost);
        Objects.requireNonNull(marker, "marker");
    }
}
