package io.switchboard.core.attempt;

import io.switchboard.core.remote.WorkMessage;
import io.switchboard.core.routing.RoutingDecision;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * A routing decision to record and, when it chose an agent, the attempt it starts: one item of
 * {@link io.switchboard.core.port.TaskStore#startAttempts}, which records many in one transaction.
 *
 * @param decision the decision, appended to the decision log as {@link io.switchboard.core.port.DecisionLog#append}
 *     does
 * @param start the attempt the decision starts, whose {@code decisionId} the store sets to the decision's id (what the
 *     start carries there is ignored); {@code null} when the decision alone is recorded (no agent could take the task)
 * @param send for an attempt on a remote worker's agent, the message to add to the outbox with it; {@code null} for an
 *     attempt run here
 */
public record DecidedStart(RoutingDecision decision, AttemptStart start, Send send) {
    public DecidedStart {
        Objects.requireNonNull(decision, "decision");
        if (start != null && !start.taskId().equals(decision.taskId())) {
            throw new IllegalArgumentException("the attempt of task " + start.taskId() + " cannot start on the decision"
                    + " for task " + decision.taskId());
        }
        if (send != null && start == null) {
            throw new IllegalArgumentException("task " + decision.taskId() + ": a message is sent only with an attempt");
        }
    }

    /** A decision recorded alone. */
    public static DecidedStart only(RoutingDecision decision) {
        return new DecidedStart(decision, null, null);
    }

    /** The start with the decision's id in place of whatever it carried. */
    public AttemptStart startWith(long decisionId) {
        return new AttemptStart(start.taskId(), start.agentId(), start.agentName(), start.mode(), start.workType(),
                decisionId, start.orchestratorId(), start.marker(), start.agentVersion(), start.packet(),
                start.handoff());
    }

    /**
     * How a remote attempt is sent, as {@link io.switchboard.core.port.Outbox#startAttempt} takes it: the message made
     * from the started attempt, and how long a worker has to claim it.
     */
    public record Send(Duration claimWithin, Function<Attempt, WorkMessage> message) {
        public Send {
            Objects.requireNonNull(claimWithin, "claimWithin");
            Objects.requireNonNull(message, "message");
        }
    }
}
