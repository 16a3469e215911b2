package io.switchboard.testkit.store;

import io.switchboard.core.agent.AgentOrigin;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.AgentStatus;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.performance.AgentPerformance;
import io.switchboard.core.performance.Difficulty;
import io.switchboard.core.port.AgentDirectory;
import io.switchboard.core.port.CooldownStore;
import io.switchboard.core.port.DecisionLog;
import io.switchboard.core.port.PerformanceStore;
import io.switchboard.core.port.TaskStore;
import io.switchboard.core.routing.Cooldown;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * All five store ports in memory: the reference the contract suites are written against, and the store core
 * tests use. Every method holds one lock, so each call is atomic. Instants are kept to the millisecond, as a
 * database keeps them.
 */
public final class InMemoryStore implements AgentDirectory, PerformanceStore, TaskStore, CooldownStore, DecisionLog {

    /** An agent and whether config sync set it offline because it is no longer declared. */
    private record Entry(RegisteredAgent agent, boolean retired) {
    }

    private record PerformanceKey(UUID agentId, String workType) {
    }

    private final TreeMap<String, Entry> agents = new TreeMap<>();
    private final Map<PerformanceKey, AgentPerformance> performance = new HashMap<>();
    private final Map<String, TaskSummary> tasks = new HashMap<>();
    private final Map<String, List<Attempt>> attempts = new HashMap<>();
    private final Map<UUID, Cooldown> cooldowns = new HashMap<>();
    private final List<StoredDecision> decisions = new ArrayList<>();
    private long lastDecisionId;

    // ---- AgentDirectory

    @Override
    public synchronized List<RegisteredAgent> agents() {
        return agents.values().stream().map(Entry::agent).toList();
    }

    @Override
    public synchronized Optional<RegisteredAgent> find(String name) {
        return Optional.ofNullable(agents.get(name)).map(Entry::agent);
    }

    @Override
    public synchronized RegisteredAgent register(AgentProfile profile, AgentOrigin origin, Instant now) {
        Entry existing = agents.get(profile.name());
        Entry entry = existing == null
                ? new Entry(new RegisteredAgent(UUID.randomUUID(), profile, AgentStatus.ONLINE, null, origin), false)
                : new Entry(existing.agent().withProfile(profile), existing.retired());
        agents.put(profile.name(), entry);
        return entry.agent();
    }

    @Override
    public synchronized SyncReport sync(List<AgentProfile> declared, Instant now) {
        List<String> added = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> retired = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (AgentProfile profile : declared) {
            names.add(profile.name());
            Entry existing = agents.get(profile.name());
            if (existing == null) {
                register(profile, AgentOrigin.CONFIG, now);
                added.add(profile.name());
            } else if (existing.agent().origin() == AgentOrigin.CONFIG) {
                RegisteredAgent agent = existing.agent().withProfile(profile);
                if (existing.retired()) {
                    agent = agent.withStatus(AgentStatus.ONLINE);
                }
                if (existing.retired() || !existing.agent().profile().equals(profile)) {
                    updated.add(profile.name());
                }
                agents.put(profile.name(), new Entry(agent, false));
            }
        }
        for (Entry entry : List.copyOf(agents.values())) {
            RegisteredAgent agent = entry.agent();
            if (agent.origin() == AgentOrigin.CONFIG && !entry.retired() && !names.contains(agent.name())) {
                agents.put(agent.name(), new Entry(agent.withStatus(AgentStatus.OFFLINE), true));
                retired.add(agent.name());
            }
        }
        return new SyncReport(added, updated, retired);
    }

    @Override
    public synchronized boolean remove(String name) {
        Entry removed = agents.remove(name);
        if (removed == null) {
            return false;
        }
        UUID id = removed.agent().id();
        performance.keySet().removeIf(key -> key.agentId().equals(id));
        cooldowns.remove(id);
        return true;
    }

    @Override
    public synchronized boolean setStatus(String name, AgentStatus status, Instant now) {
        Entry entry = agents.get(name);
        if (entry == null) {
            return false;
        }
        agents.put(name, new Entry(entry.agent().withStatus(status), false));
        return true;
    }

    @Override
    public synchronized boolean heartbeat(String name, Instant now) {
        Entry entry = agents.get(name);
        if (entry == null) {
            return false;
        }
        RegisteredAgent agent = entry.agent();
        agents.put(name, new Entry(new RegisteredAgent(agent.id(), agent.profile(), agent.status(), millis(now),
                agent.origin()), entry.retired()));
        return true;
    }

    // ---- PerformanceStore

    @Override
    public synchronized Map<UUID, AgentPerformance> forWorkType(String workType) {
        Map<UUID, AgentPerformance> records = new HashMap<>();
        performance.forEach((key, record) -> {
            if (key.workType().equals(workType)) {
                records.put(key.agentId(), record);
            }
        });
        return records;
    }

    @Override
    public synchronized List<AgentPerformance> all() {
        Map<UUID, String> names = new HashMap<>();
        agents.values().forEach(entry -> names.put(entry.agent().id(), entry.agent().name()));
        return performance.values().stream()
                .sorted(Comparator.comparing((AgentPerformance record) -> names.get(record.agentId()))
                        .thenComparing(AgentPerformance::workType))
                .toList();
    }

    @Override
    public synchronized AgentPerformance recordOutcome(UUID agentId, String workType, boolean success,
            Instant finishedAt, Duration halfLife, long durationMs, long tokens, double cost, Difficulty difficulty) {
        requireAgent(agentId);
        PerformanceKey key = new PerformanceKey(agentId, workType);
        AgentPerformance next = performance.getOrDefault(key, AgentPerformance.none(agentId, workType))
                .plus(success, millis(finishedAt), halfLife, durationMs, tokens, cost, difficulty);
        performance.put(key, next);
        return next;
    }

    // ---- TaskStore

    @Override
    public synchronized void saveTask(Task task, Instant now) {
        tasks.put(task.id(), new TaskSummary(task.id(), task.title(), task.traits().workType()));
    }

    @Override
    public synchronized Optional<TaskSummary> findTask(String taskId) {
        return Optional.ofNullable(tasks.get(taskId));
    }

    @Override
    public synchronized Attempt startAttempt(String taskId, UUID agentId, String agentName, Mode mode,
            String workType, Instant now) {
        if (!tasks.containsKey(taskId)) {
            throw new IllegalStateException("no task " + taskId + " is stored");
        }
        List<Attempt> list = attempts.computeIfAbsent(taskId, id -> new ArrayList<>());
        int number = list.stream().mapToInt(Attempt::number).max().orElse(0) + 1;
        Attempt attempt = new Attempt(taskId, number, agentId, agentName, mode, workType, AttemptState.RUNNING,
                millis(now), null);
        list.add(attempt);
        return attempt;
    }

    @Override
    public synchronized boolean finishAttempt(String taskId, int number, AttemptState state, Instant now) {
        requireFinal(state);
        List<Attempt> list = attempts.getOrDefault(taskId, List.of());
        for (int i = 0; i < list.size(); i++) {
            Attempt attempt = list.get(i);
            if (attempt.number() == number && attempt.state().inFlight()) {
                list.set(i, new Attempt(taskId, number, attempt.agentId(), attempt.agentName(), attempt.mode(),
                        attempt.workType(), state, attempt.startedAt(), millis(now)));
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized List<Attempt> attempts(String taskId) {
        return attempts.getOrDefault(taskId, List.of()).stream()
                .sorted(Comparator.comparingInt(Attempt::number))
                .toList();
    }

    @Override
    public synchronized Map<UUID, Integer> inFlightByAgent() {
        Map<UUID, Integer> counts = new HashMap<>();
        allAttempts().stream()
                .filter(attempt -> attempt.state().inFlight())
                .forEach(attempt -> counts.merge(attempt.agentId(), 1, Integer::sum));
        return counts;
    }

    @Override
    public synchronized Map<UUID, Instant> lastSuccessByAgent(String workType, Instant since) {
        Map<UUID, Instant> latest = new HashMap<>();
        allAttempts().stream()
                .filter(attempt -> attempt.state() == AttemptState.SUCCEEDED
                        && attempt.workType().equals(workType)
                        && !attempt.finishedAt().isBefore(since))
                .forEach(attempt -> latest.merge(attempt.agentId(), attempt.finishedAt(),
                        (a, b) -> a.isAfter(b) ? a : b));
        return latest;
    }

    @Override
    public synchronized Set<String> agentsThatFailed(String taskId) {
        Set<String> names = new TreeSet<>();
        attempts.getOrDefault(taskId, List.of()).stream()
                .filter(attempt -> attempt.state().failedTheTask())
                .forEach(attempt -> names.add(attempt.agentName()));
        return names;
    }

    // ---- CooldownStore

    @Override
    public synchronized void coolDown(Cooldown cooldown) {
        requireAgent(cooldown.agentId());
        cooldowns.put(cooldown.agentId(), new Cooldown(cooldown.agentId(), millis(cooldown.until()), cooldown.reason()));
    }

    @Override
    public synchronized Map<UUID, Cooldown> active(Instant now) {
        Map<UUID, Cooldown> active = new LinkedHashMap<>();
        cooldowns.forEach((id, cooldown) -> {
            if (cooldown.activeAt(now)) {
                active.put(id, cooldown);
            }
        });
        return active;
    }

    // ---- DecisionLog

    @Override
    public synchronized long append(RoutingDecision decision) {
        long id = ++lastDecisionId;
        decisions.add(new StoredDecision(id, withMillis(decision)));
        return id;
    }

    @Override
    public synchronized List<StoredDecision> find(DecisionQuery query) {
        return decisions.stream()
                .filter(stored -> matches(stored.decision(), query))
                .sorted(Comparator.comparing((StoredDecision stored) -> stored.decision().decidedAt())
                        .thenComparingLong(StoredDecision::id)
                        .reversed())
                .limit(query.limit())
                .toList();
    }

    private static boolean matches(RoutingDecision decision, DecisionQuery query) {
        return (query.taskId() == null || query.taskId().equals(decision.taskId()))
                && (query.agent() == null || decision.chosenAgent().filter(query.agent()::equals).isPresent())
                && (query.workType() == null || query.workType().equals(decision.workType()))
                && (query.since() == null || !decision.decidedAt().isBefore(query.since()));
    }

    private static RoutingDecision withMillis(RoutingDecision d) {
        return new RoutingDecision(d.taskId(), d.attempt(), d.workType(), d.pool(), d.retried(), d.policyName(),
                d.weights(), d.traits(), d.rule(), d.candidates(), d.exclusions(), d.mode(), d.reason(),
                d.propensity(), d.seed(), millis(d.decidedAt()));
    }

    // ----

    private List<Attempt> allAttempts() {
        return attempts.values().stream().flatMap(List::stream).toList();
    }

    private void requireAgent(UUID agentId) {
        boolean known = agents.values().stream().anyMatch(entry -> entry.agent().id().equals(agentId));
        if (!known) {
            throw new IllegalArgumentException("no agent has id " + agentId);
        }
    }

    static void requireFinal(AttemptState state) {
        if (state.inFlight()) {
            throw new IllegalArgumentException("an attempt can only finish in a final state, was " + state);
        }
    }

    /** Instants are kept to the millisecond, as the databases keep them. */
    private static Instant millis(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
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
