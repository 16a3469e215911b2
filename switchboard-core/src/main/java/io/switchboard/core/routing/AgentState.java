package io.switchboard.core.routing;

import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.performance.AgentPerformance;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything the router knows about one agent at the moment of a decision.
 *
 * @param performance its record on the task's work type ({@link AgentPerformance#none} if it has none)
 * @param inFlight attempts it is running now (from attempts, never from decision rows)
 * @param cooldown the cooldown in force, or {@code null}
 * @param lastSuccess when it last succeeded at the task's work type, or {@code null}
 * @param reachable whether this orchestrator can send it work: {@code false} for a remote worker's agent when the
 *     orchestrator has no broker
 */
public record AgentState(RegisteredAgent agent, AgentPerformance performance, int inFlight, Cooldown cooldown,
        Instant lastSuccess, boolean reachable) {

    public AgentState {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(performance, "performance");
        if (inFlight < 0) {
            throw new IllegalArgumentException("in-flight count must be zero or more, was " + inFlight);
        }
    }

    /** An agent this orchestrator can send work to. */
    public AgentState(RegisteredAgent agent, AgentPerformance performance, int inFlight, Cooldown cooldown,
            Instant lastSuccess) {
        this(agent, performance, inFlight, cooldown, lastSuccess, true);
    }

    /** An idle agent with no history. */
    public static AgentState idle(RegisteredAgent agent, String workType) {
        return new AgentState(agent, AgentPerformance.none(agent.id(), workType), 0, null, null);
    }
}
