package io.switchboard.testkit.store;

import io.switchboard.core.agent.AgentOrigin;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.AgentStatus;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptOutcome;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptStart;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.attempt.DecidedStart;
import io.switchboard.core.attempt.OrchestratorRecord;
import io.switchboard.core.attempt.StartResult;
import io.switchboard.core.attempt.TaskMove;
import io.switchboard.core.attempt.Transition;
import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.performance.AgentPerformance;
import io.switchboard.core.performance.Difficulty;
import io.switchboard.core.port.AgentDirectory;
import io.switchboard.core.port.CooldownStore;
import io.switchboard.core.port.DecisionLog;
import io.switchboard.core.port.PerformanceStore;
import io.switchboard.core.port.TaskStore;
import io.switchboard.core.port.WorkerRegistry;
import io.switchboard.core.port.WorkflowStore;
import io.switchboard.core.routing.Cooldown;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.task.Handoff;
import io.switchboard.core.task.HandoffPendingException;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskStatus;
import io.switchboard.core.workflow.StepRun;
import io.switchboard.core.workflow.StepRunState;
import io.switchboard.core.workflow.WorkflowRun;
import io.switchboard.core.workflow.WorkflowRunState;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * All seven store ports in memory (every one but the outbox): the reference the contract suites are written against, and the store core
 * tests use. Every method holds one lock, so each call is atomic (a refused call changes nothing). Instants are
 * kept to the millisecond, as a database keeps them; a task and its options are kept as given.
 */
public final class InMemoryStore implements AgentDirectory, PerformanceStore, TaskStore, CooldownStore, DecisionLog,
        WorkflowStore, WorkerRegistry {

    /**
     * An agent and whether config sync set it offline because it is no longer declared; for an agent workers
     * registered, the workers that run it, by id (empty otherwise).
     */
    private record Entry(RegisteredAgent agent, boolean retired, Map<String, WorkerBeat> workers) {
        Entry {
            workers = Map.copyOf(workers);
        }

        Entry(RegisteredAgent agent, boolean retired) {
            this(agent, retired, Map.of());
        }

        /** The same agent, changed, with the same workers. */
        Entry with(RegisteredAgent changed, boolean nowRetired) {
            return new Entry(changed, nowRetired, workers);
        }

        Entry withWorkers(Map<String, WorkerBeat> changed) {
            return new Entry(agent, retired, changed);
        }

        /** Whether one of its workers keeps it online at {@code now}. */
        boolean liveWorker(Instant now) {
            return workers.values().stream().anyMatch(worker -> worker.live(now));
        }
    }

    /** One worker's side of an agent: its last beat, the silence after which it is gone, and when it left. */
    private record WorkerBeat(Instant lastHeartbeat, Duration staleAfter, Instant leftAt) {
        boolean live(Instant now) {
            return leftAt == null && !lastHeartbeat.plus(staleAfter).isBefore(now);
        }

        WorkerBeat beaten(Instant now) {
            return new WorkerBeat(now, staleAfter, leftAt);
        }

        WorkerBeat left(Instant now) {
            return new WorkerBeat(lastHeartbeat, staleAfter, now);
        }
    }

    /** What stands for the database's clock: heartbeats are stamped and judged by it. */
    private final InstantSource databaseClock;

    /** A store whose database clock is the system's. */
    public InMemoryStore() {
        this(InstantSource.system());
    }

    public InMemoryStore(InstantSource databaseClock) {
        this.databaseClock = databaseClock;
    }

    private record PerformanceKey(UUID agentId, String workType) {
    }

    /** A task and where it stands; only touched while the lock is held. */
    private static final class StoredTask {
        Task task;
        TaskOptions options;
        TaskState state = TaskState.QUEUED;
        String reason = "accepted";
        Instant dueAt;
        Instant stateChangedAt;
        Handoff handoff;
        final Instant createdAt;

        StoredTask(Task task, Instant createdAt) {
            this.task = task;
            this.createdAt = createdAt;
            this.stateChangedAt = createdAt;
        }

        TaskStatus status() {
            return new TaskStatus(task.id(), state, reason, dueAt, stateChangedAt);
        }
    }

    private final TreeMap<String, Entry> agents = new TreeMap<>();
    private final Map<PerformanceKey, AgentPerformance> performance = new HashMap<>();
    private final Map<String, StoredTask> tasks = new HashMap<>();
    /** By task, in number order: attempt n is at index n − 1. */
    private final Map<String, List<AttemptRecord>> attempts = new HashMap<>();
    /** By task, in the order written. */
    private final Map<String, List<Transition>> transitions = new HashMap<>();
    private final Map<String, OrchestratorRecord> orchestrators = new HashMap<>();
    private final Map<UUID, Cooldown> cooldowns = new HashMap<>();
    private final List<StoredDecision> decisions = new ArrayList<>();
    private long lastDecisionId;
    /** In the order created. */
    private final Map<String, WorkflowRun> workflowRuns = new LinkedHashMap<>();
    /** By run, in the order started. */
    private final Map<String, List<StepRun>> stepRuns = new HashMap<>();

    // ---- AgentDirectory

    @Override
    public synchronized List<RegisteredAgent> agents() {
        Instant now = databaseNow();
        return agents.values().stream().map(entry -> asRead(entry, now)).toList();
    }

    @Override
    public synchronized Optional<RegisteredAgent> find(String name) {
        return Optional.ofNullable(agents.get(name)).map(entry -> asRead(entry, databaseNow()));
    }

    /**
     * An agent workers registered reads offline unless one of them is live, whatever its stored status, and its last
     * heartbeat is theirs.
     */
    private static RegisteredAgent asRead(Entry entry, Instant now) {
        RegisteredAgent agent = entry.agent();
        if (entry.workers().isEmpty()) {
            return agent;
        }
        Instant lastHeartbeat = entry.workers().values().stream().map(WorkerBeat::lastHeartbeat)
                .max(Comparator.naturalOrder()).orElseThrow();
        AgentStatus status = agent.status() != AgentStatus.OFFLINE && !entry.liveWorker(now) ? AgentStatus.OFFLINE
                : agent.status();
        return new RegisteredAgent(agent.id(), agent.profile(), status, lastHeartbeat, agent.origin());
    }

    @Override
    public synchronized RegisteredAgent register(AgentProfile profile, AgentOrigin origin, Instant now) {
        Entry existing = agents.get(profile.name());
        Entry entry = existing == null
                ? new Entry(new RegisteredAgent(UUID.randomUUID(), profile, AgentStatus.ONLINE, null, origin), false)
                : existing.with(existing.agent().withProfile(profile), existing.retired());
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
                agents.put(profile.name(), existing.with(agent, false));
            }
        }
        for (Entry entry : List.copyOf(agents.values())) {
            RegisteredAgent agent = entry.agent();
            if (agent.origin() == AgentOrigin.CONFIG && !entry.retired() && !names.contains(agent.name())) {
                agents.put(agent.name(), entry.with(agent.withStatus(AgentStatus.OFFLINE), true));
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
        agents.put(name, entry.with(entry.agent().withStatus(status), false));
        return true;
    }

    @Override
    public synchronized boolean heartbeat(String name, Instant now) {
        Entry entry = agents.get(name);
        if (entry == null) {
            return false;
        }
        RegisteredAgent agent = entry.agent();
        agents.put(name, entry.with(new RegisteredAgent(agent.id(), agent.profile(), agent.status(), millis(now),
                agent.origin()), entry.retired()));
        return true;
    }

    // ---- WorkerRegistry

    @Override
    public synchronized Registration registerWorker(String workerId, List<AgentProfile> offered, Duration staleAfter) {
        Instant now = databaseNow();
        List<Clash> clashes = new ArrayList<>();
        for (AgentProfile profile : offered) {
            Entry existing = agents.get(profile.name());
            if (existing == null) {
                continue;
            }
            AgentProfile registered = existing.agent().profile();
            boolean othersRunIt = existing.workers().entrySet().stream()
                    .anyMatch(worker -> !worker.getKey().equals(workerId) && worker.getValue().live(now));
            if (!registered.fingerprint().equals(profile.fingerprint())
                    || !registered.routesLike(profile) && othersRunIt) {
                clashes.add(new Clash(asRead(existing, now), profile));
            }
        }
        if (!clashes.isEmpty()) {
            return new Registration(List.of(), clashes);
        }
        List<RegisteredAgent> registered = new ArrayList<>();
        Duration window = staleAfter.toMillis() < 1 ? Duration.ofMillis(1) : millis(staleAfter);
        for (AgentProfile profile : offered) {
            Entry existing = agents.get(profile.name());
            UUID id = existing == null ? UUID.randomUUID() : existing.agent().id();
            Instant ownHeartbeat = existing == null ? null : existing.agent().lastHeartbeat();
            // Workers that keep it online no more are forgotten; this one joins, or joins again.
            Map<String, WorkerBeat> workers = new HashMap<>();
            if (existing != null) {
                existing.workers().forEach((worker, beat) -> {
                    if (beat.live(now)) {
                        workers.put(worker, beat);
                    }
                });
            }
            workers.put(workerId, new WorkerBeat(now, window, null));
            RegisteredAgent agent = new RegisteredAgent(id, profile, AgentStatus.ONLINE, ownHeartbeat,
                    AgentOrigin.WORKER);
            Entry entry = new Entry(agent, false, workers);
            agents.put(profile.name(), entry);
            registered.add(asRead(entry, now));
        }
        return new Registration(registered, List.of());
    }

    @Override
    public synchronized int beat(String workerId) {
        Instant now = databaseNow();
        int beaten = 0;
        for (Entry entry : List.copyOf(agents.values())) {
            WorkerBeat beat = entry.workers().get(workerId);
            if (beat != null && beat.leftAt() == null && entry.agent().status() != AgentStatus.OFFLINE) {
                Map<String, WorkerBeat> workers = new HashMap<>(entry.workers());
                workers.put(workerId, beat.beaten(now));
                agents.put(entry.agent().name(), entry.withWorkers(workers));
                beaten++;
            }
        }
        return beaten;
    }

    @Override
    public synchronized int leave(String workerId) {
        Instant now = databaseNow();
        int offline = 0;
        for (Entry entry : List.copyOf(agents.values())) {
            WorkerBeat beat = entry.workers().get(workerId);
            if (beat != null && beat.leftAt() == null) {
                Map<String, WorkerBeat> workers = new HashMap<>(entry.workers());
                workers.put(workerId, beat.left(now));
                Entry left = entry.withWorkers(workers);
                agents.put(entry.agent().name(), left);
                if (asRead(left, now).status() == AgentStatus.OFFLINE) {
                    offline++;
                }
            }
        }
        return offline;
    }

    @Override
    public Instant databaseNow() {
        return millis(databaseClock.instant());
    }

    private static Duration millis(Duration duration) {
        return Duration.ofMillis(duration.toMillis());
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
        store(task, null, now);
    }

    @Override
    public synchronized TaskStatus submit(Task task, TaskOptions options, boolean again, Instant now) {
        Objects.requireNonNull(options, "options");
        StoredTask stored = store(task, options, now);
        if (again && stored.state.isFinal()) {
            // One of the two ways out of a final state; a handoff the task had is over.
            move(stored, TaskMove.to(TaskState.QUEUED, "run again"), now);
            stored.handoff = null;
        }
        return stored.status();
    }

    /** Stores the task QUEUED with its transition, or updates all of it but its state. */
    private StoredTask store(Task task, TaskOptions options, Instant now) {
        StoredTask stored = tasks.get(task.id());
        if (stored == null) {
            stored = new StoredTask(task, millis(now));
            tasks.put(task.id(), stored);
            record(new Transition(task.id(), null, null, TaskState.QUEUED.configName(), "accepted", millis(now)));
        }
        stored.task = task;
        if (options != null) {
            stored.options = options;
        }
        return stored;
    }

    @Override
    public synchronized Optional<TaskSummary> findTask(String taskId) {
        return Optional.ofNullable(tasks.get(taskId))
                .map(stored -> new TaskSummary(taskId, stored.task.title(), stored.task.traits().workType()));
    }

    @Override
    public synchronized Optional<Task> loadTask(String taskId) {
        return Optional.ofNullable(tasks.get(taskId)).map(stored -> stored.task);
    }

    @Override
    public synchronized Optional<TaskOptions> taskOptions(String taskId) {
        return Optional.ofNullable(tasks.get(taskId))
                .map(stored -> stored.options == null ? TaskOptions.DEFAULTS : stored.options);
    }

    @Override
    public synchronized Optional<TaskStatus> taskStatus(String taskId) {
        return Optional.ofNullable(tasks.get(taskId)).map(StoredTask::status);
    }

    @Override
    public synchronized boolean moveTask(String taskId, TaskMove move, Instant now) {
        StoredTask stored = tasks.get(taskId);
        if (stored == null || !stored.state.canMoveTo(move.to())) {
            return false;
        }
        move(stored, move, now);
        return true;
    }

    @Override
    public synchronized boolean moveTaskFrom(String taskId, Set<TaskState> from, TaskMove move, Instant now) {
        StoredTask stored = tasks.get(taskId);
        return stored != null && from.contains(stored.state) && moveTask(taskId, move, now);
    }

    /** Sets the task's state, unchecked, and records the transition. */
    private void move(StoredTask stored, TaskMove move, Instant at) {
        record(new Transition(stored.task.id(), null, stored.state.configName(), move.to().configName(),
                move.reason(), millis(at)));
        stored.state = move.to();
        stored.reason = move.reason();
        stored.dueAt = millis(move.dueAt());
        stored.stateChangedAt = millis(at);
    }

    @Override
    public synchronized List<String> unfinishedTasks() {
        return tasks.values().stream()
                .filter(stored -> !stored.state.isFinal())
                .sorted(Comparator.comparing((StoredTask stored) -> stored.createdAt)
                        .thenComparing(stored -> stored.task.id()))
                .map(stored -> stored.task.id())
                .toList();
    }

    @Override
    public synchronized List<String> planTasks(String planRun) {
        return tasks.values().stream()
                .filter(stored -> stored.options != null && stored.options.planRun() != null
                        && stored.options.planRun().name().equals(planRun))
                .sorted(Comparator.comparing((StoredTask stored) -> stored.createdAt)
                        .thenComparing(stored -> stored.task.id()))
                .map(stored -> stored.task.id())
                .toList();
    }

    @Override
    public synchronized Attempt startAttempt(AttemptStart start, Instant now) {
        String taskId = start.taskId();
        StoredTask stored = tasks.get(taskId);
        if (stored == null) {
            throw new IllegalStateException("no task " + taskId + " is stored; save it before its attempts");
        }
        if (stored.state.isFinal()) {
            throw new IllegalStateException("task " + taskId + " is " + stored.state.configName()
                    + "; a task that ended starts no attempt unless it is submitted to run again");
        }
        Handoff pending = stored.handoff != null && stored.handoff.pending() ? stored.handoff : null;
        if (pending != null && !pending.sameRequestAs(start.handoff())) {
            throw new HandoffPendingException(taskId, pending);
        }
        if (pending == null && start.handoff() != null) {
            throw new IllegalStateException("task " + taskId + ": the " + start.handoff().reason() + " asked at "
                    + start.handoff().requestedAt() + " is no longer pending");
        }
        List<AttemptRecord> list = attempts.computeIfAbsent(taskId, id -> new ArrayList<>());
        if (list.stream().anyMatch(record -> record.attempt().state().inFlight())) {
            throw new IllegalStateException("task " + taskId
                    + " has an attempt in flight; it must finish before another starts");
        }
        int number = list.size() + 1;
        Instant at = millis(now);
        if (pending != null) {
            stored.handoff = new Handoff(pending.toAgent(), pending.note(), pending.requestedAt(), number);
        }
        if (stored.state != TaskState.RUNNING) {
            move(stored, TaskMove.to(TaskState.RUNNING, "attempt " + number + " on " + start.agentName()
                    + (pending == null ? "" : ", " + pending.reason())), at);
        }
        Attempt attempt = new Attempt(taskId, number, start.agentId(), start.agentName(), start.mode(),
                start.workType(), AttemptState.RUNNING, at, null);
        list.add(new AttemptRecord(attempt, null, 0, 0, 0, 0, null, null, start.agentVersion(), "", "", null,
                start.decisionId(), start.orchestratorId(), start.marker(), "", start.packet(), null));
        record(new Transition(taskId, number, null, lower(AttemptState.RUNNING),
                "started on " + start.agentName(), at));
        return attempt;
    }

    @Override
    public synchronized List<StartResult> startAttempts(List<DecidedStart> starts, Instant now) {
        for (DecidedStart item : starts) {
            if (item.send() != null) {
                throw new IllegalArgumentException("task " + item.decision().taskId() + ": this store has no outbox to "
                        + "send a remote attempt through");
            }
        }
        List<StartResult> results = new ArrayList<>(starts.size());
        for (DecidedStart item : starts) {
            long id = append(item.decision());
            if (item.start() == null) {
                results.add(StartResult.decisionOnly(id));
                continue;
            }
            try {
                results.add(StartResult.started(id, startAttempt(item.startWith(id), now)));
            } catch (IllegalStateException refused) {
                // startAttempt refuses before it changes anything.
                results.add(StartResult.refused(id, refused));
            }
        }
        return results;
    }

    @Override
    public synchronized boolean finishAttempt(AttemptOutcome outcome) {
        String taskId = outcome.taskId();
        StoredTask stored = tasks.get(taskId);
        List<AttemptRecord> list = attempts.getOrDefault(taskId, List.of());
        TaskMove taskMove = outcome.taskMove();
        // The fencing token: only the task's latest attempt, only while in flight, only by an allowed move.
        if (stored == null || list.isEmpty() || list.size() != outcome.number()
                || !list.getLast().attempt().state().canMoveTo(outcome.state())
                || taskMove != null && !stored.state.canMoveTo(taskMove.to())) {
            return false;
        }
        AttemptRecord current = list.getLast();
        Attempt before = current.attempt();
        Instant at = millis(outcome.finishedAt());
        FailureInfo failure = outcome.failure() == null ? null
                : outcome.failure().withResetAt(millis(outcome.failure().resetAt()));
        Attempt after = new Attempt(taskId, before.number(), before.agentId(), before.agentName(), before.mode(),
                before.workType(), outcome.state(), before.startedAt(), at);
        list.set(list.size() - 1, new AttemptRecord(after, failure, outcome.durationMs(), outcome.inputTokens(),
                outcome.outputTokens(), outcome.cost(), outcome.exitCode(), outcome.sessionId(),
                outcome.agentVersion().isEmpty() ? current.agentVersion() : outcome.agentVersion(), outcome.output(),
                outcome.verifyOutput(), outcome.difficulty(), current.decisionId(), current.orchestratorId(),
                current.marker(), outcome.answer(), current.packet(), outcome.changes()));
        String reason = failure == null ? "succeeded"
                : failure.message().isEmpty() ? failure.type().configName() : failure.message();
        record(new Transition(taskId, before.number(), lower(before.state()), lower(outcome.state()), reason, at));
        if (taskMove != null) {
            move(stored, taskMove, at);
        }
        // Performance only while the agent is registered: an attempt outlives its agent.
        if (outcome.performanceHalfLife() != null && isRegistered(before.agentId())) {
            recordOutcome(before.agentId(), before.workType(), outcome.state() == AttemptState.SUCCEEDED, at,
                    outcome.performanceHalfLife(), outcome.durationMs(),
                    outcome.inputTokens() + outcome.outputTokens(), outcome.cost(), outcome.difficulty());
        }
        return true;
    }

    @Override
    public synchronized List<Attempt> attempts(String taskId) {
        return attemptRecords(taskId).stream().map(AttemptRecord::attempt).toList();
    }

    @Override
    public synchronized List<AttemptRecord> attemptRecords(String taskId) {
        return List.copyOf(attempts.getOrDefault(taskId, List.of()));
    }

    @Override
    public synchronized List<AttemptRecord> inFlightAttempts() {
        return allAttempts().stream()
                .filter(record -> record.attempt().state().inFlight())
                .sorted(Comparator.comparing((AttemptRecord record) -> record.attempt().startedAt())
                        .thenComparing(record -> record.attempt().taskId())
                        .thenComparingInt(record -> record.attempt().number()))
                .toList();
    }

    @Override
    public synchronized List<Transition> transitions(String taskId) {
        // A stable sort: ties stay in the order they were written.
        return transitions.getOrDefault(taskId, List.of()).stream()
                .sorted(Comparator.comparing(Transition::at))
                .toList();
    }

    @Override
    public synchronized Map<UUID, Integer> inFlightByAgent() {
        return inFlightCounts(record -> true);
    }

    @Override
    public synchronized Map<UUID, Integer> inFlightByAgentOfOthers(String orchestratorId) {
        Objects.requireNonNull(orchestratorId, "orchestratorId");
        return inFlightCounts(record -> !orchestratorId.equals(record.orchestratorId()));
    }

    private Map<UUID, Integer> inFlightCounts(Predicate<AttemptRecord> counted) {
        Map<UUID, Integer> counts = new HashMap<>();
        allAttempts().stream()
                .filter(counted)
                .map(AttemptRecord::attempt)
                .filter(attempt -> attempt.state().inFlight())
                .forEach(attempt -> counts.merge(attempt.agentId(), 1, Integer::sum));
        return counts;
    }

    @Override
    public synchronized Map<UUID, Instant> lastSuccessByAgent(String workType, Instant since) {
        Set<UUID> registered = new HashSet<>();
        agents.values().forEach(entry -> registered.add(entry.agent().id()));
        Map<UUID, Instant> latest = new HashMap<>();
        allAttempts().stream()
                .map(AttemptRecord::attempt)
                .filter(attempt -> registered.contains(attempt.agentId()))
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
                .map(AttemptRecord::attempt)
                .filter(attempt -> attempt.state().failedTheTask())
                .forEach(attempt -> names.add(attempt.agentName()));
        return names;
    }

    @Override
    public synchronized RecentOutcomes recentOutcomes(UUID agentId, Instant since) {
        int succeeded = 0;
        int failed = 0;
        for (Attempt attempt : finishedSince(since)) {
            if (attempt.agentId().equals(agentId)) {
                switch (attempt.state()) {
                    case SUCCEEDED -> succeeded++;
                    case FAILED, TIMED_OUT -> failed++;
                    case PENDING, RUNNING, CANCELLED, ABANDONED -> { }
                }
            }
        }
        return new RecentOutcomes(succeeded, failed);
    }

    @Override
    public synchronized double spentSince(Instant since) {
        return allAttempts().stream()
                .filter(record -> record.attempt().finishedAt() != null
                        && !record.attempt().finishedAt().isBefore(since))
                .mapToDouble(AttemptRecord::cost)
                .sum();
    }

    private List<Attempt> finishedSince(Instant since) {
        return allAttempts().stream()
                .map(AttemptRecord::attempt)
                .filter(attempt -> attempt.finishedAt() != null && !attempt.finishedAt().isBefore(since))
                .toList();
    }

    // ---- Orchestrators

    @Override
    public synchronized Optional<AttemptRecord> requestHandoff(String taskId, Handoff handoff) {
        if (!handoff.pending()) {
            throw new IllegalArgumentException("a handoff is asked for pending, was taken up by attempt "
                    + handoff.attempt());
        }
        StoredTask stored = tasks.get(taskId);
        if (stored == null) {
            throw new IllegalStateException("no task " + taskId + " is stored");
        }
        if (stored.state == TaskState.SUCCEEDED) {
            throw new IllegalStateException("task " + taskId + " has succeeded; a task that succeeded is not "
                    + "handed off (run it again with orchestrate --again)");
        }
        Handoff kept = new Handoff(handoff.toAgent(), handoff.note(), millis(handoff.requestedAt()), null);
        stored.handoff = kept;
        if (stored.state.isFinal() || stored.state == TaskState.WAITING) {
            move(stored, TaskMove.to(TaskState.QUEUED, kept.reason()), kept.requestedAt());
        }
        return attempts.getOrDefault(taskId, List.of()).stream()
                .filter(record -> record.attempt().state().inFlight()).findFirst();
    }

    @Override
    public synchronized Optional<Handoff> handoff(String taskId) {
        return Optional.ofNullable(tasks.get(taskId)).map(stored -> stored.handoff);
    }

    @Override
    public synchronized boolean withdrawHandoff(String taskId, Handoff handoff) {
        StoredTask stored = tasks.get(taskId);
        if (stored == null || stored.handoff == null || !stored.handoff.pending()
                || !stored.handoff.sameRequestAs(handoff)) {
            return false;
        }
        stored.handoff = null;
        return true;
    }

    @Override
    public synchronized void registerOrchestrator(OrchestratorRecord orchestrator) {
        orchestrators.put(orchestrator.id(), new OrchestratorRecord(orchestrator.id(), orchestrator.host(),
                orchestrator.pid(), millis(orchestrator.startedAt()), millis(orchestrator.endedAt())));
    }

    @Override
    public synchronized void endOrchestrator(String orchestratorId, Instant now) {
        orchestrators.computeIfPresent(orchestratorId, (id, record) -> record.endedAt() != null ? record
                : new OrchestratorRecord(id, record.host(), record.pid(), record.startedAt(), millis(now)));
    }

    @Override
    public synchronized Optional<OrchestratorRecord> orchestrator(String orchestratorId) {
        return Optional.ofNullable(orchestrators.get(orchestratorId));
    }

    // ---- CooldownStore

    @Override
    public synchronized void coolDown(Cooldown cooldown) {
        requireAgent(cooldown.agentId());
        cooldowns.put(cooldown.agentId(), new Cooldown(cooldown.agentId(), millis(cooldown.until()), cooldown.reason(),
                cooldown.configFingerprint()));
    }

    @Override
    public synchronized void lift(UUID agentId) {
        cooldowns.remove(agentId);
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

    // ---- WorkflowStore

    @Override
    public synchronized WorkflowRun createRun(WorkflowRun.New run, Instant now) {
        int number = 1;
        while (workflowRuns.containsKey(run.base() + "-" + number)) {
            number++;
        }
        Instant at = millis(now);
        WorkflowRun created = new WorkflowRun(run.base() + "-" + number, run.workflow(), run.inputs(), run.options(),
                run.origin(), WorkflowRunState.RUNNING, "started", run.orchestratorId(), at, at);
        workflowRuns.put(created.id(), created);
        stepRuns.put(created.id(), new ArrayList<>());
        return created;
    }

    @Override
    public synchronized Optional<WorkflowRun> workflowRun(String runId) {
        return Optional.ofNullable(workflowRuns.get(runId));
    }

    @Override
    public synchronized Optional<WorkflowRun> latestRun(String base) {
        WorkflowRun latest = null;
        for (int number = 1; workflowRuns.containsKey(base + "-" + number); number++) {
            latest = workflowRuns.get(base + "-" + number);
        }
        return Optional.ofNullable(latest);
    }

    @Override
    public synchronized List<String> unfinishedRuns() {
        return workflowRuns.values().stream().filter(run -> !run.state().isFinal())
                .sorted(Comparator.comparing(WorkflowRun::createdAt).thenComparing(WorkflowRun::id))
                .map(WorkflowRun::id).toList();
    }

    @Override
    public synchronized boolean claimRun(String runId, String orchestratorId, Instant now) {
        WorkflowRun run = workflowRuns.get(runId);
        if (run == null || run.state().isFinal()) {
            return false;
        }
        workflowRuns.put(runId, new WorkflowRun(run.id(), run.workflow(), run.inputs(), run.options(), run.origin(),
                run.state(), run.reason(), orchestratorId, run.createdAt(), millis(now)));
        return true;
    }

    @Override
    public synchronized boolean finishRun(String runId, WorkflowRunState state, String reason, Instant now) {
        if (!state.isFinal()) {
            throw new IllegalArgumentException("a run ends succeeded or failed, was " + state.configName());
        }
        WorkflowRun run = workflowRuns.get(runId);
        if (run == null || run.state().isFinal()) {
            return false;
        }
        workflowRuns.put(runId, new WorkflowRun(run.id(), run.workflow(), run.inputs(), run.options(), run.origin(),
                state, reason, run.orchestratorId(), run.createdAt(), millis(now)));
        return true;
    }

    @Override
    public synchronized StepRun startStep(StepRun.Start start, Instant now) {
        WorkflowRun run = workflowRuns.get(start.runId());
        if (run == null || run.state().isFinal()) {
            throw new IllegalArgumentException("workflow run " + start.runId() + " is "
                    + (run == null ? "not stored" : run.state().configName()) + "; no step starts in it");
        }
        List<StepRun> rows = stepRuns.get(start.runId());
        Optional<StepRun> existing = find(rows, start.stepId(), start.iteration());
        if (existing.isPresent()) {
            return existing.get();
        }
        submit(start.task(), start.options(), false, now);
        StepRun row = new StepRun(start.runId(), start.stepId(), start.iteration(), start.task().id(), null,
                StepRunState.RUNNING, "started", null, start.snapshot(), rows.size() + 1, null, millis(now), null);
        rows.add(row);
        return row;
    }

    @Override
    public synchronized boolean handOffStep(String runId, String stepId, int iteration, Task task,
            TaskOptions options, Instant now) {
        List<StepRun> rows = stepRuns.getOrDefault(runId, List.of());
        Optional<StepRun> found = find(rows, stepId, iteration);
        if (found.isEmpty() || found.get().state() != StepRunState.RUNNING || found.get().handedOffFrom() != null) {
            return false;
        }
        submit(task, options, false, now);
        StepRun row = found.get();
        rows.set(rows.indexOf(row), new StepRun(runId, stepId, iteration, task.id(), row.taskId(), row.state(),
                "handed off", row.output(), row.snapshot(), row.position(), null, row.startedAt(), null));
        return true;
    }

    @Override
    public synchronized boolean finishStep(String runId, String stepId, int iteration, StepRunState state,
            String reason, String output, Instant now) {
        if (state == StepRunState.RUNNING) {
            throw new IllegalArgumentException("a step iteration ends succeeded or failed");
        }
        List<StepRun> rows = stepRuns.getOrDefault(runId, List.of());
        Optional<StepRun> found = find(rows, stepId, iteration);
        if (found.isEmpty() || found.get().state() != StepRunState.RUNNING) {
            return false;
        }
        int finished = (int) rows.stream().filter(r -> r.finishOrder() != null).count();
        StepRun row = found.get();
        rows.set(rows.indexOf(row), new StepRun(runId, stepId, iteration, row.taskId(), row.handedOffFrom(), state,
                reason, output, row.snapshot(), row.position(), finished + 1, row.startedAt(), millis(now)));
        return true;
    }

    @Override
    public synchronized List<StepRun> steps(String runId) {
        return List.copyOf(stepRuns.getOrDefault(runId, List.of()));
    }

    @Override
    public synchronized Optional<StepRun> stepOfTask(String taskId) {
        return stepRuns.values().stream().flatMap(List::stream)
                .filter(row -> row.taskId().equals(taskId) || taskId.equals(row.handedOffFrom())).findFirst();
    }

    private static Optional<StepRun> find(List<StepRun> rows, String stepId, int iteration) {
        return rows.stream().filter(row -> row.stepId().equals(stepId) && row.iteration() == iteration).findFirst();
    }

    // ----

    private List<AttemptRecord> allAttempts() {
        return attempts.values().stream().flatMap(List::stream).toList();
    }

    private void record(Transition transition) {
        transitions.computeIfAbsent(transition.taskId(), id -> new ArrayList<>()).add(transition);
    }

    private boolean isRegistered(UUID agentId) {
        return agents.values().stream().anyMatch(entry -> entry.agent().id().equals(agentId));
    }

    private void requireAgent(UUID agentId) {
        if (!isRegistered(agentId)) {
            throw new IllegalArgumentException("no agent has id " + agentId);
        }
    }

    /** An attempt state as transitions spell it. */
    private static String lower(AttemptState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    /** Instants are kept to the millisecond, as the databases keep them. */
    private static Instant millis(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
