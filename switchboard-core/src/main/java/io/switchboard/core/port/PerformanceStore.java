package io.switchboard.core.port;

import io.switchboard.core.performance.AgentPerformance;
import io.switchboard.core.performance.Difficulty;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Performance per agent × work type, updated from attempts (never from routing rows). */
public interface PerformanceStore {

    /** Every agent's record on one work type, by agent id; agents with no record are absent. */
    Map<UUID, AgentPerformance> forWorkType(String workType);

    /** Every record, ordered by agent name then work type. */
    List<AgentPerformance> all();

    /**
     * Folds one finished attempt into the agent's record on its work type, atomically.
     *
     * @param halfLife the decay applied to the earlier decayed counts
     * @return the record after the update
     */
    AgentPerformance recordOutcome(UUID agentId, String workType, boolean success, Instant finishedAt,
            Duration halfLife, long durationMs, long tokens, double cost, Difficulty difficulty);
}
