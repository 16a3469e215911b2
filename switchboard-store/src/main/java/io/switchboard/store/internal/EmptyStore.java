package io.switchboard.store.internal;

import io.switchboard.core.agent.AgentOrigin;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.AgentStatus;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.performance.AgentPerformance;
import io.switchboard.core.performance.Difficulty;
import io.switchboard.core.routing.Cooldown;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.task.Task;
import io.switchboard.store.Store;
import io.switchboard.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A database that does not exist yet, opened read-only (a dry run before anything was ever stored): every
 * read finds nothing and every write is refused, as on a read-only database.
 */
public final class EmptyStore implements Store {

    @Override
    public List<RegisteredAgent> agents() {
        return List.of();
    }

    @Override
    public Optional<RegisteredAgent> find(String name) {
        return Optional.empty();
    }

    @Override
    public RegisteredAgent register(AgentProfile profile, AgentOrigin origin, Instant now) {
        throw readOnly();
    }

    @Override
    public SyncReport sync(List<AgentProfile> declared, Instant now) {
        throw readOnly();
    }

    @Override
    public boolean remove(String name) {
        throw readOnly();
    }

    @Override
    public boolean setStatus(String name, AgentStatus status, Instant now) {
        throw readOnly();
    }

    @Override
    public boolean heartbeat(String name, Instant now) {
        throw readOnly();
    }

    @Override
    public Map<UUID, AgentPerformance> forWorkType(String workType) {
        return Map.of();
    }

    @Override
    public List<AgentPerformance> all() {
        return List.of();
    }

    @Override
    public AgentPerformance recordOutcome(UUID agentId, String workType, boolean success, Instant finishedAt,
            Duration halfLife, long durationMs, long tokens, double cost, Difficulty difficulty) {
        throw readOnly();
    }

    @Override
    public void saveTask(Task task, Instant now) {
        throw readOnly();
    }

    @Override
    public Optional<TaskSummary> findTask(String taskId) {
        return Optional.empty();
    }

    @Override
    public Attempt startAttempt(String taskId, UUID agentId, String agentName, Mode mode, String workType,
            Instant now) {
        throw readOnly();
    }

    @Override
    public boolean finishAttempt(String taskId, int number, AttemptState state, Instant now) {
        throw readOnly();
    }

    @Override
    public List<Attempt> attempts(String taskId) {
        return List.of();
    }

    @Override
    public Map<UUID, Integer> inFlightByAgent() {
        return Map.of();
    }

    @Override
    public Map<UUID, Instant> lastSuccessByAgent(String workType, Instant since) {
        return Map.of();
    }

    @Override
    public Set<String> agentsThatFailed(String taskId) {
        return Set.of();
    }

    @Override
    public void coolDown(Cooldown cooldown) {
        throw readOnly();
    }

    @Override
    public Map<UUID, Cooldown> active(Instant now) {
        return Map.of();
    }

    @Override
    public long append(RoutingDecision decision) {
        throw readOnly();
    }

    @Override
    public List<StoredDecision> find(DecisionQuery query) {
        return List.of();
    }

    private static StoreException readOnly() {
        return new StoreException("The store was opened read-only; nothing can be written to it");
    }
}
