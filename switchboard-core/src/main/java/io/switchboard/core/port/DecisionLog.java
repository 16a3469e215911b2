package io.switchboard.core.port;

import io.switchboard.core.routing.RoutingDecision;
import java.time.Instant;
import java.util.List;

/** The audit trail of routing decisions. A decision is durable when {@link #append} returns. */
public interface DecisionLog {

    /** Stores the decision whole and returns its id. */
    long append(RoutingDecision decision);

    /** Decisions matching every filter that is set, newest first. */
    List<StoredDecision> find(DecisionQuery query);

    /** A stored decision and the id the log gave it. */
    record StoredDecision(long id, RoutingDecision decision) {
    }

    /**
     * Filters for {@link #find}; {@code null} means any.
     *
     * @param agent decisions that chose this agent
     * @param since decisions made at or after this instant
     * @param limit at most this many (newest first)
     */
    record DecisionQuery(String taskId, String agent, String workType, Instant since, int limit) {
        public static final int DEFAULT_LIMIT = 50;

        public DecisionQuery {
            if (limit <= 0) {
                throw new IllegalArgumentException("limit must be more than zero, was " + limit);
            }
        }

        public static DecisionQuery all() {
            return new DecisionQuery(null, null, null, null, DEFAULT_LIMIT);
        }

        public DecisionQuery forTask(String id) {
            return new DecisionQuery(id, agent, workType, since, limit);
        }

        public DecisionQuery forAgent(String name) {
            return new DecisionQuery(taskId, name, workType, since, limit);
        }

        public DecisionQuery forWorkType(String type) {
            return new DecisionQuery(taskId, agent, type, since, limit);
        }

        public DecisionQuery since(Instant instant) {
            return new DecisionQuery(taskId, agent, workType, instant, limit);
        }

        public DecisionQuery limit(int max) {
            return new DecisionQuery(taskId, agent, workType, since, max);
        }
    }
}
