package io.switchboard.core.port;

import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.task.Task;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Tasks and their attempts, as far as routing needs them: in-flight load and recent context are read from
 * attempts, never from decision rows.
 */
public interface TaskStore {

    /** Stores the task, or updates it when one of that id exists. */
    void saveTask(Task task, Instant now);

    /** The id, title and work type of a stored task. */
    Optional<TaskSummary> findTask(String taskId);

    /**
     * Starts the next attempt of a task on an agent. The number is one more than the task's highest.
     *
     * @throws IllegalStateException when the task is not stored
     */
    Attempt startAttempt(String taskId, UUID agentId, String agentName, io.switchboard.core.agent.Mode mode,
            String workType, Instant now);

    /**
     * Moves an in-flight attempt to a final state, guarded by its number (the fencing token).
     *
     * @return whether the attempt existed and was still in flight
     */
    boolean finishAttempt(String taskId, int number, AttemptState state, Instant now);

    List<Attempt> attempts(String taskId);

    /** In-flight attempts per agent id; idle agents are absent. */
    Map<UUID, Integer> inFlightByAgent();

    /** Per agent id, its latest success at this work type finished at or after {@code since}. */
    Map<UUID, Instant> lastSuccessByAgent(String workType, Instant since);

    /** Names of the agents whose attempts at this task failed, timed out or were abandoned. */
    Set<String> agentsThatFailed(String taskId);

    /** What the store keeps of a task itself. */
    record TaskSummary(String id, String title, String workType) {
    }
}
