package io.switchboard.bench;

import static io.switchboard.testkit.TaskBuilder.aTask;

import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.task.TaskType;
import io.switchboard.store.Database;
import io.switchboard.store.StoreConnection;
import io.switchboard.store.internal.Codes;
import io.switchboard.store.internal.Dialect;
import io.switchboard.store.internal.JsonColumns;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Past tasks, attempts, performance records and decisions, written straight into the store's tables in JDBC
 * batches on the store's own connection, with instants and UUIDs bound the way the store binds them. Seeding a
 * million rows through the store's API, one transaction each, would take longer than every measurement.
 */
final class History {
    /** Rows per {@code executeBatch}. */
    private static final int BATCH = 500;
    /** Rows per transaction. */
    private static final int TRANSACTION = 50_000;
    /** History reaches back this far before "now". */
    static final Duration SPAN = Duration.ofDays(365);
    /** Tasks whose last attempt is still running, whatever the size of the history. */
    static final int IN_FLIGHT = 5;

    private History() {
    }

    /** Binds the parameters of row {@code row}. */
    @FunctionalInterface
    interface Row {
        void bind(PreparedStatement statement, Dialect dialect, int row) throws SQLException;
    }

    /** What {@link #attempts} wrote. */
    record Attempts(int tasks, int attempts) {
        /** The id of a seeded task. */
        static String taskId(int index) {
            return "H-" + index;
        }
    }

    /**
     * Writes {@code count} attempts over about a quarter as many tasks (one to seven attempts each), spread
     * evenly over the year before {@code now} and over the work types; four in five were made by one of the
     * registered agents, the rest by agents since removed. Most finished (seven in ten succeeded); the last
     * attempt of each of the newest {@link #IN_FLIGHT} tasks is still running.
     */
    static Attempts attempts(Database database, List<RegisteredAgent> registered, int count, Instant now, long seed) {
        int tasks = 0;
        for (int written = 0; written < count; tasks++) {
            written += attemptsOf(tasks);
        }
        int taskCount = tasks;
        Duration perTask = SPAN.dividedBy(taskCount);
        List<String> traits = Population.WORK_TYPES.stream()
                .map(type -> JsonColumns.traits(aTask().ofType(TaskType.IMPLEMENT).ofWorkType(type).build().traits()))
                .toList();
        insert(database, taskCount, """
                INSERT INTO tasks (task_id, title, work_type, task_type, pool, traits, source, created_at, updated_at,
                    state_changed_at)
                VALUES (?, ?, ?, 'implement', NULL, {json}, 'seeded', ?, ?, ?)""", (statement, dialect, row) -> {
            Instant created = taskStart(now, perTask, row);
            statement.setString(1, Attempts.taskId(row));
            statement.setString(2, "Past task " + row);
            statement.setString(3, workType(row));
            statement.setString(4, traits.get(row % traits.size()));
            dialect.setInstant(statement, 5, created);
            dialect.setInstant(statement, 6, created);
            // Since version 4 a task's status says when its state last changed; the store always writes it.
            dialect.setInstant(statement, 7, created);
        });

        List<UUID> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (RegisteredAgent agent : registered) {
            ids.add(agent.id());
            names.add(agent.name());
        }
        int removed = Math.max(1, registered.size() / 4);
        for (int i = 0; i < removed; i++) {
            ids.add(UUID.nameUUIDFromBytes(("removed-agent:" + i).getBytes(StandardCharsets.UTF_8)));
            names.add("removed-" + i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        // Rows are generated in task order; each row's task and number follow from the running position.
        int[] position = {0, 1};
        insert(database, count, """
                INSERT INTO attempts (task_id, attempt_number, agent_id, agent_name, mode, work_type, state,
                    started_at, finished_at)
                VALUES (?, ?, ?, ?, 'auto', ?, ?, ?, ?)""", (statement, dialect, row) -> {
            int task = position[0];
            int number = position[1];
            boolean last = number == attemptsOf(task) || row == count - 1;
            if (last) {
                position[0]++;
                position[1] = 1;
            } else {
                position[1]++;
            }
            int agent = random.nextInt(5) < 4 ? random.nextInt(registered.size())
                    : registered.size() + random.nextInt(removed);
            Instant started = taskStart(now, perTask, task).plus(Duration.ofMinutes(20L * (number - 1)));
            boolean running = last && task >= taskCount - IN_FLIGHT;
            AttemptState state = running ? AttemptState.RUNNING : outcome(random.nextInt(100));
            statement.setString(1, Attempts.taskId(task));
            statement.setInt(2, number);
            dialect.setUuid(statement, 3, ids.get(agent));
            statement.setString(4, names.get(agent));
            statement.setString(5, workType(task));
            statement.setString(6, Codes.of(state));
            dialect.setInstant(statement, 7, started);
            dialect.setInstant(statement, 8, running ? null : started.plus(Duration.ofMinutes(1 + random.nextInt(15))));
        });
        return new Attempts(taskCount, count);
    }

    /** A performance record for every agent on every work type. */
    static void performance(Database database, List<RegisteredAgent> agents, Instant now, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int types = Population.WORK_TYPES.size();
        insert(database, agents.size() * types, """
                INSERT INTO agent_performance (agent_id, work_type, success_count, failure_count, decayed_successes,
                    decayed_failures, decayed_at, total_duration_ms, last_execution, difficulty, tokens, cost)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)""", (statement, dialect, row) -> {
            long successes = random.nextInt(200);
            long failures = random.nextInt(60);
            Instant last = now.minus(Duration.ofMinutes(random.nextInt(60 * 24 * 30)));
            dialect.setUuid(statement, 1, agents.get(row / types).id());
            statement.setString(2, Population.WORK_TYPES.get(row % types));
            statement.setLong(3, successes);
            statement.setLong(4, failures);
            statement.setDouble(5, successes * 0.6);
            statement.setDouble(6, failures * 0.6);
            dialect.setInstant(statement, 7, last);
            statement.setLong(8, (successes + failures) * 90_000);
            dialect.setInstant(statement, 9, last);
            statement.setLong(10, (successes + failures) * 30_000);
            statement.setDouble(11, (successes + failures) * 0.4);
        });
    }

    /**
     * Writes {@code count} decision rows, each a copy of one of the templates (encoded once) for a task of its
     * own, made at evenly spread instants over the year before {@code now}. The templates' chosen agents must
     * be registered.
     */
    static void decisions(Database database, List<RoutingDecision> templates, int count, Instant now) {
        List<DecisionRow> rows = templates.stream().map(DecisionRow::of).toList();
        Duration step = SPAN.dividedBy(count);
        Instant first = now.minus(SPAN);
        insert(database, count, DecisionRow.INSERT, (statement, dialect, row) ->
                rows.get(row % rows.size()).bind(statement, dialect, "H-" + row, first.plus(step.multipliedBy(row))));
    }

    /**
     * A decision row with every column encoded, as the store would write it: what the bare INSERT of the
     * throughput measurement writes, and what seeded history is copied from.
     */
    record DecisionRow(RoutingDecision decision, String weights, String candidates, String exclusions,
            String traits) {
        static final String INSERT = """
                INSERT INTO routing_decisions (task_id, attempt_number, work_type, pool, selected_agent_id,
                    selected_agent_name, mode, score, success_rate_pct, specialization_match, recent_context_match,
                    retried, reason, policy_name, weights, candidates, exclusions, traits, rule, propensity, seed,
                    created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {json}, {json}, {json}, {json}, ?, ?, ?, ?)""";

        static DecisionRow of(RoutingDecision decision) {
            return new DecisionRow(decision, JsonColumns.weights(decision.weights()),
                    JsonColumns.candidates(decision.candidates()), JsonColumns.exclusions(decision.exclusions()),
                    JsonColumns.traits(decision.traits()));
        }

        /** The bytes of its text and JSON columns in UTF-8, plus eight for each other column. */
        int bytes() {
            int text = 0;
            for (String value : new String[] {decision.taskId(), decision.workType(), decision.pool(),
                    decision.chosenAgent().orElse(null), decision.mode().configName(), decision.reason(),
                    decision.policyName(), weights, candidates, exclusions, traits, decision.rule()}) {
                text += value == null ? 0 : value.getBytes(StandardCharsets.UTF_8).length;
            }
            return text + 10 * 8;
        }

        void bind(PreparedStatement statement, Dialect dialect, String taskId, Instant at) throws SQLException {
            statement.setString(1, taskId);
            statement.setInt(2, decision.attempt());
            statement.setString(3, decision.workType());
            statement.setString(4, decision.pool());
            dialect.setUuid(statement, 5, decision.chosenAgentId().orElse(null));
            statement.setString(6, decision.chosenAgent().orElse(null));
            statement.setString(7, decision.mode().configName());
            statement.setDouble(8, decision.score());
            statement.setDouble(9, decision.successRatePercent());
            statement.setBoolean(10, decision.specializationMatch());
            statement.setBoolean(11, decision.recentContextMatch());
            statement.setBoolean(12, decision.retried());
            statement.setString(13, decision.reason());
            statement.setString(14, decision.policyName());
            statement.setString(15, weights);
            statement.setString(16, candidates);
            statement.setString(17, exclusions);
            statement.setString(18, traits);
            statement.setString(19, decision.rule());
            statement.setDouble(20, decision.propensity());
            if (decision.seed() == null) {
                statement.setNull(21, Types.BIGINT);
            } else {
                statement.setLong(21, decision.seed());
            }
            dialect.setInstant(statement, 22, at);
        }

    }

    /**
     * Brings the store to the state a long-lived database is in after a bulk load. On PostgreSQL that is
     * {@code VACUUM ANALYZE} of the store's tables, which autovacuum runs soon after a load on a default server;
     * without statistics the planner can pick poor plans (it read the attempts' state index for a single task's
     * failed agents, ten times slower at a million attempts), and a server may run with autovacuum off. On
     * SQLite nothing: the store never runs {@code ANALYZE} there, so neither does this.
     */
    static void settle(Database database) {
        if (StoreConnection.dialect(database) != Dialect.POSTGRESQL) {
            return;
        }
        StoreConnection.use(database, connection -> {
            try (var statement = connection.createStatement()) {
                statement.execute("VACUUM (ANALYZE) agent_registry, agent_performance, tasks, attempts, "
                        + "routing_decisions, cooldowns");
            }
            return null;
        });
    }

    /** Inserts {@code count} rows in batches, committing every {@link #TRANSACTION} rows. */
    static void insert(Database database, int count, String sql, Row row) {
        Dialect dialect = StoreConnection.dialect(database);
        StoreConnection.use(database, connection -> {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(dialect.sql(sql))) {
                for (int i = 0; i < count; i++) {
                    row.bind(statement, dialect, i);
                    statement.addBatch();
                    if ((i + 1) % BATCH == 0 || i == count - 1) {
                        statement.executeBatch();
                    }
                    if ((i + 1) % TRANSACTION == 0) {
                        connection.commit();
                    }
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
            return null;
        });
    }

    private static int attemptsOf(int task) {
        return 1 + task % 7;
    }

    private static String workType(int task) {
        return Population.WORK_TYPES.get(task % Population.WORK_TYPES.size());
    }

    private static Instant taskStart(Instant now, Duration perTask, int task) {
        // The newest task starts three hours before now, so that all its attempts (20 minutes apart, up to a
        // quarter of an hour each) are in the past.
        return now.minus(SPAN).plus(perTask.multipliedBy(task)).minus(Duration.ofHours(3));
    }

    /** Seven in ten succeed; the rest fail, time out, are cancelled or abandoned. */
    private static AttemptState outcome(int percent) {
        if (percent < 70) {
            return AttemptState.SUCCEEDED;
        }
        if (percent < 85) {
            return AttemptState.FAILED;
        }
        if (percent < 90) {
            return AttemptState.TIMED_OUT;
        }
        return percent < 95 ? AttemptState.CANCELLED : AttemptState.ABANDONED;
    }
}
