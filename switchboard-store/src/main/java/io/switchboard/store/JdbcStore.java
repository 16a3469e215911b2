package io.switchboard.store;

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
import io.switchboard.core.routing.ScoredCandidate;
import io.switchboard.core.task.Task;
import io.switchboard.store.internal.Codes;
import io.switchboard.store.internal.Dialect;
import io.switchboard.store.internal.Jdbc;
import io.switchboard.store.internal.JsonColumns;
import io.switchboard.store.internal.Parameters;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The store ports over JDBC, for SQLite and PostgreSQL alike: the SQL below is the only copy, with
 * {@code {json}} and {@code {for_update}} spelled per database by {@link Dialect}, and values bound through
 * it.
 *
 * <p>Every write is one transaction, committed before the method returns; a decision is durable when
 * {@link #append} returns. Read-modify-write (an outcome folded into a performance record, the next attempt
 * number) locks the row it reads on PostgreSQL; on SQLite the write transaction holds the database's write
 * lock from its start. Reads are bounded by the number of agents, never by history: each is served by an
 * index (performance by work type; in-flight attempts by state; recent successes by work type, state and
 * finish time within the window).
 *
 * <p>Instants are stored to the millisecond.
 */
public final class JdbcStore implements Store {

    private static final String AGENT_COLUMNS = """
            agent_id, name, adapter, agent_type, pool_name, capabilities, specializations, strengths, weaknesses,
            cost_per_1k_tokens, context_limit, availability, max_concurrency, mode_flags, command, origin, status,
            retired, last_heartbeat""";

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

    static final String IN_FLIGHT_BY_AGENT = "SELECT agent_id, COUNT(*) AS in_flight FROM attempts WHERE state IN "
            + Codes.attemptStates(AttemptState::inFlight) + " GROUP BY agent_id";

    static final String LAST_SUCCESS_BY_AGENT = """
            SELECT agent_id, MAX(finished_at) AS last_success FROM attempts
            WHERE work_type = ? AND state = '%s' AND finished_at >= ?
            GROUP BY agent_id""".formatted(Codes.of(AttemptState.SUCCEEDED));

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
        Instant at = Dialect.millis(finishedAt);
        return jdbc.write(connection -> {
            // Make sure the row exists, then lock it: two first outcomes at once must not both insert.
            jdbc.update(connection, """
                    INSERT INTO agent_performance (agent_id, work_type, success_count, failure_count,
                        decayed_successes, decayed_failures, decayed_at, total_duration_ms, last_execution, difficulty,
                        tokens, cost)
                    VALUES (?, ?, 0, 0, 0, 0, NULL, 0, NULL, NULL, 0, 0)
                    ON CONFLICT (agent_id, work_type) DO NOTHING""",
                    parameters -> parameters.uuid(agentId).text(workType));
            AgentPerformance current = jdbc.query(connection,
                    "SELECT " + PERFORMANCE_COLUMNS + " FROM agent_performance WHERE agent_id = ? AND work_type = ?"
                            + "{for_update}",
                    parameters -> parameters.uuid(agentId).text(workType), this::performance).getFirst();
            AgentPerformance next = current.plus(success, at, halfLife, durationMs, tokens, cost, difficulty);
            jdbc.update(connection, """
                    UPDATE agent_performance SET success_count = ?, failure_count = ?, decayed_successes = ?,
                        decayed_failures = ?, decayed_at = ?, total_duration_ms = ?, last_execution = ?, difficulty = ?,
                        tokens = ?, cost = ?
                    WHERE agent_id = ? AND work_type = ?""", parameters -> parameters
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
        });
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

    @Override
    public void saveTask(Task task, Instant now) {
        jdbc.write(connection -> jdbc.update(connection, """
                INSERT INTO tasks (task_id, title, work_type, task_type, pool, traits, source, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, {json}, ?, ?, ?)
                ON CONFLICT (task_id) DO UPDATE SET
                    title = excluded.title, work_type = excluded.work_type, task_type = excluded.task_type,
                    pool = excluded.pool, traits = excluded.traits, source = excluded.source,
                    updated_at = excluded.updated_at""", parameters -> parameters
                .text(task.id())
                .text(task.title())
                .text(task.traits().workType())
                .text(task.traits().type().configName())
                .text(task.pool())
                .json(JsonColumns.traits(task.traits()))
                .text(task.source().toString())
                .instant(now)
                .instant(now)));
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
    public Attempt startAttempt(String taskId, UUID agentId, String agentName, Mode mode, String workType,
            Instant now) {
        return jdbc.write(connection -> {
            // Locking the task serialises attempts of one task, so each gets the next number.
            boolean stored = !jdbc.query(connection, "SELECT task_id FROM tasks WHERE task_id = ?{for_update}",
                    parameters -> parameters.text(taskId), rows -> rows.getString(1)).isEmpty();
            if (!stored) {
                throw new IllegalStateException("no task " + taskId + " is stored; save it before its attempts");
            }
            int number = jdbc.query(connection,
                    "SELECT COALESCE(MAX(attempt_number), 0) + 1 FROM attempts WHERE task_id = ?",
                    parameters -> parameters.text(taskId), rows -> rows.getInt(1)).getFirst();
            Attempt attempt = new Attempt(taskId, number, agentId, agentName, mode, workType, AttemptState.RUNNING,
                    Dialect.millis(now), null);
            jdbc.update(connection, """
                    INSERT INTO attempts (task_id, attempt_number, agent_id, agent_name, mode, work_type, state,
                        started_at, finished_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)""", parameters -> parameters
                    .text(taskId)
                    .integer(number)
                    .uuid(agentId)
                    .text(agentName)
                    .text(mode.configName())
                    .text(workType)
                    .text(Codes.of(attempt.state()))
                    .instant(attempt.startedAt()));
            return attempt;
        });
    }

    @Override
    public boolean finishAttempt(String taskId, int number, AttemptState state, Instant now) {
        if (state.inFlight()) {
            throw new IllegalArgumentException("an attempt can only finish in a final state, was " + state);
        }
        return jdbc.write(connection -> jdbc.update(connection,
                "UPDATE attempts SET state = ?, finished_at = ? WHERE task_id = ? AND attempt_number = ? AND state IN "
                        + Codes.attemptStates(AttemptState::inFlight),
                parameters -> parameters.text(Codes.of(state)).instant(now).text(taskId).integer(number))) > 0;
    }

    @Override
    public List<Attempt> attempts(String taskId) {
        return jdbc.read(connection -> jdbc.query(connection, """
                SELECT task_id, attempt_number, agent_id, agent_name, mode, work_type, state, started_at, finished_at
                FROM attempts WHERE task_id = ? ORDER BY attempt_number""",
                parameters -> parameters.text(taskId),
                rows -> new Attempt(
                        rows.getString("task_id"),
                        rows.getInt("attempt_number"),
                        dialect.getUuid(rows, "agent_id"),
                        rows.getString("agent_name"),
                        Codes.mode(rows.getString("mode")),
                        rows.getString("work_type"),
                        Codes.attemptState(rows.getString("state")),
                        dialect.getInstant(rows, "started_at"),
                        dialect.getInstant(rows, "finished_at"))));
    }

    @Override
    public Map<UUID, Integer> inFlightByAgent() {
        Map<UUID, Integer> counts = new HashMap<>();
        jdbc.read(connection -> {
            jdbc.query(connection, IN_FLIGHT_BY_AGENT, parameters -> { },
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
                    rows -> latest.put(dialect.getUuid(rows, "agent_id"), dialect.getInstant(rows, "last_success")));
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

    // ---- CooldownStore

    @Override
    public void coolDown(Cooldown cooldown) {
        jdbc.write(connection -> jdbc.update(connection, """
                INSERT INTO cooldowns (agent_id, until, reason) VALUES (?, ?, ?)
                ON CONFLICT (agent_id) DO UPDATE SET until = excluded.until, reason = excluded.reason""",
                parameters -> parameters.uuid(cooldown.agentId()).instant(cooldown.until()).text(cooldown.reason())));
    }

    @Override
    public Map<UUID, Cooldown> active(Instant now) {
        Map<UUID, Cooldown> active = new HashMap<>();
        jdbc.read(connection -> jdbc.query(connection, "SELECT agent_id, until, reason FROM cooldowns WHERE until > ?",
                parameters -> parameters.instant(now),
                rows -> new Cooldown(dialect.getUuid(rows, "agent_id"), dialect.getInstant(rows, "until"),
                        rows.getString("reason"))))
                .forEach(cooldown -> active.put(cooldown.agentId(), cooldown));
        return active;
    }

    // ---- DecisionLog

    @Override
    public long append(RoutingDecision decision) {
        Optional<ScoredCandidate> chosen = decision.chosen();
        return jdbc.write(connection -> jdbc.query(connection, """
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
                .json(JsonColumns.weights(decision.weights()))
                .json(JsonColumns.candidates(decision.candidates()))
                .json(JsonColumns.exclusions(decision.exclusions()))
                .json(JsonColumns.traits(decision.traits()))
                .text(decision.rule())
                .real(decision.propensity())
                .bigint(decision.seed())
                .instant(decision.decidedAt()), rows -> rows.getLong(1)).getFirst());
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
