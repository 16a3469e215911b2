package io.switchboard.store.internal;

import io.switchboard.core.agent.AgentOrigin;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.AgentStatus;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptOutcome;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptStart;
import io.switchboard.core.attempt.DecidedStart;
import io.switchboard.core.attempt.OrchestratorRecord;
import io.switchboard.core.attempt.StartResult;
import io.switchboard.core.attempt.TaskMove;
import io.switchboard.core.attempt.Transition;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.performance.AgentPerformance;
import io.switchboard.core.performance.Difficulty;
import io.switchboard.core.remote.AttemptKey;
import io.switchboard.core.remote.OutboxRow;
import io.switchboard.core.remote.RemoteAttempt;
import io.switchboard.core.remote.ReportedResult;
import io.switchboard.core.remote.WorkMessage;
import io.switchboard.core.routing.Cooldown;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.task.Handoff;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskStatus;
import io.switchboard.core.workflow.StepRun;
import io.switchboard.core.workflow.StepRunState;
import io.switchboard.core.workflow.WorkflowRun;
import io.switchboard.core.workflow.WorkflowRunState;
import io.switchboard.store.Store;
import io.switchboard.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

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
    public List<Attempt> attempts(String taskId) {
        return List.of();
    }

    @Override
    public Map<UUID, Integer> inFlightByAgent() {
        return Map.of();
    }

    @Override
    public Map<UUID, Integer> inFlightByAgentOfOthers(String orchestratorId) {
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

    @Override
    public TaskStatus submit(Task task, TaskOptions options, boolean again, Instant now) {
        throw readOnly();
    }

    @Override
    public Optional<Task> loadTask(String taskId) {
        return Optional.empty();
    }

    @Override
    public Optional<TaskOptions> taskOptions(String taskId) {
        return Optional.empty();
    }

    @Override
    public Optional<TaskStatus> taskStatus(String taskId) {
        return Optional.empty();
    }

    @Override
    public boolean moveTask(String taskId, TaskMove move, Instant now) {
        throw readOnly();
    }

    @Override
    public boolean moveTaskFrom(String taskId, Set<TaskState> from, TaskMove move, Instant now) {
        throw readOnly();
    }

    @Override
    public List<String> unfinishedTasks() {
        return List.of();
    }

    @Override
    public List<String> planTasks(String planRun) {
        return List.of();
    }

    @Override
    public Attempt startAttempt(AttemptStart start, Instant now) {
        throw readOnly();
    }

    @Override
    public List<StartResult> startAttempts(List<DecidedStart> starts, Instant now) {
        throw readOnly();
    }

    @Override
    public boolean finishAttempt(AttemptOutcome outcome) {
        throw readOnly();
    }

    @Override
    public List<AttemptRecord> attemptRecords(String taskId) {
        return List.of();
    }

    @Override
    public List<AttemptRecord> inFlightAttempts() {
        return List.of();
    }

    @Override
    public List<Transition> transitions(String taskId) {
        return List.of();
    }

    @Override
    public RecentOutcomes recentOutcomes(UUID agentId, Instant since) {
        return new RecentOutcomes(0, 0);
    }

    @Override
    public double spentSince(Instant since) {
        return 0;
    }

    @Override
    public Optional<AttemptRecord> requestHandoff(String taskId, Handoff handoff) {
        throw readOnly();
    }

    @Override
    public Optional<Handoff> handoff(String taskId) {
        return Optional.empty();
    }

    @Override
    public boolean withdrawHandoff(String taskId, Handoff handoff) {
        throw readOnly();
    }

    @Override
    public void registerOrchestrator(OrchestratorRecord orchestrator) {
        throw readOnly();
    }

    @Override
    public void endOrchestrator(String orchestratorId, Instant now) {
        throw readOnly();
    }

    @Override
    public Optional<OrchestratorRecord> orchestrator(String orchestratorId) {
        return Optional.empty();
    }

    @Override
    public void lift(UUID agentId) {
        throw readOnly();
    }

    @Override
    public WorkflowRun createRun(WorkflowRun.New run, Instant now) {
        throw readOnly();
    }

    @Override
    public Optional<WorkflowRun> workflowRun(String runId) {
        return Optional.empty();
    }

    @Override
    public Optional<WorkflowRun> latestRun(String base) {
        return Optional.empty();
    }

    @Override
    public List<String> unfinishedRuns() {
        return List.of();
    }

    @Override
    public boolean claimRun(String runId, String orchestratorId, Instant now) {
        throw readOnly();
    }

    @Override
    public boolean finishRun(String runId, WorkflowRunState state, String reason, Instant now) {
        throw readOnly();
    }

    @Override
    public StepRun startStep(StepRun.Start start, Instant now) {
        throw readOnly();
    }

    @Override
    public boolean handOffStep(String runId, String stepId, int iteration, Task task, TaskOptions options,
            Instant now) {
        throw readOnly();
    }

    @Override
    public boolean finishStep(String runId, String stepId, int iteration, StepRunState state, String reason,
            String output, Instant now) {
        throw readOnly();
    }

    @Override
    public List<StepRun> steps(String runId) {
        return List.of();
    }

    @Override
    public Optional<StepRun> stepOfTask(String taskId) {
        return Optional.empty();
    }

    @Override
    public long enqueue(WorkMessage message, Instant now) {
        throw readOnly();
    }

    @Override
    public Attempt startAttempt(AttemptStart start, Instant now, Duration claimWithin,
            Function<Attempt, WorkMessage> message) {
        throw readOnly();
    }

    @Override
    public List<OutboxRow> claimPending(String relayId, int limit, Duration hold, Instant now) {
        throw readOnly();
    }

    @Override
    public int renewClaims(String relayId, Duration hold) {
        throw readOnly();
    }

    @Override
    public int releaseClaims(String relayId) {
        throw readOnly();
    }

    @Override
    public List<OutboxRow> pending(int limit) {
        return List.of();
    }

    @Override
    public void publishing(Collection<Long> ids, Instant now) {
        throw readOnly();
    }

    @Override
    public int removeSent(Collection<Long> ids) {
        throw readOnly();
    }

    @Override
    public List<OutboxRow> removeSentAndClaim(Collection<Long> sent, String relayId, int limit, Duration hold,
            Instant now) {
        throw readOnly();
    }

    @Override
    public long countPending() {
        return 0;
    }

    @Override
    public Registration registerWorker(String workerId, List<AgentProfile> agents, Duration staleAfter) {
        throw readOnly();
    }

    @Override
    public int beat(String workerId) {
        throw readOnly();
    }

    @Override
    public int leave(String workerId) {
        throw readOnly();
    }

    @Override
    public Instant databaseNow() {
        // With no database there is no database clock; nothing is registered to judge by it either.
        throw new StoreException("There is no database yet, so no database clock to read");
    }

    @Override
    public Claim claim(AttemptKey attempt, String workerId, Duration lease) {
        throw readOnly();
    }

    @Override
    public Set<AttemptKey> renew(String workerId, Duration lease) {
        throw readOnly();
    }

    @Override
    public Report report(AttemptKey attempt, String workerId, RunResult result) {
        throw readOnly();
    }

    @Override
    public Optional<RemoteAttempt> remoteAttempt(AttemptKey attempt) {
        return Optional.empty();
    }

    @Override
    public List<RemoteAttempt> expire(String orchestratorId) {
        throw readOnly();
    }

    @Override
    public Optional<RemoteAttempt> revoke(AttemptKey attempt) {
        return Optional.empty();
    }

    @Override
    public List<ReportedResult> reportedResults(String taskId) {
        return List.of();
    }

    @Override
    public boolean beatOrchestrator(String orchestratorId, Duration staleAfter) {
        throw readOnly();
    }

    @Override
    public List<String> claimTasks(String orchestratorId, int limit, Instant now) {
        throw readOnly();
    }

    @Override
    public boolean claimTask(String taskId, String orchestratorId) {
        throw readOnly();
    }

    @Override
    public List<String> claimedTasks(String orchestratorId) {
        return List.of();
    }

    @Override
    public int releaseTasks(String orchestratorId) {
        throw readOnly();
    }

    @Override
    public List<AttemptRecord> orphanedAttempts() {
        return List.of();
    }

    private static StoreException readOnly() {
        return new StoreException("The store was opened read-only; nothing can be written to it");
    }
}
