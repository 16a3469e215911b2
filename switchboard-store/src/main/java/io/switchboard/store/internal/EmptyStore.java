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

    // Execution methods: placeholders until the store implements them (next commit).
    @Override
    public io.switchboard.core.task.TaskStatus submit(io.switchboard.core.task.Task task,
            io.switchboard.core.task.TaskOptions options, boolean again, java.time.Instant now) {
        throw new UnsupportedOperationException("submit");
    }

    @Override
    public java.util.Optional<io.switchboard.core.task.Task> loadTask(String taskId) {
        throw new UnsupportedOperationException("loadTask");
    }

    @Override
    public java.util.Optional<io.switchboard.core.task.TaskOptions> taskOptions(String taskId) {
        throw new UnsupportedOperationException("taskOptions");
    }

    @Override
    public java.util.Optional<io.switchboard.core.task.TaskStatus> taskStatus(String taskId) {
        throw new UnsupportedOperationException("taskStatus");
    }

    @Override
    public boolean moveTask(String taskId, io.switchboard.core.attempt.TaskMove move, java.time.Instant now) {
        throw new UnsupportedOperationException("moveTask");
    }

    @Override
    public java.util.List<String> unfinishedTasks() {
        throw new UnsupportedOperationException("unfinishedTasks");
    }

    @Override
    public java.util.List<io.switchboard.core.attempt.AttemptRecord> attemptRecords(String taskId) {
        throw new UnsupportedOperationException("attemptRecords");
    }

    @Override
    public java.util.List<io.switchboard.core.attempt.AttemptRecord> inFlightAttempts() {
        throw new UnsupportedOperationException("inFlightAttempts");
    }

    @Override
    public java.util.List<io.switchboard.core.attempt.Transition> transitions(String taskId) {
        throw new UnsupportedOperationException("transitions");
    }

    @Override
    public RecentOutcomes recentOutcomes(java.util.UUID agentId, java.time.Instant since) {
        throw new UnsupportedOperationException("recentOutcomes");
    }

    @Override
    public double spentSince(java.time.Instant since) {
        throw new UnsupportedOperationException("spentSince");
    }

    @Override
    public void registerOrchestrator(io.switchboard.core.attempt.OrchestratorRecord orchestrator) {
        throw new UnsupportedOperationException("registerOrchestrator");
    }

    @Override
    public void endOrchestrator(String orchestratorId, java.time.Instant now) {
        throw new UnsupportedOperationException("endOrchestrator");
    }

    @Override
    public java.util.Optional<io.switchboard.core.attempt.OrchestratorRecord> orchestrator(String orchestratorId) {
        throw new UnsupportedOperationException("orchestrator");
    }

    @Override
    public void lift(java.util.UUID agentId) {
        throw new UnsupportedOperationException("lift");
    }

    @Override
    public io.switchboard.core.attempt.Attempt startAttempt(io.switchboard.core.attempt.AttemptStart start,
            java.time.Instant now) {
        return startAttempt(start.taskId(), start.agentId(), start.agentName(), start.mode(), start.workType(), now);
    }

    @Override
    public boolean finishAttempt(io.switchboard.core.attempt.AttemptOutcome outcome) {
        return finishAttempt(outcome.taskId(), outcome.number(), outcome.state(), outcome.finishedAt());
    }
}
