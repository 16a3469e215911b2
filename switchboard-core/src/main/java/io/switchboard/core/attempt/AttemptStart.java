package io.switchboard.core.attempt;

import io.switchboard.core.agent.Mode;
import java.util.Objects;
import java.util.UUID;

/**
 * What is known when an attempt starts.
 *
 * @param decisionId the routing decision that chose the agent, or {@code null}
 * @param orchestratorId the orchestrator that runs the attempt (see {@link OrchestratorRecord}), or
 *     {@code null}
 * @param marker the value of the attempt's marker variable, or {@code null}
 * @param agentVersion what the agent's CLI printed for {@code --version}, or empty
 */
public record AttemptStart(String taskId, UUID agentId, String agentName, Mode mode, String workType,
        Long decisionId, String orchestratorId, String marker, String agentVersion) {

    public AttemptStart {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(agentName, "agentName");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(workType, "workType");
        agentVersion = agentVersion == null ? "" : agentVersion;
    }

    public static AttemptStart of(String taskId, UUID agentId, String agentName, Mode mode, String workType) {
        return new AttemptStart(taskId, agentId, agentName, mode, workType, null, null, null, "");
    }
}
