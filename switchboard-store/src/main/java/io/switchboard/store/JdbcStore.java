package io.switchboard.store;

import io.switchboard.core.agent.AgentOrigin;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.AgentStatus;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptChanges;
import io.switchboard.core.attempt.AttemptOutcome;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptStart;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.attempt.DecidedStart;
import io.switchboard.core.attempt.OrchestratorRecord;
import io.switchboard.core.attempt.StartResult;
import io.switchboard.core.attempt.TaskMove;
import io.switchboard.core.attempt.Transition;
import io.switchboard.core.execution.CapturedOutput;
import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.execution.Usage;
import io.switchboard.core.performance.AgentPerformance;
import io.switchboard.core.performance.Difficulty;
import io.switchboard.core.remote.AttemptKey;
import io.switchboard.core.remote.OutboxRow;
import io.switchboard.core.remote.RemoteAttempt;
import io.switchboard.core.remote.RemoteState;
import io.switchboard.core.remote.ReportedResult;
import io.switchboard.core.remote.WorkMessage;
import io.switchboard.core.routing.Cooldown;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.routing.ScoredCandidate;
import io.switchboard.core.task.Handoff;
import io.switchboard.core.task.HandoffPendingException;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskClaimedException;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskStatus;
import io.switchboard.core.workflow.StepRun;
import io.switchboard.core.workflow.StepRunState;
import io.switchboard.core.workflow.WorkflowRun;
import io.switchboard.core.workflow.WorkflowRunState;
import io.switchboard.store.internal.Codes;
import io.switchboard.store.internal.Dialect;
import io.switchboard.store.internal.Jdbc;
import io.switchboard.store.internal.JsonColumns;
import io.switchboard.store.internal.Parameters;
import io.switchboard.store.internal.WorkflowColumns;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The store ports over JDBC, for SQLite and PostgreSQL alike: the SQL below is the only copy, with
 * {@code {json}} and {@code {for_update}} spelled per database by {@link Dialect}, and values bound through
 * it.
 *
 * <p>Every write is one transaction, committed before the method returns; a decision is durable when
 * {@link #append} returns, an attempt's outcome (with its transitions, the task's move and the performance it
 * counts towards) when {@link #finishAttempt} returns. Read-modify-write (an outcome folded into a performance
 * record, a task's move, the start and the end of its attempts) locks the rows it reads on PostgreSQL; on SQLite
 * the write transaction holds the database's write lock from its start. The routing reads are bounded by the
 * number of agents, never by history: each is served by an index (performance by work type; in-flight attempts
 * by state; recent successes by work type, state and finish time within the window); spend and recent outcomes
 * by finish time within their window.
 *
 * <p>Instants are stored to the millisecond.
 */
public final class JdbcStore implements Store {

    /** A worker keeps the agent of {@code agent_registry} online: it has not left and beat within its window. */
    private static final String LIVE_WORKER = """
            EXISTS (SELECT 1 FROM agent_workers w WHERE w.agent_id = agent_registry.agent_id AND w.left_at IS NULL
                AND w.last_heartbeat + w.stale_after_ms{millis} >= {now})""";

    /**
     * An agent's columns, as read. An agent that workers registered (rows in agent_workers, changelog
     * v12-agent-workers) is offline by the database's clock, whatever its stored status says, unless one of its
     * workers is live; its last heartbeat is its workers' latest.
     */
    private static final String AGENT_COLUMNS = """
            agent_id, name, adapter, agent_type, pool_name, capabilities, specializations, strengths, weaknesses,
            cost_per_1k_tokens, context_limit, availability, max_concurrency, mode_flags, command, origin,
            CASE WHEN status <> 'offline'
                    AND EXISTS (SELECT 1 FROM agent_workers w WHERE w.agent_id = agent_registry.agent_id)
                    AND NOT %s
                THEN 'offline' ELSE status END AS status,
            retired, COALESCE((SELECT MAX(w.last_heartbeat) FROM agent_workers w
                WHERE w.agent_id = agent_registry.agent_id), last_heartbeat) AS last_heartbeat"""
            .formatted(LIVE_WORKER);

    static final String REGISTER = """
            INSERT INTO agent_registry (agent_id, name, adapter, agent_type, pool_name, capabilities,
                specializations, strengths, weaknesses, cost_per_1k_tokens, context_limit, availability,
                max_concurrency, mode_flags, command, origin, status, retired, last_heartbeat, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, {json}, {json}, {json}, {json}, ?, ?, ?, ?, {json}, {json}, ?, 'online', FALSE, NULL,
                ?, ?)
            ON CONFLICT (name) DO UPDATE SET
                adapter = excluded.adapter, agent_type = excluded.agent_type, pool_name = excluded.pool_name,
                capabilities = excluded.capabilities, specializations = excluded.specializations,
                strengths = excluded.strengths, weaknesses = excluded.weaknesses,
                cost_per_1k_tokens = excluded.cost_per_1k_tokens, context_limit = excluded.context_limit,
                availability = excluded.availability, max_concurrency = excluded.max_concurrency,
                mode_flags = excluded.mode_flags, command = excluded.command, updated_at = excluded.updated_at
            RETURNING\s""" + AGENT_COLUMNS;

    static final String PERFORMANCE_COLUMNS = """
            agent_id, work_type, success_count, failure_count, decayed_successes, decayed_failures, decayed_at,
            total_duration_ms, last_execution, difficulty, tokens, cost""";

    static final String PERFORMANCE_FOR_WORK_TYPE =
            "SELECT " + PERFORMANCE_COLUMNS + " FROM agent_performance WHERE work_type = ?";

    private static final String PERFORMANCE_LOCK = "SELECT " + PERFORMANCE_COLUMNS
            + " FROM agent_performance WHERE agent_id = ? AND work_type = ?{for_update}";

    /** An empty record, for a registered agent only; SQLite needs the WHERE to read ON CONFLICT as the upsert. */
    private static final String PERFORMANCE_CREATE = """
            INSERT INTO agent_performance (agent_id, work_type, success_count, failure_count, decayed_successes,
                decayed_failures, decayed_at, total_duration_ms, last_execution, difficulty, tokens, cost)
            SELECT agent_id, ?, 0, 0, 0, 0, NULL, 0, NULL, NULL, 0, 0 FROM agent_registry WHERE agent_id = ?
            ON CONFLICT (agent_id, work_type) DO NOTHING""";

    private static final String PERFORMANCE_UPDATE = """
            UPDATE agent_performance SET success_count = ?, failure_count = ?, decayed_successes = ?,
                decayed_failures = ?, decayed_at = ?, total_duration_ms = ?, last_execution = ?, difficulty = ?,
                tokens = ?, cost = ?
            WHERE agent_id = ? AND work_type = ?""";

    static final String IN_FLIGHT_BY_AGENT = "SELECT agent_id, COUNT(*) AS in_flight FROM attempts WHERE state IN "
            + Codes.attemptStates(AttemptState::inFlight) + " GROUP BY agent_id";

    static final String IN_FLIGHT_BY_AGENT_OF_OTHERS = "SELECT agent_id, COUNT(*) AS in_flight FROM attempts"
            + " WHERE state IN " + Codes.attemptStates(AttemptState::inFlight)
            + " AND (orchestrator_id IS NULL OR orchestrator_id <> ?) GROUP BY agent_id";

    /**
     * One seek per registered agent in ix_attempts_last_success; NULL for an agent without a success in the
     * window. Grouping the window's successes by agent instead read every one of them: as many as the tasks
     * that ran in the window.
     */
    static final String LAST_SUCCESS_BY_AGENT = """
            SELECT r.agent_id, (SELECT MAX(a.finished_at) FROM attempts a
                WHERE a.work_type = ? AND a.state = '%s' AND a.agent_id = r.agent_id AND a.finished_at >= ?)
                AS last_success
            FROM agent_registry r""".formatted(Codes.of(AttemptState.SUCCEEDED));

    private static final String DECISION_COLUMNS = """
            id, task_id, attempt_number, work_type, pool, retried, policy_name, weights, traits, rule, candidates,
            exclusions, mode, reason, propensity, seed, created_at""";

    private final Jdbc jdbc;
    private final Dialect dialect;
    private final boolean readOnly;

    JdbcStore(Jdbc jdbc, boolean readOnly) {
        this.jdbc = jdbc;
        this.dialect = jdbc.dialect();
        this.readOnly = readOnly;
    }

    boolean readOnly() {
        return readOnly;
    }

    // ---- AgentDirectory

    @Override
    public List<RegisteredAgent> agents() {
        return jdbc.read(connection -> jdbc.query(connection,
                "SELECT " + AGENT_COLUMNS + " FROM agent_registry ORDER BY name", parameters -> { }, this::agent));
    }

    @Override
    public Optional<RegisteredAgent> find(String name) {
        return jdbc.read(connection -> jdbc.query(connection,
                "SELECT " + AGENT_COLUMNS + " FROM agent_registry WHERE name = ?",
                parameters -> parameters.text(name), this::agent)).stream().findFirst();
    }

    @Override
    public RegisteredAgent register(AgentProfile profile, AgentOrigin origin, Instant now) {
        return jdbc.write(connection -> upsert(connection, profile, origin, now));
    }

    /** Inserts the agent or updates its profile, keeping id, status, heartbeat and origin. */
    private RegisteredAgent upsert(Connection connection, AgentProfile profile, AgentOrigin origin, Instant now)
            throws SQLException {
        return jdbc.query(connection, REGISTER, parameters -> parameters
                .uuid(UUID.randomUUID())
                .text(profile.name())
                .text(profile.adapter().configName())
                .text(profile.agentType())
                .text(profile.pool())
                .json(JsonColumns.strings(profile.capabilities()))
                .json(JsonColumns.strings(profile.specializations()))
                .json(JsonColumns.strings(profile.strengths()))
                .json(JsonColumns.strings(profile.weaknesses()))
                .real(profile.costPer1kTokens())
                .integer(profile.contextLimit())
                .text(profile.availability().configName())
                .integer(profile.maxConcurrency())
                .json(JsonColumns.modeFlags(profile.modeFlags()))
                .json(JsonColumns.strings(profile.command()))
                .text(Codes.of(origin))
                .instant(now)
                .instant(now), this::agent).getFirst();
    }

    @Override
    public SyncReport sync(List<AgentProfile> declared, Instant now) {
        return jdbc.write(connection -> {
            Map<String, RegisteredAgent> existing = new LinkedHashMap<>();
            Set<String> retiredBefore = new HashSet<>();
            for (RegisteredAgent agent : jdbc.query(connection,
                    "SELECT " + AGENT_COLUMNS + " FROM agent_registry ORDER BY name{for_update}", parameters -> { },
                    rows -> {
                        RegisteredAgent agent = agent(rows);
                        if (rows.getBoolean("retired")) {
                            retiredBefore.add(agent.name());
                        }
                        return agent;
                    })) {
                existing.put(agent.name(), agent);
            }
            List<String> added = new ArrayList<>();
            List<String> updated = new ArrayList<>();
            List<String> retired = new ArrayList<>();
            Set<String> names = new LinkedHashSet<>();
            for (AgentProfile profile : declared) {
                names.add(profile.name());
                RegisteredAgent agent = existing.get(profile.name());
                if (agent == null) {
                    upsert(connection, profile, AgentOrigin.CONFIG, now);
                    added.add(profile.name());
                } else if (agent.origin() == AgentOrigin.CONFIG) {
                    boolean revived = retiredBefore.contains(agent.name());
                    if (!agent.profile().equals(profile)) {
                        upsert(connection, profile, AgentOrigin.CONFIG, now);
                    }
                    if (revived) {
                        setStatus(connection, agent.name(), AgentStatus.ONLINE, false, now);
                    }
                    if (revived || !agent.profile().equals(profile)) {
                        updated.add(profile.name());
                    }
                }
            }
            for (RegisteredAgent agent : existing.values()) {
                if (agent.origin() == AgentOrigin.CONFIG && !retiredBefore.contains(agent.name())
                        && !names.contains(agent.name())) {
                    setStatus(connection, agent.name(), AgentStatus.OFFLINE, true, now);
                    retired.add(agent.name());
                }
            }
            return new SyncReport(added, updated, retired);
        });
    }

    @Override
    public boolean remove(String name) {
        // Performance rows and cooldowns go by ON DELETE CASCADE; decisions lose the reference by SET NULL.
        return jdbc.write(connection -> jdbc.update(connection, "DELETE FROM agent_registry WHERE name = ?",
                parameters -> parameters.text(name))) > 0;
    }

    @Override
    public boolean setStatus(String name, AgentStatus status, Instant now) {
        // The user (or a worker) decides now: the agent no longer counts as retired by config sync.
        return jdbc.write(connection -> setStatus(connection, name, status, false, now));
    }

    private boolean setStatus(Connection connection, String name, AgentStatus status, boolean retired, Instant now)
            throws SQLException {
        return jdbc.update(connection,
                "UPDATE agent_registry SET status = ?, retired = ?, updated_at = ? WHERE name = ?",
                parameters -> parameters.text(status.configName()).bool(retired).instant(now).text(name)) > 0;
    }

    @Override
    public boolean heartbeat(String name, Instant now) {
        return jdbc.write(connection -> jdbc.update(connection,
                "UPDATE agent_registry SET last_heartbeat = ? WHERE name = ?",
                parameters -> parameters.instant(now).text(name))) > 0;
    }

    // ---- WorkerRegistry
    //
    // One row per agent and worker in agent_workers (changelog v12-agent-workers): the worker's beat, its window and
    // when it left. The agent's own row says only what the agent is and its stored status.

    /** The worker joins the agent, or joins it again: beating now, not left. */
    private static final String WORKER_JOIN = """
            INSERT INTO agent_workers (agent_id, worker_id, last_heartbeat, stale_after_ms, left_at)
            VALUES (?, ?, {now}, ?, NULL)
            ON CONFLICT (agent_id, worker_id) DO UPDATE SET last_heartbeat = excluded.last_heartbeat,
                stale_after_ms = excluded.stale_after_ms, left_at = NULL""";

    /**
     * The agent's workers that keep it online no more (left, or silent past their window) are forgotten. A row its
     * worker is beating at that moment is skipped (on PostgreSQL), never waited for: that worker is not gone.
     */
    private static final String WORKERS_GONE = """
            DELETE FROM agent_workers
            WHERE (agent_id, worker_id) IN (SELECT agent_id, worker_id FROM agent_workers
                WHERE agent_id = ? AND worker_id <> ?
                    AND (left_at IS NOT NULL OR last_heartbeat + stale_after_ms{millis} < {now}){skip_locked})""";

    /** A beat reaches the worker's agents it has not left and that nobody set offline. */
    static final String WORKER_BEAT = """
            UPDATE agent_workers SET last_heartbeat = {now}
            WHERE worker_id = ? AND left_at IS NULL
                AND agent_id IN (SELECT agent_id FROM agent_registry WHERE status <> 'offline')""";

    /**
     * The agents a worker is about to leave, locked in name order as a registration locks them: two workers leaving
     * one agent at once then each count the other's leave.
     */
    private static final String WORKER_AGENTS_LOCK = """
            SELECT agent_id FROM agent_registry
            WHERE agent_id IN (SELECT agent_id FROM agent_workers WHERE worker_id = ? AND left_at IS NULL)
            ORDER BY name{for_update}""";

    static final String WORKER_LEAVE = """
            UPDATE agent_workers SET left_at = {now} WHERE worker_id = ? AND left_at IS NULL
            RETURNING agent_id""";

    /** Workers other than this one that keep the agent online now. */
    private static final String OTHER_LIVE_WORKERS = """
            SELECT COUNT(*) FROM agent_workers w WHERE w.agent_id = ? AND w.worker_id <> ? AND w.left_at IS NULL
                AND w.last_heartbeat + w.stale_after_ms{millis} >= {now}""";

    /** The agent reads offline now: it was set offline, or none of its workers keeps it online. */
    private static final String READS_OFFLINE = "SELECT COUNT(*) FROM agent_registry WHERE agent_id = ?"
            + " AND (status = 'offline' OR NOT " + LIVE_WORKER + ")";

    @Override
    public Registration registerWorker(String workerId, List<AgentProfile> agents, Duration staleAfter) {
        Objects.requireNonNull(workerId, "workerId");
        long staleAfterMs = Math.max(1, staleAfter.toMillis());
        // Rows are locked in name order, so that workers registering the same agents at once never deadlock.
        List<AgentProfile> byName = agents.stream().sorted(Comparator.comparing(AgentProfile::name)).toList();
        return jdbc.write(connection -> {
            Map<String, Clash> clashes = new HashMap<>();
            for (AgentProfile offered : byName) {
                for (RegisteredAgent registered : jdbc.query(connection, "SELECT " + AGENT_COLUMNS
                        + " FROM agent_registry WHERE name = ?{for_update}", parameters -> parameters.text(
                                offered.name()), this::agent)) {
                    boolean runsOtherwise = !registered.profile().fingerprint().equals(offered.fingerprint());
                    if (runsOtherwise || !registered.profile().routesLike(offered) && jdbc.query(connection,
                            OTHER_LIVE_WORKERS, parameters -> parameters.uuid(registered.id()).text(workerId),
                            rows -> rows.getInt(1)).getFirst() > 0) {
                        clashes.put(offered.name(), new Clash(registered, offered));
                    }
                }
            }
            if (!clashes.isEmpty()) {
                return new Registration(List.of(), agents.stream().map(AgentProfile::name).filter(clashes::containsKey)
                        .map(clashes::get).toList());
            }
            Instant now = databaseNow(connection);
            for (AgentProfile offered : byName) {
                UUID agentId = upsert(connection, offered, AgentOrigin.WORKER, now).id();
                jdbc.update(connection, """
                        UPDATE agent_registry SET status = 'online', retired = FALSE, origin = 'worker', updated_at = ?
                        WHERE agent_id = ?""", parameters -> parameters.instant(now).uuid(agentId));
                jdbc.update(connection, WORKERS_GONE, parameters -> parameters.uuid(agentId).text(workerId));
                jdbc.update(connection, WORKER_JOIN,
                        parameters -> parameters.uuid(agentId).text(workerId).bigint(staleAfterMs));
            }
            List<RegisteredAgent> registered = new ArrayList<>();
            for (AgentProfile offered : agents) {
                registered.addAll(jdbc.query(connection, "SELECT " + AGENT_COLUMNS
                        + " FROM agent_registry WHERE name = ?", parameters -> parameters.text(offered.name()),
                        this::agent));
            }
            return new Registration(registered, List.of());
        });
    }

    @Override
    public int beat(String workerId) {
        return jdbc.write(connection -> jdbc.update(connection, WORKER_BEAT, parameters -> parameters.text(workerId)));
    }

    @Override
    public int leave(String workerId) {
        return jdbc.write(connection -> {
            jdbc.query(connection, WORKER_AGENTS_LOCK, parameters -> parameters.text(workerId),
                    rows -> rows.getString(1));
            int offline = 0;
            for (UUID agentId : jdbc.query(connection, WORKER_LEAVE, parameters -> parameters.text(workerId),
                    rows -> dialect.getUuid(rows, "agent_id"))) {
                offline += jdbc.query(connection, READS_OFFLINE, parameters -> parameters.uuid(agentId),
                        rows -> rows.getInt(1)).getFirst();
            }
            return offline;
        });
    }

    @Override
    public Instant databaseNow() {
        return jdbc.read(this::databaseNow);
    }

    private Instant databaseNow(Connection connection) throws SQLException {
        return jdbc.query(connection, "SELECT {now} AS now", parameters -> { },
                rows -> dialect.getInstant(rows, "now")).getFirst();
    }

    private RegisteredAgent agent(ResultSet rows) throws SQLException {
        AgentProfile profile = new AgentProfile(
                rows.getString("name"),
                Codes.adapter(rows.getString("adapter")),
                rows.getString("agent_type"),
                rows.getString("pool_name"),
                JsonColumns.strings(rows.getString("capabilities")),
                JsonColumns.strings(rows.getString("specializations")),
                JsonColumns.strings(rows.getString("strengths")),
                JsonColumns.strings(rows.getString("weaknesses")),
                rows.getDouble("cost_per_1k_tokens"),
                rows.getInt("context_limit"),
                Codes.availability(rows.getString("availability")),
                rows.getInt("max_concurrency"),
                JsonColumns.modeFlags(rows.getString("mode_flags")),
                JsonColumns.strings(rows.getString("command")));
        return new RegisteredAgent(dialect.getUuid(rows, "agent_id"), profile, Codes.status(rows.getString("status")),
                dialect.getInstant(rows, "last_heartbeat"), Codes.origin(rows.getString("origin")));
    }

    // ---- PerformanceStore

    @Override
    public Map<UUID, AgentPerformance> forWorkType(String workType) {
        Map<UUID, AgentPerformance> records = new HashMap<>();
        jdbc.read(connection -> jdbc.query(connection, PERFORMANCE_FOR_WORK_TYPE,
                parameters -> parameters.text(workType), this::performance))
                .forEach(record -> records.put(record.agentId(), record));
        return records;
    }

    @Override
    public List<AgentPerformance> all() {
        return jdbc.read(connection -> jdbc.query(connection, """
                SELECT p.agent_id, p.work_type, p.success_count, p.failure_count, p.decayed_successes,
                    p.decayed_failures, p.decayed_at, p.total_duration_ms, p.last_execution, p.difficulty, p.tokens,
                    p.cost
                FROM agent_performance p JOIN agent_registry a ON a.agent_id = p.agent_id
                ORDER BY a.name, p.work_type""", parameters -> { }, this::performance));
    }

    @Override
    public AgentPerformance recordOutcome(UUID agentId, String workType, boolean success, Instant finishedAt,
            Duration halfLife, long durationMs, long tokens, double cost, Difficulty difficulty) {
        AgentPerformance next = jdbc.write(connection -> fold(connection, agentId, workType, success, finishedAt,
                halfLife, durationMs, tokens, cost, difficulty));
        if (next == null) {
            throw new IllegalArgumentException("no agent has id " + agentId);
        }
        return next;
    }

    /**
     * Folds one outcome into the agent's record on the work type, within the caller's transaction: the one code
     * path for {@link #recordOutcome} and for {@link #finishAttempt}. The record is read locked (created first
     * when there is none, so that two first outcomes at once do not both insert).
     *
     * @return the record after the update, or {@code null} when the agent is not registered (nothing written)
     */
    private AgentPerformance fold(Connection connection, UUID agentId, String workType, boolean success,
            Instant finishedAt, Duration halfLife, long durationMs, long tokens, double cost, Difficulty difficulty)
            throws SQLException {
        List<AgentPerformance> current = jdbc.query(connection, PERFORMANCE_LOCK,
                parameters -> parameters.uuid(agentId).text(workType), this::performance);
        if (current.isEmpty()) {
            jdbc.update(connection, PERFORMANCE_CREATE, parameters -> parameters.text(workType).uuid(agentId));
            current = jdbc.query(connection, PERFORMANCE_LOCK,
                    parameters -> parameters.uuid(agentId).text(workType), this::performance);
            if (current.isEmpty()) {
                return null;
            }
        }
        AgentPerformance next = current.getFirst().plus(success, Dialect.millis(finishedAt), halfLife, durationMs,
                tokens, cost, difficulty);
        jdbc.update(connection, PERFORMANCE_UPDATE, parameters -> parameters
                .bigint(next.successes())
                .bigint(next.failures())
                .real(next.decayedSuccesses())
                .real(next.decayedFailures())
                .instant(next.decayedAt())
                .bigint(next.totalDurationMs())
                .instant(next.lastExecution())
                .text(Codes.of(next.difficulty()))
                .bigint(next.tokens())
                .real(next.cost())
                .uuid(agentId)
                .text(workType));
        return next;
    }

    private AgentPerformance performance(ResultSet rows) throws SQLException {
        return new AgentPerformance(
                dialect.getUuid(rows, "agent_id"),
                rows.getString("work_type"),
                rows.getLong("success_count"),
                rows.getLong("failure_count"),
                rows.getDouble("decayed_successes"),
                rows.getDouble("decayed_failures"),
                dialect.getInstant(rows, "decayed_at"),
                rows.getLong("total_duration_ms"),
                dialect.getInstant(rows, "last_execution"),
                Codes.difficulty(rows.getString("difficulty")),
                rows.getLong("tokens"),
                rows.getDouble("cost"));
    }

    // ---- TaskStore
    //
    // The task's row is the lock for the task and its attempts: a write that decides from what it reads (a move,
    // a start, a finish) first reads the task's row FOR UPDATE on PostgreSQL. Anything else it decides from is
    // either a row locked by the same statement or read by a later one: a statement that waited for a lock sees
    // the newest version of the rows it locked, but everything else as it was when the statement began.

    private static final String TASK_INSERT = """
            INSERT INTO tasks (task_id, title, work_type, task_type, pool, traits, source, draft, options, plan_run,
                state, state_reason, state_changed_at, due_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, {json}, ?, {json}, {json}, ?, '%s', ?, ?, NULL, ?, ?)
            ON CONFLICT (task_id) DO NOTHING""".formatted(Codes.of(TaskState.QUEUED));

    private static final String STATUS_COLUMNS = "task_id, state, state_reason, due_at, state_changed_at";

    /** Everything but the state; the options (and the plan run they name) only when given. */
    private static final String TASK_UPDATE = """
            UPDATE tasks SET title = ?, work_type = ?, task_type = ?, pool = ?, traits = {json}, source = ?,
                draft = {json}, options = COALESCE({json}, options),
                plan_run = CASE WHEN ? THEN ? ELSE plan_run END, updated_at = ?
            WHERE task_id = ?
            RETURNING\s""" + STATUS_COLUMNS;

    private static final String TASK_LOCK = "SELECT state FROM tasks WHERE task_id = ?{for_update}";

    private static final String HANDOFF_COLUMNS = "handoff_to, handoff_note, handoff_at, handoff_attempt";

    /** One seek in the attempts' key tells whether the task has any. */
    static final String TASK_RUN = "SELECT draft, traits, options, " + STATUS_COLUMNS + ", " + HANDOFF_COLUMNS
            + ", EXISTS (SELECT 1 FROM attempts a WHERE a.task_id = tasks.task_id) AS has_attempts"
            + " FROM tasks WHERE task_id = ?";

    /** The task's state and its handoff, the row locked. */
    private static final String TASK_LOCK_WITH_HANDOFF =
            "SELECT state, claimed_by, " + HANDOFF_COLUMNS + " FROM tasks WHERE task_id = ?{for_update}";

    private static final String HANDOFF_SET = "UPDATE tasks SET handoff_to = ?, handoff_note = ?, handoff_at = ?, "
            + "handoff_attempt = ? WHERE task_id = ?";

    private static final String TASK_MOVE =
            "UPDATE tasks SET state = ?, state_reason = ?, due_at = ?, state_changed_at = ? WHERE task_id = ?";

    /** The next number, unless an attempt of the task is in flight (then no row, and nothing inserted). */
    static final String ATTEMPT_START = """
            INSERT INTO attempts (task_id, attempt_number, agent_id, agent_name, mode, work_type, state, started_at,
                agent_version, decision_id, orchestrator_id, marker, packet)
            SELECT ?, next_number, ?, ?, ?, ?, '%s', ?, ?, ?, ?, ?, ?
            FROM (SELECT COALESCE(MAX(attempt_number), 0) + 1 AS next_number FROM attempts WHERE task_id = ?) n
            WHERE NOT EXISTS (SELECT 1 FROM attempts WHERE task_id = ? AND state IN %s)
            RETURNING attempt_number""".formatted(Codes.of(AttemptState.RUNNING),
            Codes.attemptStates(AttemptState::inFlight));

    /**
     * The attempt and its task, both rows locked. The highest number is read from the snapshot, which is enough:
     * a later attempt can only have started once this one was final, and the locked row shows that.
     */
    static final String ATTEMPT_LOCK = """
            SELECT t.state AS task_state, a.state, a.agent_id, a.work_type,
                (SELECT MAX(m.attempt_number) FROM attempts m WHERE m.task_id = a.task_id) AS last_number
            FROM tasks t JOIN attempts a ON a.task_id = t.task_id
            WHERE t.task_id = ? AND a.attempt_number = ?{for_update}""";

    private static final String ATTEMPT_FINISH = """
            UPDATE attempts SET state = ?, finished_at = ?, failure_type = ?, failure_message = ?, non_retryable = ?,
                failure_detail = ?, reset_at = ?, duration_ms = ?, input_tokens = ?, output_tokens = ?, cost = ?,
                exit_code = ?, session_id = ?, output = ?, verify_output = ?, difficulty = ?,
                agent_version = COALESCE(?, agent_version), answer = ?, workspace_branch = ?, workspace_commit = ?,
                workspace_copy = ?, changed_files = {json}, diff_stat = ?
            WHERE task_id = ? AND attempt_number = ?""";

    private static final String ATTEMPT_COLUMNS =
            "task_id, attempt_number, agent_id, agent_name, mode, work_type, state, started_at, finished_at";

    private static final String ATTEMPT_RECORD_COLUMNS = ATTEMPT_COLUMNS + """
            , failure_type, failure_message, non_retryable, failure_detail, reset_at, duration_ms, input_tokens,
                output_tokens, cost, exit_code, session_id, agent_version, output, verify_output, difficulty,
                decision_id, orchestrator_id, marker, answer, packet, workspace_branch, workspace_commit,
                workspace_copy, changed_files, diff_stat""";

    static final String IN_FLIGHT_ATTEMPTS = "SELECT " + ATTEMPT_RECORD_COLUMNS + " FROM attempts WHERE state IN "
            + Codes.attemptStates(AttemptState::inFlight) + " ORDER BY started_at, task_id, attempt_number";

    private static final String IN_FLIGHT_OF_TASK = "SELECT " + ATTEMPT_RECORD_COLUMNS
            + " FROM attempts WHERE task_id = ? AND state IN " + Codes.attemptStates(AttemptState::inFlight);

    private static final String TRANSITION_ROW = "(?, ?, ?, ?, ?, ?)";
    private static final String TRANSITION_INSERT =
            "INSERT INTO transitions (task_id, attempt_number, from_state, to_state, reason, at) VALUES ";
    /** By how many rows; a call writes one or two. */
    private static final List<String> TRANSITION_INSERTS = List.of(
            TRANSITION_INSERT + TRANSITION_ROW,
            TRANSITION_INSERT + TRANSITION_ROW + ", " + TRANSITION_ROW);

    static final String TRANSITIONS_OF_TASK = """
            SELECT task_id, attempt_number, from_state, to_state, reason, at FROM transitions
            WHERE task_id = ? ORDER BY at, id""";

    /** The unfinished states as ix_tasks_unfinished's condition spells them (changelog v14). */
    private static final String UNFINISHED_STATES = Codes.taskStates(state -> !state.isFinal());

    static final String UNFINISHED_TASKS = "SELECT task_id FROM tasks WHERE state IN " + UNFINISHED_STATES
            + " ORDER BY created_at, task_id";

    static final String PLAN_TASKS = "SELECT task_id FROM tasks WHERE plan_run = ? ORDER BY created_at, task_id";

    static final String RECENT_OUTCOMES = """
            SELECT COUNT(CASE WHEN state = '%s' THEN 1 END) AS succeeded,
                COUNT(CASE WHEN state IN ('%s', '%s') THEN 1 END) AS failed
            FROM attempts WHERE agent_id = ? AND finished_at >= ?""".formatted(Codes.of(AttemptState.SUCCEEDED),
            Codes.of(AttemptState.FAILED), Codes.of(AttemptState.TIMED_OUT));

    static final String SPENT_SINCE = "SELECT COALESCE(SUM(cost), 0) FROM attempts WHERE finished_at >= ?";

    private static final String ACCEPTED = "accepted";
    private static final String RUN_AGAIN = "run again";
    private static final String SUCCEEDED = "succeeded";

    @Override
    public void saveTask(Task task, Instant now) {
        EncodedTask encoded = EncodedTask.of(task, null);
        jdbc.write(connection -> store(connection, encoded, now));
    }

    @Override
    public TaskStatus submit(Task task, TaskOptions options, boolean again, Instant now) {
        Objects.requireNonNull(options, "options");
        EncodedTask encoded = EncodedTask.of(task, options);
        return jdbc.write(connection -> {
            TaskStatus status = store(connection, encoded, now);
            if (!again || !status.state().isFinal()) {
                return status;
            }
            // One of the two ways out of a final state; a handoff the task had is over.
            TaskMove move = TaskMove.to(TaskState.QUEUED, RUN_AGAIN);
            insertTransitions(connection, List.of(move(connection, task.id(), status.state(), move, now)));
            setHandoff(connection, task.id(), null);
            return new TaskStatus(task.id(), move.to(), move.reason(), null, Dialect.millis(now));
        });
    }

    /**
     * A task with its JSON columns written out, before the write begins: the writer connection, which every writer
     * waits for, is not held while they are encoded.
     *
     * @param options {@code null} to keep the stored ones
     */
    private record EncodedTask(Task task, TaskOptions options, String optionsJson, String draftJson,
            String traitsJson) {
        static EncodedTask of(Task task, TaskOptions options) {
            return new EncodedTask(task, options, options == null ? null : JsonColumns.options(options),
                    JsonColumns.draft(task.draft()), JsonColumns.traits(task.traits()));
        }
    }

    /** Inserts the task QUEUED (its transition with it) or updates all of it but its state. */
    private TaskStatus store(Connection connection, EncodedTask encoded, Instant now) throws SQLException {
        Task task = encoded.task();
        TaskOptions options = encoded.options();
        String optionsJson = encoded.optionsJson();
        String planRun = options == null || options.planRun() == null ? null : options.planRun().name();
        String draftJson = encoded.draftJson();
        String traitsJson = encoded.traitsJson();
        boolean inserted = jdbc.update(connection, TASK_INSERT, parameters -> bindTask(
                parameters.text(task.id()), task, traitsJson, draftJson)
                .json(optionsJson)
                .text(planRun)
                .text(ACCEPTED)
                .instant(now)
                .instant(now)
                .instant(now)) > 0;
        if (inserted) {
            Transition accepted = new Transition(task.id(), null, null, Codes.of(TaskState.QUEUED), ACCEPTED,
                    Dialect.millis(now));
            insertTransitions(connection, List.of(accepted));
            return new TaskStatus(task.id(), TaskState.QUEUED, ACCEPTED, null, accepted.at());
        }
        return jdbc.query(connection, TASK_UPDATE, parameters -> bindTask(parameters, task, traitsJson, draftJson)
                .json(optionsJson)
                .bool(options != null)
                .text(planRun)
                .instant(now)
                .text(task.id()), this::status).getFirst();
    }

    /** The task's own columns, from title to draft, in the order both TASK_INSERT and TASK_UPDATE name them. */
    private static Parameters bindTask(Parameters parameters, Task task, String traitsJson, String draftJson)
            throws SQLException {
        return parameters
                .text(task.title())
                .text(task.traits().workType())
                .text(task.traits().type().configName())
                .text(task.pool())
                .json(traitsJson)
                .text(task.source().toString())
                .json(draftJson);
    }

    @Override
    public Optional<TaskSummary> findTask(String taskId) {
        return jdbc.read(connection -> jdbc.query(connection,
                "SELECT task_id, title, work_type FROM tasks WHERE task_id = ?",
                parameters -> parameters.text(taskId),
                rows -> new TaskSummary(rows.getString("task_id"), rows.getString("title"), rows.getString("work_type"))))
                .stream().findFirst();
    }

    @Override
    public Optional<Task> loadTask(String taskId) {
        return jdbc.read(connection -> jdbc.query(connection, "SELECT draft, traits FROM tasks WHERE task_id = ?",
                parameters -> parameters.text(taskId), rows -> {
                    String draft = rows.getString("draft");
                    // A task stored before version 4 kept only its traits.
                    return draft == null ? null
                            : new Task(JsonColumns.draft(draft), JsonColumns.traits(rows.getString("traits")));
                })).stream().filter(Objects::nonNull).findFirst();
    }

    @Override
    public Optional<TaskOptions> taskOptions(String taskId) {
        return jdbc.read(connection -> jdbc.query(connection, "SELECT options FROM tasks WHERE task_id = ?",
                parameters -> parameters.text(taskId), rows -> {
                    String options = rows.getString("options");
                    return options == null ? TaskOptions.DEFAULTS : JsonColumns.options(options);
                })).stream().findFirst();
    }

    @Override
    public Optional<TaskStatus> taskStatus(String taskId) {
        return jdbc.read(connection -> jdbc.query(connection,
                "SELECT " + STATUS_COLUMNS + " FROM tasks WHERE task_id = ?",
                parameters -> parameters.text(taskId), this::status)).stream().findFirst();
    }

    @Override
    public Optional<TaskRun> taskRun(String taskId) {
        return jdbc.read(connection -> jdbc.query(connection, TASK_RUN, parameters -> parameters.text(taskId), rows -> {
                    String draft = rows.getString("draft");
                    String options = rows.getString("options");
                    return new TaskRun(draft == null ? null
                            : new Task(JsonColumns.draft(draft), JsonColumns.traits(rows.getString("traits"))),
                            options == null ? TaskOptions.DEFAULTS : JsonColumns.options(options), status(rows),
                            handoff(rows), rows.getBoolean("has_attempts"));
                })).stream().findFirst();
    }

    private TaskStatus status(ResultSet rows) throws SQLException {
        return new TaskStatus(rows.getString("task_id"), Codes.taskState(rows.getString("state")),
                rows.getString("state_reason"), dialect.getInstant(rows, "due_at"),
                dialect.getInstant(rows, "state_changed_at"));
    }

    @Override
    public boolean moveTask(String taskId, TaskMove move, Instant now) {
        return moveTaskFrom(taskId, EnumSet.allOf(TaskState.class), move, now);
    }

    @Override
    public boolean moveTaskFrom(String taskId, Set<TaskState> from, TaskMove move, Instant now) {
        return jdbc.write(connection -> {
            Optional<TaskState> current = lockTask(connection, taskId);
            if (current.isEmpty() || !from.contains(current.get()) || !current.get().canMoveTo(move.to())) {
                return false;
            }
            insertTransitions(connection, List.of(move(connection, taskId, current.get(), move, now)));
            return true;
        });
    }

    private Optional<TaskState> lockTask(Connection connection, String taskId) throws SQLException {
        return jdbc.query(connection, TASK_LOCK, parameters -> parameters.text(taskId),
                rows -> Codes.taskState(rows.getString("state"))).stream().findFirst();
    }

    /** Sets the task's state, unchecked; returns the transition for the caller to insert with any others. */
    private Transition move(Connection connection, String taskId, TaskState from, TaskMove move, Instant at)
            throws SQLException {
        jdbc.update(connection, TASK_MOVE, parameters -> parameters
                .text(Codes.of(move.to()))
                .text(move.reason())
                .instant(move.dueAt())
                .instant(at)
                .text(taskId));
        return new Transition(taskId, null, Codes.of(from), Codes.of(move.to()), move.reason(), Dialect.millis(at));
    }

    private void insertTransitions(Connection connection, List<Transition> transitions) throws SQLException {
        jdbc.update(connection, TRANSITION_INSERTS.get(transitions.size() - 1), parameters -> {
            for (Transition transition : transitions) {
                parameters
                        .text(transition.taskId())
                        .integer(transition.attempt())
                        .text(transition.from())
                        .text(transition.to())
                        .text(transition.reason())
                        .instant(transition.at());
            }
        });
    }

    @Override
    public List<String> unfinishedTasks() {
        return jdbc.read(connection -> jdbc.query(connection, UNFINISHED_TASKS, parameters -> { },
                rows -> rows.getString(1)));
    }

    @Override
    public List<String> planTasks(String planRun) {
        return jdbc.read(connection -> jdbc.query(connection, PLAN_TASKS, parameters -> parameters.text(planRun),
                rows -> rows.getString(1)));
    }

    @Override
    public Attempt startAttempt(AttemptStart start, Instant now) {
        return jdbc.write(connection -> start(connection, start, now));
    }

    @Override
    public List<StartResult> startAttempts(List<DecidedStart> starts, Instant now) {
        List<Long> claimWindows = new ArrayList<>(starts.size());
        List<EncodedDecision> decisions = new ArrayList<>(starts.size());
        for (DecidedStart item : starts) {
            claimWindows.add(item.send() == null ? null : remoteClaimWindow(item.start(), item.send().claimWithin()));
            decisions.add(EncodedDecision.of(item.decision()));
        }
        return jdbc.write(connection -> {
            List<StartResult> results = new ArrayList<>(starts.size());
            for (int i = 0; i < starts.size(); i++) {
                DecidedStart item = starts.get(i);
                long id = append(connection, decisions.get(i));
                if (item.start() == null) {
                    results.add(StartResult.decisionOnly(id));
                    continue;
                }
                Attempt attempt;
                try {
                    attempt = start(connection, item.startWith(id), now);
                } catch (IllegalStateException refused) {
                    // start refuses before it writes anything: the decision stays, the batch goes on.
                    results.add(StartResult.refused(id, refused));
                    continue;
                }
                if (item.send() != null) {
                    send(connection, attempt, claimWindows.get(i), item.send().message(), now);
                }
                results.add(StartResult.started(id, attempt));
            }
            return results;
        });
    }

    /** Starts the next attempt within the caller's transaction: the one code path of every attempt start. */
    private Attempt start(Connection connection, AttemptStart start, Instant now) throws SQLException {
        String taskId = start.taskId();
        Instant at = Dialect.millis(now);
        LockedTask locked = lockTaskWithHandoff(connection, taskId).orElseThrow(() -> new IllegalStateException(
                "no task " + taskId + " is stored; save it before its attempts"));
        TaskState state = locked.state();
        if (state.isFinal()) {
            throw new IllegalStateException("task " + taskId + " is " + state.configName()
                    + "; a task that ended starts no attempt unless it is submitted to run again");
        }
        Handoff pending = locked.handoff() != null && locked.handoff().pending() ? locked.handoff() : null;
        if (pending != null && !pending.sameRequestAs(start.handoff())) {
            throw new HandoffPendingException(taskId, pending);
        }
        if (pending == null && start.handoff() != null) {
            throw new IllegalStateException("task " + taskId + ": the " + start.handoff().reason() + " asked at "
                    + start.handoff().requestedAt() + " is no longer pending");
        }
        // The claim fences orchestrators: one that lost the task (taken over while it was silent) starts nothing.
        String claimedBy = locked.claimedBy();
        if (claimedBy != null && !claimedBy.equals(start.orchestratorId())) {
            throw new TaskClaimedException(taskId, claimedBy);
        }
        List<Integer> started = jdbc.query(connection, ATTEMPT_START, parameters -> parameters
                .text(taskId)
                .uuid(start.agentId())
                .text(start.agentName())
                .text(start.mode().configName())
                .text(start.workType())
                .instant(at)
                .text(start.agentVersion())
                .bigint(start.decisionId())
                .text(start.orchestratorId())
                .text(start.marker())
                .text(start.packet())
                .text(taskId)
                .text(taskId), rows -> rows.getInt(1));
        if (started.isEmpty()) {
            throw new IllegalStateException("task " + taskId
                    + " has an attempt in flight; it must finish before another starts");
        }
        int number = started.getFirst();
        if (pending != null) {
            setHandoff(connection, taskId, new Handoff(pending.toAgent(), pending.note(), pending.requestedAt(),
                    number));
        }
        List<Transition> transitions = new ArrayList<>(2);
        if (state != TaskState.RUNNING) {
            transitions.add(move(connection, taskId, state, TaskMove.to(TaskState.RUNNING, "attempt " + number
                    + " on " + start.agentName() + (pending == null ? "" : ", " + pending.reason())), at));
        }
        transitions.add(new Transition(taskId, number, null, Codes.of(AttemptState.RUNNING),
                "started on " + start.agentName(), at));
        insertTransitions(connection, transitions);
        return new Attempt(taskId, number, start.agentId(), start.agentName(), start.mode(), start.workType(),
                AttemptState.RUNNING, at, null);
    }

    @Override
    public boolean finishAttempt(AttemptOutcome outcome) {
        String taskId = outcome.taskId();
        Instant at = Dialect.millis(outcome.finishedAt());
        return jdbc.write(connection -> {
            record Locked(TaskState task, AttemptState attempt, UUID agentId, String workType, int lastNumber) {
            }
            List<Locked> locked = jdbc.query(connection, ATTEMPT_LOCK,
                    parameters -> parameters.text(taskId).integer(outcome.number()),
                    rows -> new Locked(Codes.taskState(rows.getString("task_state")),
                            Codes.attemptState(rows.getString("state")), dialect.getUuid(rows, "agent_id"),
                            rows.getString("work_type"), rows.getInt("last_number")));
            if (locked.isEmpty()) {
                return false;
            }
            Locked current = locked.getFirst();
            TaskMove taskMove = outcome.taskMove();
            // The fencing token: only the task's latest attempt, only while in flight, only by an allowed move.
            if (current.lastNumber() != outcome.number() || !current.attempt().canMoveTo(outcome.state())
                    || taskMove != null && !current.task().canMoveTo(taskMove.to())) {
                return false;
            }
            FailureInfo failure = outcome.failure();
            AttemptChanges changes = outcome.changes();
            jdbc.update(connection, ATTEMPT_FINISH, parameters -> parameters
                    .text(Codes.of(outcome.state()))
                    .instant(at)
                    .text(failure == null ? null : Codes.of(failure.type()))
                    .text(failure == null ? null : failure.message())
                    .bool(failure != null && failure.nonRetryable())
                    .text(failure == null ? null : failure.detail())
                    .instant(failure == null ? null : failure.resetAt())
                    .bigint(outcome.durationMs())
                    .bigint(outcome.inputTokens())
                    .bigint(outcome.outputTokens())
                    .real(outcome.cost())
                    .integer(outcome.exitCode())
                    .text(outcome.sessionId())
                    .text(outcome.output())
                    .text(outcome.verifyOutput())
                    .text(Codes.of(outcome.difficulty()))
                    .text(outcome.agentVersion().isEmpty() ? null : outcome.agentVersion())
                    .text(outcome.answer())
                    .text(changes == null ? null : changes.branch())
                    .text(changes == null ? null : changes.commit())
                    .text(changes == null ? null : changes.copy())
                    .json(changes == null ? null : JsonColumns.changedFiles(changes.files()))
                    .text(changes == null ? null : changes.diffStat())
                    .text(taskId)
                    .integer(outcome.number()));
            List<Transition> transitions = new ArrayList<>(2);
            transitions.add(new Transition(taskId, outcome.number(), Codes.of(current.attempt()),
                    Codes.of(outcome.state()), reason(failure), at));
            if (taskMove != null) {
                transitions.add(move(connection, taskId, current.task(), taskMove, at));
            }
            insertTransitions(connection, transitions);
            if (outcome.performanceHalfLife() != null) {
                fold(connection, current.agentId(), current.workType(), outcome.state() == AttemptState.SUCCEEDED,
                        at, outcome.performanceHalfLife(), outcome.durationMs(),
                        outcome.inputTokens() + outcome.outputTokens(), outcome.cost(), outcome.difficulty());
            }
            return true;
        });
    }

    /** An attempt transition's reason: the failure's message, its type when it has none, or "succeeded". */
    private static String reason(FailureInfo failure) {
        if (failure == null) {
            return SUCCEEDED;
        }
        return failure.message().isEmpty() ? failure.type().configName() : failure.message();
    }

    @Override
    public List<Attempt> attempts(String taskId) {
        return jdbc.read(connection -> jdbc.query(connection,
                "SELECT " + ATTEMPT_COLUMNS + " FROM attempts WHERE task_id = ? ORDER BY attempt_number",
                parameters -> parameters.text(taskId), this::attempt));
    }

    @Override
    public List<AttemptRecord> attemptRecords(String taskId) {
        return jdbc.read(connection -> jdbc.query(connection,
                "SELECT " + ATTEMPT_RECORD_COLUMNS + " FROM attempts WHERE task_id = ? ORDER BY attempt_number",
                parameters -> parameters.text(taskId), this::attemptRecord));
    }

    @Override
    public List<AttemptRecord> inFlightAttempts() {
        return jdbc.read(connection -> jdbc.query(connection, IN_FLIGHT_ATTEMPTS, parameters -> { },
                this::attemptRecord));
    }

    private Attempt attempt(ResultSet rows) throws SQLException {
        return new Attempt(
                rows.getString("task_id"),
                rows.getInt("attempt_number"),
                dialect.getUuid(rows, "agent_id"),
                rows.getString("agent_name"),
                Codes.mode(rows.getString("mode")),
                rows.getString("work_type"),
                Codes.attemptState(rows.getString("state")),
                dialect.getInstant(rows, "started_at"),
                dialect.getInstant(rows, "finished_at"));
    }

    private AttemptRecord attemptRecord(ResultSet rows) throws SQLException {
        // No failure while in flight, for a success, and for an attempt that finished before version 4.
        FailureInfo failure = failure(rows);
        int exitCode = rows.getInt("exit_code");
        Integer exitCodeOrNull = rows.wasNull() ? null : exitCode;
        long decisionId = rows.getLong("decision_id");
        Long decisionIdOrNull = rows.wasNull() ? null : decisionId;
        String diffStat = rows.getString("diff_stat");
        // Only an attempt that had a workspace of its own has a diff stat.
        AttemptChanges changes = diffStat == null ? null : new AttemptChanges(rows.getString("workspace_branch"),
                rows.getString("workspace_commit"), rows.getString("workspace_copy"),
                JsonColumns.changedFiles(rows.getString("changed_files")), diffStat);
        return new AttemptRecord(
                attempt(rows),
                failure,
                rows.getLong("duration_ms"),
                rows.getLong("input_tokens"),
                rows.getLong("output_tokens"),
                rows.getDouble("cost"),
                exitCodeOrNull,
                rows.getString("session_id"),
                rows.getString("agent_version"),
                rows.getString("output"),
                rows.getString("verify_output"),
                Codes.difficulty(rows.getString("difficulty")),
                decisionIdOrNull,
                rows.getString("orchestrator_id"),
                rows.getString("marker"),
                rows.getString("answer"),
                rows.getString("packet"),
                changes);
    }

    // ---- Handoffs

    /** A task's state and its handoff, as its locked row holds them. */
    private record LockedTask(TaskState state, String claimedBy, Handoff handoff) {
    }

    private Optional<LockedTask> lockTaskWithHandoff(Connection connection, String taskId) throws SQLException {
        return jdbc.query(connection, TASK_LOCK_WITH_HANDOFF, parameters -> parameters.text(taskId),
                rows -> new LockedTask(Codes.taskState(rows.getString("state")), rows.getString("claimed_by"),
                        handoff(rows))).stream().findFirst();
    }

    private Handoff handoff(ResultSet rows) throws SQLException {
        String to = rows.getString("handoff_to");
        if (to == null) {
            return null;
        }
        int attempt = rows.getInt("handoff_attempt");
        Integer attemptOrNull = rows.wasNull() ? null : attempt;
        return new Handoff(to, rows.getString("handoff_note"), dialect.getInstant(rows, "handoff_at"), attemptOrNull);
    }

    /** Sets the task's handoff, or clears it when {@code handoff} is null. */
    private void setHandoff(Connection connection, String taskId, Handoff handoff) throws SQLException {
        jdbc.update(connection, HANDOFF_SET, parameters -> parameters
                .text(handoff == null ? null : handoff.toAgent())
                .text(handoff == null ? null : handoff.note())
                .instant(handoff == null ? null : handoff.requestedAt())
                .integer(handoff == null ? null : handoff.attempt())
                .text(taskId));
    }

    @Override
    public Optional<AttemptRecord> requestHandoff(String taskId, Handoff handoff) {
        if (!handoff.pending()) {
            throw new IllegalArgumentException("a handoff is asked for pending, was taken up by attempt "
                    + handoff.attempt());
        }
        Handoff stored = new Handoff(handoff.toAgent(), handoff.note(), Dialect.millis(handoff.requestedAt()), null);
        return jdbc.write(connection -> {
            TaskState state = lockTask(connection, taskId).orElseThrow(() -> new IllegalStateException(
                    "no task " + taskId + " is stored"));
            if (state == TaskState.SUCCEEDED) {
                throw new IllegalStateException("task " + taskId + " has succeeded; a task that succeeded is not "
                        + "handed off (run it again with orchestrate --again)");
            }
            setHandoff(connection, taskId, stored);
            if (state.isFinal() || state == TaskState.WAITING) {
                insertTransitions(connection, List.of(move(connection, taskId, state,
                        TaskMove.to(TaskState.QUEUED, stored.reason()), stored.requestedAt())));
            }
            return jdbc.query(connection, IN_FLIGHT_OF_TASK, parameters -> parameters.text(taskId),
                    this::attemptRecord).stream().findFirst();
        });
    }

    @Override
    public Optional<Handoff> handoff(String taskId) {
        return jdbc.read(connection -> jdbc.query(connection, "SELECT " + HANDOFF_COLUMNS
                + " FROM tasks WHERE task_id = ?", parameters -> parameters.text(taskId), this::handoff))
                .stream().filter(Objects::nonNull).findFirst();
    }

    @Override
    public boolean withdrawHandoff(String taskId, Handoff handoff) {
        return jdbc.write(connection -> {
            Optional<LockedTask> locked = lockTaskWithHandoff(connection, taskId);
            Handoff current = locked.map(LockedTask::handoff).orElse(null);
            if (current == null || !current.pending() || !current.sameRequestAs(handoff)) {
                return false;
            }
            setHandoff(connection, taskId, null);
            return true;
        });
    }

    @Override
    public List<Transition> transitions(String taskId) {
        return jdbc.read(connection -> jdbc.query(connection, TRANSITIONS_OF_TASK,
                parameters -> parameters.text(taskId), rows -> {
                    int attempt = rows.getInt("attempt_number");
                    Integer attemptOrNull = rows.wasNull() ? null : attempt;
                    return new Transition(rows.getString("task_id"), attemptOrNull, rows.getString("from_state"),
                            rows.getString("to_state"), rows.getString("reason"), dialect.getInstant(rows, "at"));
                }));
    }

    @Override
    public Map<UUID, Integer> inFlightByAgent() {
        return inFlightCounts(IN_FLIGHT_BY_AGENT, parameters -> { });
    }

    @Override
    public Map<UUID, Integer> inFlightByAgentOfOthers(String orchestratorId) {
        Objects.requireNonNull(orchestratorId, "orchestratorId");
        return inFlightCounts(IN_FLIGHT_BY_AGENT_OF_OTHERS, parameters -> parameters.text(orchestratorId));
    }

    private Map<UUID, Integer> inFlightCounts(String sql, Jdbc.Binder binder) {
        Map<UUID, Integer> counts = new HashMap<>();
        jdbc.read(connection -> {
            jdbc.query(connection, sql, binder,
                    rows -> counts.put(dialect.getUuid(rows, "agent_id"), rows.getInt("in_flight")));
            return null;
        });
        return counts;
    }

    @Override
    public Map<UUID, Instant> lastSuccessByAgent(String workType, Instant since) {
        Map<UUID, Instant> latest = new HashMap<>();
        jdbc.read(connection -> {
            jdbc.query(connection, LAST_SUCCESS_BY_AGENT, parameters -> parameters.text(workType).instant(since),
                    rows -> {
                        Instant last = dialect.getInstant(rows, "last_success");
                        if (last != null) {
                            latest.put(dialect.getUuid(rows, "agent_id"), last);
                        }
                        return null;
                    });
            return null;
        });
        return latest;
    }

    @Override
    public Set<String> agentsThatFailed(String taskId) {
        return new HashSet<>(jdbc.read(connection -> jdbc.query(connection,
                "SELECT DISTINCT agent_name FROM attempts WHERE task_id = ? AND state IN "
                        + Codes.attemptStates(AttemptState::failedTheTask),
                parameters -> parameters.text(taskId), rows -> rows.getString(1))));
    }

    @Override
    public RecentOutcomes recentOutcomes(UUID agentId, Instant since) {
        return jdbc.read(connection -> jdbc.query(connection, RECENT_OUTCOMES,
                parameters -> parameters.uuid(agentId).instant(since),
                rows -> new RecentOutcomes(rows.getInt("succeeded"), rows.getInt("failed")))).getFirst();
    }

    @Override
    public double spentSince(Instant since) {
        return jdbc.read(connection -> jdbc.query(connection, SPENT_SINCE, parameters -> parameters.instant(since),
                rows -> rows.getDouble(1))).getFirst();
    }

    // ---- CooldownStore

    @Override
    public void coolDown(Cooldown cooldown) {
        jdbc.write(connection -> jdbc.update(connection, """
                INSERT INTO cooldowns (agent_id, until, reason, config_fingerprint) VALUES (?, ?, ?, ?)
                ON CONFLICT (agent_id) DO UPDATE SET until = excluded.until, reason = excluded.reason,
                    config_fingerprint = excluded.config_fingerprint""", parameters -> parameters
                .uuid(cooldown.agentId())
                .instant(cooldown.until())
                .text(cooldown.reason())
                .text(cooldown.configFingerprint())));
    }

    @Override
    public Map<UUID, Cooldown> active(Instant now) {
        Map<UUID, Cooldown> active = new HashMap<>();
        jdbc.read(connection -> jdbc.query(connection,
                "SELECT agent_id, until, reason, config_fingerprint FROM cooldowns WHERE until > ?",
                parameters -> parameters.instant(now),
                rows -> new Cooldown(dialect.getUuid(rows, "agent_id"), dialect.getInstant(rows, "until"),
                        rows.getString("reason"), rows.getString("config_fingerprint"))))
                .forEach(cooldown -> active.put(cooldown.agentId(), cooldown));
        return active;
    }

    @Override
    public void lift(UUID agentId) {
        jdbc.write(connection -> jdbc.update(connection, "DELETE FROM cooldowns WHERE agent_id = ?",
                parameters -> parameters.uuid(agentId)));
    }

    // ---- DecisionLog

    @Override
    public long append(RoutingDecision decision) {
        EncodedDecision encoded = EncodedDecision.of(decision);
        return jdbc.write(connection -> append(connection, encoded));
    }

    /**
     * A decision with its JSON columns written out: encoded before the write begins, so that the writer connection,
     * which every writer waits for, is not held while they are.
     */
    private record EncodedDecision(RoutingDecision decision, String weights, String candidates, String exclusions,
            String traits) {
        static EncodedDecision of(RoutingDecision decision) {
            return new EncodedDecision(decision, JsonColumns.weights(decision.weights()),
                    JsonColumns.candidates(decision.candidates()), JsonColumns.exclusions(decision.exclusions()),
                    JsonColumns.traits(decision.traits()));
        }
    }

    /** Appends a decision within the caller's transaction. */
    private long append(Connection connection, EncodedDecision encoded) throws SQLException {
        RoutingDecision decision = encoded.decision();
        Optional<ScoredCandidate> chosen = decision.chosen();
        return jdbc.query(connection, """
                INSERT INTO routing_decisions (task_id, attempt_number, work_type, pool, selected_agent_id,
                    selected_agent_name, mode, score, success_rate_pct, specialization_match, recent_context_match,
                    retried, reason, policy_name, weights, candidates, exclusions, traits, rule, propensity, seed,
                    created_at)
                VALUES (?, ?, ?, ?, (SELECT agent_id FROM agent_registry WHERE agent_id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?,
                    {json}, {json}, {json}, {json}, ?, ?, ?, ?)
                RETURNING id""", parameters -> parameters
                // The reference only when the registry holds the agent (a dry run may decide over agents not
                // synced yet); the name is kept either way.
                .text(decision.taskId())
                .integer(decision.attempt())
                .text(decision.workType())
                .text(decision.pool())
                .uuid(chosen.map(ScoredCandidate::agentId).orElse(null))
                .text(chosen.map(ScoredCandidate::agent).orElse(null))
                .text(decision.mode().configName())
                .real(decision.score())
                .real(decision.successRatePercent())
                .bool(decision.specializationMatch())
                .bool(decision.recentContextMatch())
                .bool(decision.retried())
                .text(decision.reason())
                .text(decision.policyName())
                .json(encoded.weights())
                .json(encoded.candidates())
                .json(encoded.exclusions())
                .json(encoded.traits())
                .text(decision.rule())
                .real(decision.propensity())
                .bigint(decision.seed())
                .instant(decision.decidedAt()), rows -> rows.getLong(1)).getFirst();
    }

    @Override
    public List<StoredDecision> find(DecisionQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + DECISION_COLUMNS + " FROM routing_decisions WHERE 1 = 1");
        if (query.taskId() != null) {
            sql.append(" AND task_id = ?");
        }
        if (query.agent() != null) {
            sql.append(" AND selected_agent_name = ?");
        }
        if (query.workType() != null) {
            sql.append(" AND work_type = ?");
        }
        if (query.since() != null) {
            sql.append(" AND created_at >= ?");
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        return jdbc.read(connection -> jdbc.query(connection, sql.toString(), parameters -> {
            bindIfSet(parameters, query);
            parameters.integer(query.limit());
        }, this::storedDecision));
    }

    private static void bindIfSet(Parameters parameters, DecisionQuery query) throws SQLException {
        if (query.taskId() != null) {
            parameters.text(query.taskId());
        }
        if (query.agent() != null) {
            parameters.text(query.agent());
        }
        if (query.workType() != null) {
            parameters.text(query.workType());
        }
        if (query.since() != null) {
            parameters.instant(query.since());
        }
    }

    private StoredDecision storedDecision(ResultSet rows) throws SQLException {
        long seed = rows.getLong("seed");
        Long seedOrNull = rows.wasNull() ? null : seed;
        RoutingDecision decision = new RoutingDecision(
                rows.getString("task_id"),
                rows.getInt("attempt_number"),
                rows.getString("work_type"),
                rows.getString("pool"),
                rows.getBoolean("retried"),
                rows.getString("policy_name"),
                JsonColumns.weights(rows.getString("weights")),
                JsonColumns.traits(rows.getString("traits")),
                rows.getString("rule"),
                JsonColumns.candidates(rows.getString("candidates")),
                JsonColumns.exclusions(rows.getString("exclusions")),
                Codes.mode(rows.getString("mode")),
                rows.getString("reason"),
                rows.getDouble("propensity"),
                seedOrNull,
                dialect.getInstant(rows, "created_at"));
        return new StoredDecision(rows.getLong("id"), decision);
    }

    // ---- WorkflowStore
    //
    // A run's row is the lock for the run and its step rows: every write that decides from what it reads first reads
    // the run's row FOR UPDATE on PostgreSQL (SQLite has one writer). A step's task is written by the same
    // transaction as its row.

    private static final String RUN_COLUMNS = """
            run_id, definition, inputs, options, origin, state, state_reason, orchestrator_id, created_at,
            updated_at""";

    private static final String STEP_COLUMNS = """
            run_id, step_id, iteration, task_id, handed_off_from, state, state_reason, output, snapshot, position,
            finish_order, started_at, finished_at""";

    private static final String RUN_LOCK = "SELECT state FROM workflow_runs WHERE run_id = ?{for_update}";

    private static final String STEP_OF = "SELECT " + STEP_COLUMNS
            + " FROM workflow_steps WHERE run_id = ? AND step_id = ? AND iteration = ?";

    @Override
    public WorkflowRun createRun(WorkflowRun.New run, Instant now) {
        String definition = WorkflowColumns.definition(run.workflow());
        String inputs = WorkflowColumns.inputs(run.inputs());
        String options = JsonColumns.options(run.options());
        String origin = run.origin() == null ? null : JsonColumns.draft(run.origin());
        String id = jdbc.write(connection -> {
            int number = jdbc.query(connection, "SELECT COALESCE(MAX(run_number), 0) + 1 FROM workflow_runs"
                    + " WHERE base = ?", parameters -> parameters.text(run.base()), rows -> rows.getInt(1)).getFirst();
            String runId = run.base() + "-" + number;
            jdbc.update(connection, """
                    INSERT INTO workflow_runs (run_id, base, run_number, workflow_name, definition, inputs, options,
                        origin, state, state_reason, orchestrator_id, created_at, updated_at)
                    VALUES (?, ?, ?, ?, {json}, {json}, {json}, {json}, ?, ?, ?, ?, ?)""", parameters -> parameters
                    .text(runId)
                    .text(run.base())
                    .integer(number)
                    .text(run.workflow().name())
                    .json(definition)
                    .json(inputs)
                    .json(options)
                    .json(origin)
                    .text(WorkflowRunState.RUNNING.configName())
                    .text("started")
                    .text(run.orchestratorId())
                    .instant(now)
                    .instant(now));
            return runId;
        });
        return workflowRun(id).orElseThrow();
    }

    @Override
    public Optional<WorkflowRun> workflowRun(String runId) {
        return jdbc.read(connection -> jdbc.query(connection,
                "SELECT " + RUN_COLUMNS + " FROM workflow_runs WHERE run_id = ?", parameters -> parameters.text(runId),
                this::workflowRun)).stream().findFirst();
    }

    @Override
    public Optional<WorkflowRun> latestRun(String base) {
        return jdbc.read(connection -> jdbc.query(connection, "SELECT " + RUN_COLUMNS
                + " FROM workflow_runs WHERE base = ? ORDER BY run_number DESC LIMIT 1",
                parameters -> parameters.text(base), this::workflowRun)).stream().findFirst();
    }

    @Override
    public List<String> unfinishedRuns() {
        return jdbc.read(connection -> jdbc.query(connection, "SELECT run_id FROM workflow_runs WHERE state = ?"
                + " ORDER BY created_at, run_id", parameters -> parameters.text(WorkflowRunState.RUNNING.configName()),
                rows -> rows.getString(1)));
    }

    @Override
    public boolean claimRun(String runId, String orchestratorId, Instant now) {
        return jdbc.write(connection -> jdbc.update(connection,
                "UPDATE workflow_runs SET orchestrator_id = ?, updated_at = ? WHERE run_id = ? AND state = ?",
                parameters -> parameters.text(orchestratorId).instant(now).text(runId)
                        .text(WorkflowRunState.RUNNING.configName())) > 0);
    }

    @Override
    public boolean finishRun(String runId, WorkflowRunState state, String reason, Instant now) {
        if (!state.isFinal()) {
            throw new IllegalArgumentException("a run ends succeeded or failed, was " + state.configName());
        }
        return jdbc.write(connection -> jdbc.update(connection,
                "UPDATE workflow_runs SET state = ?, state_reason = ?, updated_at = ? WHERE run_id = ? AND state = ?",
                parameters -> parameters.text(state.configName()).text(reason).instant(now).text(runId)
                        .text(WorkflowRunState.RUNNING.configName())) > 0);
    }

    @Override
    public StepRun startStep(StepRun.Start start, Instant now) {
        String runId = start.runId();
        EncodedTask encoded = EncodedTask.of(start.task(), start.options());
        return jdbc.write(connection -> {
            Optional<String> state = jdbc.query(connection, RUN_LOCK, parameters -> parameters.text(runId),
                    rows -> rows.getString(1)).stream().findFirst();
            if (state.isEmpty() || !state.get().equals(WorkflowRunState.RUNNING.configName())) {
                throw new IllegalArgumentException("workflow run " + runId + " is "
                        + state.orElse("not stored") + "; no step starts in it");
            }
            List<StepRun> existing = jdbc.query(connection, STEP_OF, parameters -> parameters.text(runId)
                    .text(start.stepId()).integer(start.iteration()), this::stepRun);
            if (!existing.isEmpty()) {
                return existing.getFirst();
            }
            store(connection, encoded, now);
            int position = jdbc.query(connection, "SELECT COALESCE(MAX(position), 0) + 1 FROM workflow_steps"
                    + " WHERE run_id = ?", parameters -> parameters.text(runId), rows -> rows.getInt(1)).getFirst();
            jdbc.update(connection, """
                    INSERT INTO workflow_steps (run_id, step_id, iteration, task_id, handed_off_from, state,
                        state_reason, output, snapshot, position, finish_order, started_at, finished_at)
                    VALUES (?, ?, ?, ?, NULL, ?, 'started', NULL, ?, ?, NULL, ?, NULL)""", parameters -> parameters
                    .text(runId)
                    .text(start.stepId())
                    .integer(start.iteration())
                    .text(start.task().id())
                    .text(StepRunState.RUNNING.configName())
                    .text(start.snapshot())
                    .integer(position)
                    .instant(now));
            return jdbc.query(connection, STEP_OF, parameters -> parameters.text(runId).text(start.stepId())
                    .integer(start.iteration()), this::stepRun).getFirst();
        });
    }

    @Override
    public boolean handOffStep(String runId, String stepId, int iteration, Task task, TaskOptions options,
            Instant now) {
        EncodedTask encoded = EncodedTask.of(task, options);
        return jdbc.write(connection -> {
            jdbc.query(connection, RUN_LOCK, parameters -> parameters.text(runId), rows -> null);
            List<StepRun> rows = jdbc.query(connection, STEP_OF, parameters -> parameters.text(runId).text(stepId)
                    .integer(iteration), this::stepRun);
            if (rows.isEmpty() || rows.getFirst().state() != StepRunState.RUNNING
                    || rows.getFirst().handedOffFrom() != null) {
                return false;
            }
            store(connection, encoded, now);
            jdbc.update(connection, """
                    UPDATE workflow_steps SET handed_off_from = task_id, task_id = ?, state_reason = 'handed off'
                    WHERE run_id = ? AND step_id = ? AND iteration = ?""", parameters -> parameters
                    .text(task.id()).text(runId).text(stepId).integer(iteration));
            return true;
        });
    }

    @Override
    public boolean finishStep(String runId, String stepId, int iteration, StepRunState state, String reason,
            String output, Instant now) {
        if (state == StepRunState.RUNNING) {
            throw new IllegalArgumentException("a step iteration ends succeeded or failed");
        }
        return jdbc.write(connection -> {
            jdbc.query(connection, RUN_LOCK, parameters -> parameters.text(runId), rows -> null);
            int order = jdbc.query(connection, "SELECT COALESCE(MAX(finish_order), 0) + 1 FROM workflow_steps"
                    + " WHERE run_id = ?", parameters -> parameters.text(runId), rows -> rows.getInt(1)).getFirst();
            return jdbc.update(connection, """
                    UPDATE workflow_steps SET state = ?, state_reason = ?, output = ?, finish_order = ?,
                        finished_at = ?
                    WHERE run_id = ? AND step_id = ? AND iteration = ? AND state = ?""", parameters -> parameters
                    .text(state.configName())
                    .text(reason)
                    .text(output)
                    .integer(order)
                    .instant(now)
                    .text(runId)
                    .text(stepId)
                    .integer(iteration)
                    .text(StepRunState.RUNNING.configName())) > 0;
        });
    }

    @Override
    public List<StepRun> steps(String runId) {
        return jdbc.read(connection -> jdbc.query(connection, "SELECT " + STEP_COLUMNS
                + " FROM workflow_steps WHERE run_id = ? ORDER BY position", parameters -> parameters.text(runId),
                this::stepRun));
    }

    @Override
    public Optional<StepRun> stepOfTask(String taskId) {
        return jdbc.read(connection -> jdbc.query(connection, "SELECT " + STEP_COLUMNS
                + " FROM workflow_steps WHERE task_id = ? OR handed_off_from = ?",
                parameters -> parameters.text(taskId).text(taskId), this::stepRun)).stream().findFirst();
    }

    private WorkflowRun workflowRun(ResultSet rows) throws SQLException {
        String origin = rows.getString("origin");
        return new WorkflowRun(
                rows.getString("run_id"),
                WorkflowColumns.definition(rows.getString("definition")),
                WorkflowColumns.inputs(rows.getString("inputs")),
                JsonColumns.options(rows.getString("options")),
                origin == null ? null : JsonColumns.draft(origin),
                Codes.workflowRunState(rows.getString("state")),
                rows.getString("state_reason"),
                rows.getString("orchestrator_id"),
                dialect.getInstant(rows, "created_at"),
                dialect.getInstant(rows, "updated_at"));
    }

    private StepRun stepRun(ResultSet rows) throws SQLException {
        int finishOrder = rows.getInt("finish_order");
        Integer finishOrderOrNull = rows.wasNull() ? null : finishOrder;
        return new StepRun(
                rows.getString("run_id"),
                rows.getString("step_id"),
                rows.getInt("iteration"),
                rows.getString("task_id"),
                rows.getString("handed_off_from"),
                Codes.stepRunState(rows.getString("state")),
                rows.getString("state_reason"),
                rows.getString("output"),
                rows.getString("snapshot"),
                rows.getInt("position"),
                finishOrderOrNull,
                dialect.getInstant(rows, "started_at"),
                dialect.getInstant(rows, "finished_at"));
    }

    // ---- Outbox
    //
    // A message is written as columns (see changelog v9-outbox). Writes that name several rows bind their ids into
    // one statement shape of OUTBOX_IDS_AT_ONCE placeholders, repeating the last id to fill it, so that however many
    // ids a call brings the statements stay the same few.

    static final int OUTBOX_IDS_AT_ONCE = 64;

    private static final String OUTBOX_COLUMNS = """
            id, agent, priority, message_version, task_id, attempt_number, mode, prompt, prompt_ref, deadline,
            created_at, publish_attempts""";

    private static final String OUTBOX_INSERT = """
            INSERT INTO outbox (agent, priority, message_version, task_id, attempt_number, mode, prompt, prompt_ref,
                deadline, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            RETURNING id""";

    static final String OUTBOX_PENDING = "SELECT " + OUTBOX_COLUMNS + " FROM outbox ORDER BY id LIMIT ?";

    /**
     * The orchestrator {@code o} is live: not ended, and its last beat plus its window not before the database's now. A
     * NULL beat (never beat) makes the test NULL: not live.
     */
    static final String ORCHESTRATOR_LIVE =
            "o.ended_at IS NULL AND o.last_heartbeat + o.stale_after_ms{millis} >= {now}";

    /**
     * A relay's claim: the oldest pending rows nobody holds, locked and skipped when locked on PostgreSQL (SQLite's one
     * writer claims alone), held from the database's now and counted as a publish attempt. A relay is named after its
     * orchestrator (the CLI's are): a row held by another relay whose orchestrator has ended or stopped beating is as
     * good as unclaimed, so that a killed orchestrator's rows go out at once through another. Every row is pending
     * (a sent one is deleted), so the oldest are read in the primary key's order.
     */
    static final String OUTBOX_CLAIM = """
            UPDATE outbox SET claimed_by = ?, claimed_until = {now} + ?{millis},
                publish_attempts = publish_attempts + 1, last_published_at = ?
            WHERE id IN (SELECT id FROM outbox
                WHERE (claimed_until IS NULL OR claimed_until < {now}
                    OR claimed_by <> ? AND claimed_by IN (SELECT o.orchestrator_id FROM orchestrators o
                        WHERE o.ended_at IS NOT NULL OR o.last_heartbeat IS NOT NULL AND NOT (%s)))
                ORDER BY id LIMIT ?{skip_locked})
            RETURNING\s""".formatted(ORCHESTRATOR_LIVE) + OUTBOX_COLUMNS;

    static final String OUTBOX_RENEW = """
            UPDATE outbox SET claimed_until = {now} + ?{millis}
            WHERE claimed_by = ?""";

    static final String OUTBOX_RELEASE = """
            UPDATE outbox SET claimed_by = NULL, claimed_until = NULL
            WHERE claimed_by = ?""";

    private static final String OUTBOX_IDS = "(" + String.join(", ", Collections.nCopies(
            OUTBOX_IDS_AT_ONCE, "?")) + ")";

    /* Writes to rows the relay names by id, found by the primary key. */
    private static final String OUTBOX_PUBLISHING =
            "UPDATE outbox SET publish_attempts = publish_attempts + 1, last_published_at = ? WHERE id ";

    private static final String OUTBOX_SENT = "DELETE FROM outbox WHERE id ";

    @Override
    public long enqueue(WorkMessage message, Instant now) {
        Objects.requireNonNull(message, "message");
        return jdbc.write(connection -> enqueue(connection, message, now));
    }

    /**
     * Adds a pending message within the caller's transaction. Any write of this store that must send a message
     * only if it commits (as {@link #startAttempt(AttemptStart, Instant, Function)} does) calls this in its own unit
     * of work.
     */
    private long enqueue(Connection connection, WorkMessage message, Instant now) throws SQLException {
        String text = message.prompt() instanceof WorkMessage.Inline inline ? inline.text() : null;
        String reference = message.prompt() instanceof WorkMessage.Reference ref ? ref.location() : null;
        return jdbc.query(connection, OUTBOX_INSERT, parameters -> parameters
                .text(message.agent())
                .integer(message.priority())
                .integer(message.version())
                .text(message.taskId())
                .integer(message.attempt())
                .text(message.mode().configName())
                .text(text)
                .text(reference)
                .instant(message.deadline())
                .instant(now), rows -> rows.getLong(1)).getFirst();
    }

    @Override
    public Attempt startAttempt(AttemptStart start, Instant now, Duration claimWithin,
            Function<Attempt, WorkMessage> message) {
        Objects.requireNonNull(message, "message");
        long claimWithinMs = remoteClaimWindow(start, claimWithin);
        return jdbc.write(connection -> {
            Attempt attempt = start(connection, start, now);
            send(connection, attempt, claimWithinMs, message, now);
            return attempt;
        });
    }

    /** The claim window of a remote start in milliseconds, once the start is known to be one that can be sent. */
    private static long remoteClaimWindow(AttemptStart start, Duration claimWithin) {
        long claimWithinMs = positiveMillis(claimWithin, "claim window");
        if (start.orchestratorId() == null) {
            throw new IllegalArgumentException("task " + start.taskId() + ": a remote attempt names the orchestrator "
                    + "that starts it, which expires its lease; this start names none");
        }
        return claimWithinMs;
    }

    /** Makes a just-started attempt a remote one and adds its message, within the caller's transaction. */
    private void send(Connection connection, Attempt attempt, long claimWithinMs,
            Function<Attempt, WorkMessage> message, Instant now) throws SQLException {
        enqueue(connection, Objects.requireNonNull(message.apply(attempt), "message"), now);
        jdbc.update(connection, REMOTE_SEND, parameters -> parameters
                .bigint(claimWithinMs)
                .text(attempt.taskId())
                .integer(attempt.number()));
    }

    @Override
    public List<OutboxRow> pending(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a limit is 1 or more, was " + limit);
        }
        return jdbc.read(connection -> jdbc.query(connection, OUTBOX_PENDING, parameters -> parameters.integer(limit),
                this::outboxRow));
    }

    @Override
    public List<OutboxRow> claimPending(String relayId, int limit, Duration hold, Instant now) {
        return removeSentAndClaim(List.of(), relayId, limit, hold, now);
    }

    @Override
    public List<OutboxRow> removeSentAndClaim(Collection<Long> sent, String relayId, int limit, Duration hold,
            Instant now) {
        requireRelayId(relayId);
        if (limit < 1) {
            throw new IllegalArgumentException("a limit is 1 or more, was " + limit);
        }
        long holdMs = positiveMillis(hold, "claim hold");
        List<OutboxRow> claimed = new ArrayList<>(jdbc.write(connection -> {
            if (!sent.isEmpty()) {
                deleteOutbox(connection, sent);
            }
            return jdbc.query(connection, OUTBOX_CLAIM, parameters -> parameters.text(relayId).bigint(holdMs)
                    .instant(now).text(relayId).integer(limit), this::outboxRow);
        }));
        // RETURNING gives the rows in no particular order.
        claimed.sort(Comparator.comparingLong(OutboxRow::id));
        return claimed;
    }

    @Override
    public int renewClaims(String relayId, Duration hold) {
        requireRelayId(relayId);
        long holdMs = positiveMillis(hold, "claim hold");
        return jdbc.write(connection -> jdbc.update(connection, OUTBOX_RENEW,
                parameters -> parameters.bigint(holdMs).text(relayId)));
    }

    private static void requireRelayId(String relayId) {
        Objects.requireNonNull(relayId, "relayId");
        if (relayId.isBlank()) {
            throw new IllegalArgumentException("a relay's id is not blank, was '" + relayId + "'");
        }
    }

    @Override
    public int releaseClaims(String relayId) {
        Objects.requireNonNull(relayId, "relayId");
        return jdbc.write(connection -> jdbc.update(connection, OUTBOX_RELEASE,
                parameters -> parameters.text(relayId)));
    }

    @Override
    public void publishing(Collection<Long> ids, Instant now) {
        if (!ids.isEmpty()) {
            jdbc.write(connection -> updateOutbox(connection, OUTBOX_PUBLISHING, ids, now));
        }
    }

    @Override
    public int removeSent(Collection<Long> ids) {
        return ids.isEmpty() ? 0 : jdbc.write(connection -> deleteOutbox(connection, ids));
    }

    /** Deletes these rows. */
    private int deleteOutbox(Connection connection, Collection<Long> ids) throws SQLException {
        return byIds(connection, OUTBOX_SENT, parameters -> { }, ids);
    }

    /** Runs an update that takes an instant and ends in {@code id }, for all the ids ({@link #byIds}). */
    private int updateOutbox(Connection connection, String sql, Collection<Long> ids, Instant now)
            throws SQLException {
        return byIds(connection, sql, parameters -> parameters.instant(now), ids);
    }

    /**
     * Runs a statement that takes its leading parameters and ends in {@code id }, for all the ids: on PostgreSQL once,
     * the ids bound as one array ({@code = ANY(?)}); on SQLite in chunks of OUTBOX_IDS_AT_ONCE ({@code IN (?, …)}).
     */
    private int byIds(Connection connection, String sql, Jdbc.Binder leading, Collection<Long> ids)
            throws SQLException {
        if (dialect.bindsArrays()) {
            return jdbc.update(connection, sql + "= ANY(?)", parameters -> {
                leading.bind(parameters);
                parameters.bigints(ids);
            });
        }
        return updateInChunks(connection, sql + "IN " + OUTBOX_IDS, leading, List.copyOf(ids), Parameters::bigint);
    }

    /** Binds one id of a chunk. */
    @FunctionalInterface
    private interface IdBinder<T> {
        void bind(Parameters parameters, T id) throws SQLException;
    }

    /**
     * Runs an update that takes its leading parameters and then OUTBOX_IDS_AT_ONCE ids, as many times as the ids
     * need, the last id of a short chunk repeated to fill it.
     */
    private <T> int updateInChunks(Connection connection, String sql, Jdbc.Binder leading, List<T> all,
            IdBinder<T> id) throws SQLException {
        int changed = 0;
        for (int from = 0; from < all.size(); from += OUTBOX_IDS_AT_ONCE) {
            List<T> chunk = all.subList(from, Math.min(all.size(), from + OUTBOX_IDS_AT_ONCE));
            changed += jdbc.update(connection, sql, parameters -> {
                leading.bind(parameters);
                for (int i = 0; i < OUTBOX_IDS_AT_ONCE; i++) {
                    id.bind(parameters, chunk.get(Math.min(i, chunk.size() - 1)));
                }
            });
        }
        return changed;
    }

    @Override
    public long countPending() {
        return jdbc.read(connection -> jdbc.query(connection, "SELECT COUNT(*) FROM outbox",
                parameters -> { }, rows -> rows.getLong(1))).getFirst();
    }

    private OutboxRow outboxRow(ResultSet rows) throws SQLException {
        String text = rows.getString("prompt");
        WorkMessage.Prompt prompt = text != null ? new WorkMessage.Inline(text)
                : new WorkMessage.Reference(rows.getString("prompt_ref"));
        WorkMessage message = new WorkMessage(
                rows.getInt("message_version"),
                rows.getString("task_id"),
                rows.getInt("attempt_number"),
                rows.getString("agent"),
                Codes.mode(rows.getString("mode")),
                prompt,
                dialect.getInstant(rows, "deadline"),
                rows.getInt("priority"));
        return new OutboxRow(rows.getLong("id"), message, dialect.getInstant(rows, "created_at"),
                rows.getInt("publish_attempts"));
    }

    // ---- Orchestrators

    @Override
    public void registerOrchestrator(OrchestratorRecord orchestrator) {
        jdbc.write(connection -> jdbc.update(connection, """
                INSERT INTO orchestrators (orchestrator_id, host, pid, started_at, ended_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (orchestrator_id) DO UPDATE SET host = excluded.host, pid = excluded.pid,
                    started_at = excluded.started_at, ended_at = excluded.ended_at""", parameters -> parameters
                .text(orchestrator.id())
                .text(orchestrator.host())
                .bigint(orchestrator.pid())
                .instant(orchestrator.startedAt())
                .instant(orchestrator.endedAt())));
    }

    @Override
    public void endOrchestrator(String orchestratorId, Instant now) {
        jdbc.write(connection -> jdbc.update(connection,
                "UPDATE orchestrators SET ended_at = ? WHERE orchestrator_id = ? AND ended_at IS NULL",
                parameters -> parameters.instant(now).text(orchestratorId)));
    }

    @Override
    public Optional<OrchestratorRecord> orchestrator(String orchestratorId) {
        return jdbc.read(connection -> jdbc.query(connection,
                "SELECT orchestrator_id, host, pid, started_at, ended_at FROM orchestrators WHERE orchestrator_id = ?",
                parameters -> parameters.text(orchestratorId),
                rows -> new OrchestratorRecord(rows.getString("orchestrator_id"), rows.getString("host"),
                        rows.getLong("pid"), dialect.getInstant(rows, "started_at"),
                        dialect.getInstant(rows, "ended_at")))).stream().findFirst();
    }

    // ---- RemoteAttempts
    //
    // An attempt's remote side is in its own row (changelog v11-attempt-leases): remote_state, lease_worker and
    // lease_until, by the database's clock. Every move is one UPDATE of that row whose WHERE is the whole guard,
    // so on PostgreSQL the row's lock decides a race: the second UPDATE waits for the first to commit, reads the
    // row as the first left it, and matches nothing. Why a claim or a report was refused is read from the row
    // afterwards; the guard alone decides.

    private static final String IN_FLIGHT_STATES = Codes.attemptStates(AttemptState::inFlight);

    /** The task's highest-numbered attempt: the only one a worker may claim or report for. */
    private static final String CURRENT_ATTEMPT =
            "attempt_number = (SELECT MAX(m.attempt_number) FROM attempts m WHERE m.task_id = attempts.task_id)";

    private static final String REMOTE_SEND = """
            UPDATE attempts SET remote_state = 'sent', lease_worker = NULL, lease_until = {now} + ?{millis}
            WHERE task_id = ? AND attempt_number = ?""";

    static final String REMOTE_CLAIM = """
            UPDATE attempts SET remote_state = 'claimed', lease_worker = ?, lease_until = {now} + ?{millis}
            WHERE task_id = ? AND attempt_number = ? AND state IN %s AND remote_state = 'sent'
                AND lease_until >= {now} AND %s
            RETURNING orchestrator_id""".formatted(IN_FLIGHT_STATES, CURRENT_ATTEMPT);

    /** Served by ix_attempts_leases, whose WHERE this repeats word for word (SQLite needs that). */
    static final String REMOTE_RENEW = """
            UPDATE attempts SET lease_until = {now} + ?{millis}
            WHERE lease_worker = ? AND remote_state = 'claimed' AND state IN %s AND lease_until >= {now}
            RETURNING task_id, attempt_number""".formatted(IN_FLIGHT_STATES);

    private static final String REMOTE_REPORT = """
            UPDATE attempts SET remote_state = 'reported'
            WHERE task_id = ? AND attempt_number = ? AND state IN %s AND remote_state = 'claimed'
                AND lease_worker = ? AND lease_until >= {now} AND %s""".formatted(IN_FLIGHT_STATES, CURRENT_ATTEMPT);

    private static final String REMOTE_COLUMNS =
            "task_id, attempt_number, agent_name, orchestrator_id, remote_state, lease_worker, lease_until";

    /**
     * The orchestrator's attempts whose lease passed, locked; rows another transaction holds (a worker reporting
     * or renewing, the attempt finishing) are skipped, not waited for: the next sweep sees them as they end up.
     * Served by ix_attempts_remote_in_flight, whose WHERE this repeats word for word.
     */
    static final String REMOTE_EXPIRING = """
            SELECT %s FROM attempts
            WHERE orchestrator_id = ? AND remote_state IN ('sent', 'claimed') AND state IN %s
                AND lease_until < {now}
            ORDER BY lease_until, task_id, attempt_number{skip_locked}""".formatted(REMOTE_COLUMNS,
            IN_FLIGHT_STATES);

    private static final String REMOTE_EXPIRE = """
            UPDATE attempts SET remote_state = 'expired'
            WHERE task_id = ? AND attempt_number = ? AND remote_state IN ('sent', 'claimed') AND state IN %s
                AND lease_until < {now}""".formatted(IN_FLIGHT_STATES);

    /** An orchestrator giving up an attempt in flight whose worker has not reported: expired now, whatever its lease. */
    private static final String REMOTE_REVOKE = """
            UPDATE attempts SET remote_state = 'expired'
            WHERE task_id = ? AND attempt_number = ? AND remote_state IN ('sent', 'claimed') AND state IN %s"""
            .formatted(IN_FLIGHT_STATES);

    /** The attempt's row as a refusal explains it, with the database's now and the task's highest number. */
    private static final String REMOTE_ROW = """
            SELECT a.state, a.remote_state, a.lease_worker, a.lease_until, {now} AS db_now,
                (SELECT MAX(m.attempt_number) FROM attempts m WHERE m.task_id = a.task_id) AS last_number
            FROM attempts a WHERE a.task_id = ? AND a.attempt_number = ?""";

    private static final String RESULT_COLUMNS = """
            task_id, attempt_number, worker_id, accepted, reason, reported_at, failure_type, failure_message,
            non_retryable, failure_detail, reset_at, exit_code, duration_ms, input_tokens, output_tokens, cost,
            session_id, summary, agent_version, stdout, stdout_bytes, stdout_truncated, stderr, stderr_bytes,
            stderr_truncated""";

    /**
     * The report's row, written as accepted and corrected when the guard refuses it; nothing when the worker
     * reported for the attempt before. The unique key is what makes two identical reports at once one: the second
     * insert waits for the first to commit and then does nothing.
     */
    private static final String RESULT_INSERT = """
            INSERT INTO attempt_results (task_id, attempt_number, worker_id, accepted, reason, reported_at,
                failure_type, failure_message, non_retryable, failure_detail, reset_at, exit_code, duration_ms,
                input_tokens, output_tokens, cost, session_id, summary, agent_version, stdout, stdout_bytes,
                stdout_truncated, stderr, stderr_bytes, stderr_truncated)
            VALUES (?, ?, ?, TRUE, '', {now}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (task_id, attempt_number, worker_id) DO NOTHING
            RETURNING id""";

    private static final String RESULT_SUPERSEDED =
            "UPDATE attempt_results SET accepted = FALSE, reason = ? WHERE id = ?";

    private static final String RESULT_VERDICT = """
            SELECT accepted, reason FROM attempt_results
            WHERE task_id = ? AND attempt_number = ? AND worker_id = ?""";

    @Override
    public Claim claim(AttemptKey attempt, String workerId, Duration lease) {
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(workerId, "workerId");
        long leaseMs = positiveMillis(lease, "lease");
        return jdbc.write(connection -> {
            List<String> sentBy = jdbc.query(connection, REMOTE_CLAIM, parameters -> parameters
                    .text(workerId)
                    .bigint(leaseMs)
                    .text(attempt.taskId())
                    .integer(attempt.number()), rows -> rows.getString(1));
            return !sentBy.isEmpty() ? Claim.granted(sentBy.getFirst())
                    : Claim.refused(refusal(connection, attempt, workerId, true));
        });
    }

    @Override
    public Set<AttemptKey> renew(String workerId, Duration lease) {
        Objects.requireNonNull(workerId, "workerId");
        long leaseMs = positiveMillis(lease, "lease");
        return new LinkedHashSet<>(jdbc.write(connection -> jdbc.query(connection, REMOTE_RENEW,
                parameters -> parameters.bigint(leaseMs).text(workerId),
                rows -> new AttemptKey(rows.getString("task_id"), rows.getInt("attempt_number")))));
    }

    /**
     * Broken on purpose, for the soak test's self-check only: with {@code SWITCHBOARD_UNSAFE_UNFENCED_RESULTS=1} in
     * the environment, {@link #report} keeps every result as accepted without checking that the worker still holds the
     * attempt, so a result that should be superseded counts. The soak must then see two accepted results for one task.
     * Never set it otherwise.
     */
    public static final boolean UNFENCED_RESULTS = "1".equals(System.getenv("SWITCHBOARD_UNSAFE_UNFENCED_RESULTS"));

    @Override
    public Report report(AttemptKey attempt, String workerId, RunResult result) {
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(result, "result");
        return jdbc.write(connection -> {
            List<Long> inserted = jdbc.query(connection, RESULT_INSERT,
                    parameters -> bindResult(parameters.text(attempt.taskId()).integer(attempt.number())
                            .text(workerId), result), rows -> rows.getLong(1));
            if (inserted.isEmpty()) {
                // Reported before: the first verdict stands, and nothing is written.
                return jdbc.query(connection, RESULT_VERDICT, parameters -> parameters.text(attempt.taskId())
                        .integer(attempt.number()).text(workerId), rows -> rows.getBoolean("accepted")
                        ? Report.acceptedReport() : Report.superseded(rows.getString("reason"))).getFirst();
            }
            boolean accepted = jdbc.update(connection, REMOTE_REPORT, parameters -> parameters
                    .text(attempt.taskId())
                    .integer(attempt.number())
                    .text(workerId)) > 0;
            if (accepted || UNFENCED_RESULTS) {
                return Report.acceptedReport();
            }
            String reason = refusal(connection, attempt, workerId, false);
            jdbc.update(connection, RESULT_SUPERSEDED, parameters -> parameters.text(reason)
                    .bigint(inserted.getFirst()));
            return Report.superseded(reason);
        });
    }

    /** The result's columns, from failure_type to stderr_truncated, in the order RESULT_INSERT names them. */
    private static Parameters bindResult(Parameters parameters, RunResult result) throws SQLException {
        FailureInfo failure = result.failure();
        return parameters
                .text(failure == null ? null : Codes.of(failure.type()))
                .text(failure == null ? null : failure.message())
                .bool(failure != null && failure.nonRetryable())
                .text(failure == null ? null : failure.detail())
                .instant(failure == null ? null : failure.resetAt())
                .integer(result.exitCode())
                .bigint(result.duration().toMillis())
                .bigint(result.usage().inputTokens())
                .bigint(result.usage().outputTokens())
                .real(result.usage().cost())
                .text(result.sessionId())
                .text(result.summary())
                .text(result.agentVersion())
                .text(result.stdout().text())
                .bigint(result.stdout().totalBytes())
                .bool(result.stdout().truncated())
                .text(result.stderr().text())
                .bigint(result.stderr().totalBytes())
                .bool(result.stderr().truncated());
    }

    /**
     * Why a claim (or a report) of the attempt by the worker was refused, read from its row within the refused
     * write's transaction. The checks go from the attempt itself to its lease, so the first that fails is the
     * reason that matters most.
     */
    private String refusal(Connection connection, AttemptKey attempt, String workerId, boolean claiming)
            throws SQLException {
        record Row(AttemptState state, RemoteState remote, String worker, Instant leaseUntil, Instant now,
                int lastNumber) {
        }
        List<Row> rows = jdbc.query(connection, REMOTE_ROW, parameters -> parameters.text(attempt.taskId())
                .integer(attempt.number()), found -> new Row(Codes.attemptState(found.getString("state")),
                Codes.remoteState(found.getString("remote_state")), found.getString("lease_worker"),
                dialect.getInstant(found, "lease_until"), dialect.getInstant(found, "db_now"),
                found.getInt("last_number")));
        if (rows.isEmpty()) {
            return "no " + attempt + " is stored";
        }
        Row row = rows.getFirst();
        if (row.remote() == null) {
            return attempt + " was not sent to a remote worker: it runs locally";
        }
        if (row.lastNumber() != attempt.number()) {
            return attempt + " is not the current attempt: attempt " + row.lastNumber() + " is current";
        }
        if (!row.state().inFlight()) {
            return attempt + " is no longer in flight (" + Codes.of(row.state()) + ")";
        }
        boolean passed = row.leaseUntil().isBefore(row.now());
        return switch (row.remote()) {
            case SENT -> claiming
                    ? attempt + " was not claimed in time: its claim window passed at " + row.leaseUntil()
                    : attempt + " is not claimed by any worker";
            case CLAIMED -> !row.worker().equals(workerId) ? attempt + " is claimed by worker " + row.worker()
                    : claiming ? attempt + " is already claimed by worker " + workerId
                    : passed ? attempt + ": the lease passed at " + row.leaseUntil()
                    : attempt + " is claimed by this worker, and its lease holds";
            case REPORTED -> attempt + " was reported already, by worker " + row.worker();
            case EXPIRED -> attempt + " expired: its lease passed at " + row.leaseUntil();
        };
    }

    @Override
    public Optional<RemoteAttempt> remoteAttempt(AttemptKey attempt) {
        Objects.requireNonNull(attempt, "attempt");
        return jdbc.read(connection -> {
            Optional<RemoteAttempt> found = jdbc.query(connection, "SELECT " + REMOTE_COLUMNS
                    + " FROM attempts WHERE task_id = ? AND attempt_number = ? AND remote_state IS NOT NULL",
                    parameters -> parameters.text(attempt.taskId()).integer(attempt.number()),
                    rows -> remoteAttempt(rows, null)).stream().findFirst();
            if (found.isEmpty() || found.get().state() != RemoteState.REPORTED) {
                return found;
            }
            // A reported attempt stays reported, and its accepted result was written with that move.
            RunResult result = jdbc.query(connection, "SELECT " + RESULT_COLUMNS
                    + " FROM attempt_results WHERE task_id = ? AND attempt_number = ? AND accepted",
                    parameters -> parameters.text(attempt.taskId()).integer(attempt.number()),
                    this::runResult).getFirst();
            RemoteAttempt reported = found.get();
            return Optional.of(new RemoteAttempt(reported.key(), reported.agent(), reported.orchestratorId(),
                    reported.state(), reported.workerId(), reported.leaseUntil(), result));
        });
    }

    @Override
    public List<RemoteAttempt> expire(String orchestratorId) {
        Objects.requireNonNull(orchestratorId, "orchestratorId");
        return jdbc.write(connection -> {
            List<RemoteAttempt> expired = new ArrayList<>();
            for (RemoteAttempt passed : jdbc.query(connection, REMOTE_EXPIRING,
                    parameters -> parameters.text(orchestratorId), rows -> remoteAttempt(rows, null))) {
                if (jdbc.update(connection, REMOTE_EXPIRE, parameters -> parameters.text(passed.key().taskId())
                        .integer(passed.key().number())) > 0) {
                    expired.add(passed);
                }
            }
            return expired;
        });
    }

    @Override
    public Optional<RemoteAttempt> revoke(AttemptKey attempt) {
        Objects.requireNonNull(attempt, "attempt");
        jdbc.write(connection -> jdbc.update(connection, REMOTE_REVOKE, parameters -> parameters
                .text(attempt.taskId()).integer(attempt.number())));
        return remoteAttempt(attempt);
    }

    @Override
    public List<ReportedResult> reportedResults(String taskId) {
        return jdbc.read(connection -> jdbc.query(connection, "SELECT " + RESULT_COLUMNS
                + " FROM attempt_results WHERE task_id = ? ORDER BY reported_at, id",
                parameters -> parameters.text(taskId), rows -> new ReportedResult(
                        new AttemptKey(rows.getString("task_id"), rows.getInt("attempt_number")),
                        rows.getString("worker_id"),
                        rows.getBoolean("accepted"),
                        rows.getString("reason"),
                        dialect.getInstant(rows, "reported_at"),
                        runResult(rows))));
    }

    private RemoteAttempt remoteAttempt(ResultSet rows, RunResult result) throws SQLException {
        return new RemoteAttempt(
                new AttemptKey(rows.getString("task_id"), rows.getInt("attempt_number")),
                rows.getString("agent_name"),
                rows.getString("orchestrator_id"),
                Codes.remoteState(rows.getString("remote_state")),
                rows.getString("lease_worker"),
                dialect.getInstant(rows, "lease_until"),
                result);
    }

    /** The failure columns an attempt and a reported result share; {@code null} when there was no failure. */
    private FailureInfo failure(ResultSet rows) throws SQLException {
        String failureType = rows.getString("failure_type");
        return failureType == null ? null : new FailureInfo(Codes.failureType(failureType),
                rows.getString("failure_message"), rows.getBoolean("non_retryable"), rows.getString("failure_detail"),
                dialect.getInstant(rows, "reset_at"));
    }

    private RunResult runResult(ResultSet rows) throws SQLException {
        FailureInfo failure = failure(rows);
        int exitCode = rows.getInt("exit_code");
        Integer exitCodeOrNull = rows.wasNull() ? null : exitCode;
        double cost = rows.getDouble("cost");
        Double costOrNull = rows.wasNull() ? null : cost;
        return new RunResult(
                failure,
                exitCodeOrNull,
                Duration.ofMillis(rows.getLong("duration_ms")),
                new Usage(rows.getLong("input_tokens"), rows.getLong("output_tokens"), costOrNull),
                rows.getString("session_id"),
                rows.getString("summary"),
                rows.getString("agent_version"),
                new CapturedOutput(rows.getString("stdout"), rows.getLong("stdout_bytes"),
                        rows.getBoolean("stdout_truncated")),
                new CapturedOutput(rows.getString("stderr"), rows.getLong("stderr_bytes"),
                        rows.getBoolean("stderr_truncated")));
    }

    /** A lease or window in whole milliseconds (at least one), refusing none, zero and negative ones. */
    private static long positiveMillis(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a " + what + " is longer than zero, was " + duration);
        }
        return Math.max(1, duration.toMillis());
    }

    // ---- TaskClaims
    //
    // A task's claimant is tasks.claimed_by (changelog v11-task-claims). An orchestrator is live while it has not
    // ended and its last beat plus its window is not before the database's now; a claim by one that is not live
    // holds nothing. Claiming reads the claimable rows FOR UPDATE SKIP LOCKED on PostgreSQL, so orchestrators
    // claiming at once each take rows the others are not taking; SQLite's one writer claims alone.


    /** The task {@code t} is held by no live orchestrator. */
    private static final String UNCLAIMED = """
            (t.claimed_by IS NULL OR NOT EXISTS (SELECT 1 FROM orchestrators o
                WHERE o.orchestrator_id = t.claimed_by AND %s))""".formatted(ORCHESTRATOR_LIVE);

    /** Names the condition of ix_tasks_unfinished (changelog v14), which holds unfinished tasks alone. */
    static final String CLAIMABLE_TASKS = """
            SELECT t.task_id FROM tasks t
            WHERE t.state IN %s AND (t.state = '%s' OR t.state = '%s' AND t.due_at <= ?) AND %s
            ORDER BY t.created_at, t.task_id LIMIT ?{skip_locked}""".formatted(UNFINISHED_STATES,
            Codes.of(TaskState.QUEUED), Codes.of(TaskState.WAITING), UNCLAIMED);

    private static final String TASK_IDS = "(" + String.join(", ", Collections.nCopies(OUTBOX_IDS_AT_ONCE, "?"))
            + ")";

    private static final String TASKS_CLAIM = "UPDATE tasks SET claimed_by = ? WHERE task_id IN " + TASK_IDS;

    private static final String TASK_CLAIM = """
            UPDATE tasks AS t SET claimed_by = ?
            WHERE t.task_id = ? AND (t.claimed_by = ? OR %s)""".formatted(UNCLAIMED);

    static final String CLAIMED_TASKS = "SELECT task_id FROM tasks WHERE claimed_by = ? AND state IN "
            + UNFINISHED_STATES + " ORDER BY created_at, task_id";

    static final String TASKS_RELEASE = "UPDATE tasks SET claimed_by = NULL WHERE claimed_by = ? AND state IN "
            + UNFINISHED_STATES;

    static final String ORPHANED_ATTEMPTS = """
            SELECT %s FROM attempts
            WHERE state IN %s AND orchestrator_id IN (SELECT o.orchestrator_id FROM orchestrators o
                WHERE o.last_heartbeat IS NOT NULL AND NOT (%s))
            ORDER BY started_at, task_id, attempt_number""".formatted(ATTEMPT_RECORD_COLUMNS, IN_FLIGHT_STATES,
            ORCHESTRATOR_LIVE);

    @Override
    public boolean beatOrchestrator(String orchestratorId, Duration staleAfter) {
        Objects.requireNonNull(orchestratorId, "orchestratorId");
        long staleAfterMs = positiveMillis(staleAfter, "heartbeat window");
        return jdbc.write(connection -> jdbc.update(connection, """
                UPDATE orchestrators SET last_heartbeat = {now}, stale_after_ms = ?
                WHERE orchestrator_id = ? AND ended_at IS NULL""",
                parameters -> parameters.bigint(staleAfterMs).text(orchestratorId))) > 0;
    }

    @Override
    public List<String> claimTasks(String orchestratorId, int limit, Instant now) {
        Objects.requireNonNull(orchestratorId, "orchestratorId");
        Objects.requireNonNull(now, "now");
        if (limit < 1) {
            throw new IllegalArgumentException("a limit is 1 or more, was " + limit);
        }
        return jdbc.write(connection -> {
            List<String> claimable = jdbc.query(connection, CLAIMABLE_TASKS,
                    parameters -> parameters.instant(now).integer(limit), rows -> rows.getString(1));
            // The rows are locked (PostgreSQL) or the writer is alone (SQLite): nobody changed them since.
            updateInChunks(connection, TASKS_CLAIM, parameters -> parameters.text(orchestratorId), claimable,
                    Parameters::text);
            return claimable;
        });
    }

    @Override
    public boolean claimTask(String taskId, String orchestratorId) {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(orchestratorId, "orchestratorId");
        return jdbc.write(connection -> jdbc.update(connection, TASK_CLAIM,
                parameters -> parameters.text(orchestratorId).text(taskId).text(orchestratorId))) > 0;
    }

    @Override
    public List<String> claimedTasks(String orchestratorId) {
        Objects.requireNonNull(orchestratorId, "orchestratorId");
        return jdbc.read(connection -> jdbc.query(connection, CLAIMED_TASKS,
                parameters -> parameters.text(orchestratorId), rows -> rows.getString(1)));
    }

    @Override
    public int releaseTasks(String orchestratorId) {
        Objects.requireNonNull(orchestratorId, "orchestratorId");
        return jdbc.write(connection -> jdbc.update(connection, TASKS_RELEASE,
                parameters -> parameters.text(orchestratorId)));
    }

    @Override
    public List<AttemptRecord> orphanedAttempts() {
        return jdbc.read(connection -> jdbc.query(connection, ORPHANED_ATTEMPTS, parameters -> { },
                this::attemptRecord));
    }
}
