package io.switchboard.core.attempt;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.task.Handoff;
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
 * @param packet the handoff packet given to the agent after the task's prompt, kept with the attempt; empty when
 *     it was given the prompt alone
 * @param handoff the pending handoff this attempt takes up, or {@code null}; the store refuses any other attempt
 *     of a task with a pending handoff
 */
public record AttemptStart(String taskId, UUID agentId, String agentName, Mode mode, String workType,
        Long decisionId, String orchestratorId, String marker, String agentVersion, String packet, Handoff handoff) {

    public AttemptStart {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(agentName, "agentName");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(workType, "workType");
        agentVersion = agentVersion == null ? "" : agentVersion;
        packet = packet == null ? "" : packet;
        if (handoff != null && !handoff.toAgent().equals(agentName)) {
            throw new IllegalArgumentException("an attempt on " + agentName + " cannot take up a handoff to "
                    + handoff.toAgent());
        }
    }

    /** A start with no packet that takes up no handoff. */
    public AttemptStart(String taskId, UUID agentId, String agentName, Mode mode, String workType, Long decisionId,
            String orchestratorId, String marker, String agentVersion) {
        this(taskId, agentId, agentName, mode, workType, decisionId, orchestratorId, marker, agentVersion, "", null);
    }

    public static AttemptStart of(String taskId, UUID agentId, String agentName, Mode mode, String workType) {
        return new AttemptStart(taskId, agentId, agentName, mode, workType, null, null, null, "");
    }
}
