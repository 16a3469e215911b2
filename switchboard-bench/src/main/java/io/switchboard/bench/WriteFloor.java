package io.switchboard.bench;

import io.switchboard.store.internal.SqliteConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The floor under a durable task: the rows the store writes for one task run by the no-op loop, and nothing else,
 * written {@code batch} tasks to a commit. Each task: its decision (the same columns and JSON as the loop's last
 * one), its attempt inserted as started and updated as finished, the task's two moves and its four transitions;
 * each commit: the agent's performance once. Plain prepared statements on one connection opened as the store opens
 * its writer (WAL, {@code synchronous=NORMAL}, the same schema and indexes): no reads, no routing, no JSON built, no
 * checks; a statement a row, or a statement a table for the whole batch. What a dispatcher that wrote whole batches
 * this way could reach at best, before anything it reads or decides; beside it, db-scheduler's figure says how far
 * the target is from the rows themselves.
 */
final class WriteFloor implements AutoCloseable {
    /**
     * Which of a task's rows the set-based floor writes: the whole record, or a smaller one, to tell what each part of
     * the record costs. The attempt and the task's moves are always written.
     */
    enum Record {
        WHOLE(true, true, "the whole record"),
        WITHOUT_DECISIONS(false, true, "without the decision log"),
        WITHOUT_TRANSITIONS(true, false, "without the transitions"),
        ATTEMPT_AND_TASK(false, false, "the attempt and task alone");

        final boolean decisions;
        final boolean transitions;
        final String text;

        Record(boolean decisions, boolean transitions, String text) {
            this.decisions = decisions;
            this.transitions = transitions;
            this.text = text;
        }
    }

    /** The columns the store's attempt start writes (JdbcStore's ATTEMPT_START). */
    private static final List<String> STARTED = List.of("task_id", "attempt_number", "agent_id", "agent_name", "mode",
            "work_type", "state", "started_at", "agent_version", "decision_id", "orchestrator_id", "marker", "packet");
    /** The columns the store's attempt finish writes (JdbcStore's ATTEMPT_FINISH). */
    private static final List<String> FINISHED = List.of("state", "finished_at", "failure_type", "failure_message",
            "non_retryable", "failure_detail", "reset_at", "duration_ms", "input_tokens", "output_tokens", "cost",
            "exit_code", "session_id", "output", "verify_output", "difficulty", "agent_version", "answer",
            "workspace_branch", "workspace_commit", "workspace_copy", "changed_files", "diff_stat");
    private static final String MOVE =
            "UPDATE tasks SET state = ?, state_reason = ?, due_at = NULL, state_changed_at = ? WHERE task_id = ?";
    private static final String TRANSITIONS = "INSERT INTO transitions (task_id, attempt_number, from_state, "
            + "to_state, reason, at) VALUES (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?)";
    private static final String PERFORMANCE = "UPDATE agent_performance SET success_count = success_count + ?, "
            + "decayed_successes = decayed_successes + ?, decayed_at = ?, last_execution = ? "
            + "WHERE agent_id = ? AND work_type = ?";

    private final SqliteConnection source;
    private final Connection connection;
    private final Map<String, Object> decision;
    private final Map<String, Object> attempt;
    private final List<Map<String, Object>> transitions;
    private final PreparedStatement insertDecision;
    private final PreparedStatement startAttempt;
    private final PreparedStatement finishAttempt;
    private final PreparedStatement move;
    private final PreparedStatement insertTransitions;
    private final PreparedStatement performance;
    /** By batch size. */
    private final Map<Integer, SetStatements> setStatements = new HashMap<>();

    /**
     * @param sqliteUrl the store's database, where {@code taskPrefix}'s loop has run a task to success at its first
     *     attempt: its rows are the templates
     */
    WriteFloor(String sqliteUrl, String taskPrefix) throws SQLException {
        this.source = new SqliteConnection(sqliteUrl, false);
        this.connection = source.acquireWriter();
        String task = (String) row("SELECT task_id FROM attempts WHERE task_id LIKE ? AND state = 'succeeded' "
                + "AND attempt_number = 1 ORDER BY finished_at DESC LIMIT 1", taskPrefix + "%").get("task_id");
        if (task == null) {
            throw new IllegalStateException("no task of " + taskPrefix + " succeeded yet: nothing to copy");
        }
        this.decision = row("SELECT * FROM routing_decisions WHERE task_id = ? AND attempt_number = 1", task);
        decision.remove("id");
        this.attempt = row("SELECT * FROM attempts WHERE task_id = ? AND attempt_number = 1", task);
        this.transitions = rows("SELECT * FROM transitions WHERE task_id = ? ORDER BY id", task);
        if (transitions.size() != 5) {
            throw new IllegalStateException("the loop's task has " + transitions.size() + " transitions, not the five "
                    + "the floor copies (accepted, two as it starts, two as it ends)");
        }
        this.insertDecision = connection.prepareStatement(insert("routing_decisions", decision.keySet())
                + " RETURNING id");
        this.startAttempt = connection.prepareStatement(insert("attempts", STARTED));
        this.finishAttempt = connection.prepareStatement("UPDATE attempts SET " + String.join(" = ?, ", FINISHED)
                + " = ? WHERE task_id = ? AND attempt_number = ?");
        this.move = connection.prepareStatement(MOVE);
        this.insertTransitions = connection.prepareStatement(TRANSITIONS);
        this.performance = connection.prepareStatement(PERFORMANCE);
    }

    /**
     * Writes a run of each of these accepted tasks, {@code batch} to a commit: one commit for their starts, one for
     * their ends, as a dispatcher recording whole batches would; a statement a row, or, {@code setBased}, a statement a
     * table for the whole batch (multi-row {@code INSERT}s, {@code UPDATE … FROM (VALUES …)}).
     */
    void run(List<String> taskIds, int batch, boolean setBased) throws SQLException {
        run(taskIds, batch, setBased, Record.WHOLE);
    }

    /**
     * As {@link #run(List, int, boolean)}, writing only the {@code record}'s parts (set-based only: a smaller record
     * is a question about the floor at its best).
     */
    void run(List<String> taskIds, int batch, boolean setBased, Record record) throws SQLException {
        if (!setBased && record != Record.WHOLE) {
            throw new IllegalArgumentException("a smaller record is written set-based only");
        }
        for (int from = 0; from < taskIds.size(); from += batch) {
            List<String> tasks = taskIds.subList(from, Math.min(taskIds.size(), from + batch));
            long now = System.currentTimeMillis();
            connection.setAutoCommit(false);
            if (setBased) {
                startAll(tasks, now, record);
            } else {
                for (String task : tasks) {
                    start(task, now);
                }
            }
            connection.setAutoCommit(true);
            connection.setAutoCommit(false);
            if (setBased) {
                finishAll(tasks, now, record);
            } else {
                for (String task : tasks) {
                    finish(task, now);
                }
            }
            performance.setInt(1, tasks.size());
            performance.setInt(2, tasks.size());
            performance.setLong(3, now);
            performance.setString(4, java.time.Instant.ofEpochMilli(now).toString());
            performance.setObject(5, attempt.get("agent_id"));
            performance.setObject(6, attempt.get("work_type"));
            performance.executeUpdate();
            connection.setAutoCommit(true);
        }
    }

    /** The batch's decisions, attempts, moves and transitions as they start: a statement a table. */
    private void startAll(List<String> tasks, long now, Record record) throws SQLException {
        SetStatements statements = setStatements(tasks.size());
        int i = 1;
        Map<String, Long> decisionIds = new HashMap<>();
        if (record.decisions) {
            for (String task : tasks) {
                for (Map.Entry<String, Object> column : decision.entrySet()) {
                    statements.decisions.setObject(i++, decisionValue(column, task, now));
                }
            }
            try (ResultSet ids = statements.decisions.executeQuery()) {
                while (ids.next()) {
                    decisionIds.put(ids.getString(2), ids.getLong(1));
                }
            }
        }
        i = 1;
        for (String task : tasks) {
            for (String column : STARTED) {
                statements.attempts.setObject(i++, startedValue(column, task, decisionIds.get(task), now));
            }
        }
        statements.attempts.executeUpdate();
        moveAll(statements, tasks, transitions.get(1), now);
        if (record.transitions) {
            transitionsAll(statements, tasks, transitions.get(1), transitions.get(2), now);
        }
    }

    /** The batch's attempts, moves and transitions as they end: a statement a table. */
    private void finishAll(List<String> tasks, long now, Record record) throws SQLException {
        SetStatements statements = setStatements(tasks.size());
        int i = 1;
        for (String task : tasks) {
            statements.finishes.setString(i++, task);
            statements.finishes.setInt(i++, 1);
            for (String column : FINISHED) {
                statements.finishes.setObject(i++, column.equals("finished_at") ? now : attempt.get(column));
            }
        }
        statements.finishes.executeUpdate();
        moveAll(statements, tasks, transitions.get(4), now);
        if (record.transitions) {
            transitionsAll(statements, tasks, transitions.get(3), transitions.get(4), now);
        }
    }

    private void moveAll(SetStatements statements, List<String> tasks, Map<String, Object> to, long now)
            throws SQLException {
        int i = 1;
        for (String task : tasks) {
            statements.moves.setString(i++, task);
            statements.moves.setObject(i++, to.get("to_state"));
            statements.moves.setObject(i++, to.get("reason"));
            statements.moves.setLong(i++, now);
        }
        statements.moves.executeUpdate();
    }

    private void transitionsAll(SetStatements statements, List<String> tasks, Map<String, Object> first,
            Map<String, Object> second, long now) throws SQLException {
        int i = 1;
        for (String task : tasks) {
            for (Map<String, Object> each : List.of(first, second)) {
                statements.transitions.setString(i++, task);
                statements.transitions.setObject(i++, each.get("attempt_number"));
                statements.transitions.setObject(i++, each.get("from_state"));
                statements.transitions.setObject(i++, each.get("to_state"));
                statements.transitions.setObject(i++, each.get("reason"));
                statements.transitions.setLong(i++, now);
            }
        }
        statements.transitions.executeUpdate();
    }

    /** The set-based statements for batches of {@code size} tasks, prepared once. */
    private SetStatements setStatements(int size) throws SQLException {
        SetStatements statements = setStatements.get(size);
        if (statements == null) {
            statements = new SetStatements(
                    connection.prepareStatement(insert("routing_decisions", decision.keySet(), size)
                            + " RETURNING id, task_id"),
                    connection.prepareStatement(insert("attempts", STARTED, size)),
                    connection.prepareStatement("UPDATE attempts SET " + assignments(FINISHED, 3)
                            + " FROM (" + values(FINISHED.size() + 2, size) + ") AS v"
                            + " WHERE attempts.task_id = v.column1 AND attempts.attempt_number = v.column2"),
                    connection.prepareStatement("UPDATE tasks SET state = v.column2, state_reason = v.column3, "
                            + "due_at = NULL, state_changed_at = v.column4 FROM (" + values(4, size) + ") AS v"
                            + " WHERE tasks.task_id = v.column1"),
                    connection.prepareStatement("INSERT INTO transitions (task_id, attempt_number, from_state, "
                            + "to_state, reason, at) " + values(6, 2 * size)));
            setStatements.put(size, statements);
        }
        return statements;
    }

    /** {@code column = v.columnN, …} from {@code first} on. */
    private static String assignments(List<String> columns, int first) {
        List<String> each = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            each.add(columns.get(i) + " = v.column" + (first + i));
        }
        return String.join(", ", each);
    }

    private static String values(int columns, int rows) {
        String row = "(" + String.join(", ", Collections.nCopies(columns, "?")) + ")";
        return "VALUES " + String.join(", ", Collections.nCopies(rows, row));
    }

    private Object decisionValue(Map.Entry<String, Object> column, String task, long now) {
        return switch (column.getKey()) {
            case "task_id" -> task;
            case "created_at" -> now;
            default -> column.getValue();
        };
    }

    private Object startedValue(String column, String task, Long decisionId, long now) {
        return switch (column) {
            case "task_id" -> task;
            case "state" -> "running";
            case "started_at" -> now;
            case "decision_id" -> decisionId;
            case "marker" -> attempt.get("orchestrator_id") + ":" + task + ":1";
            default -> attempt.get(column);
        };
    }

    /** One batch size's statements. */
    private record SetStatements(PreparedStatement decisions, PreparedStatement attempts, PreparedStatement finishes,
            PreparedStatement moves, PreparedStatement transitions) {
        List<PreparedStatement> all() {
            return List.of(decisions, attempts, finishes, moves, transitions);
        }
    }

    private void start(String task, long now) throws SQLException {
        int i = 1;
        for (Map.Entry<String, Object> column : decision.entrySet()) {
            insertDecision.setObject(i++, decisionValue(column, task, now));
        }
        long decisionId;
        try (ResultSet id = insertDecision.executeQuery()) {
            id.next();
            decisionId = id.getLong(1);
        }
        i = 1;
        for (String column : STARTED) {
            startAttempt.setObject(i++, startedValue(column, task, decisionId, now));
        }
        startAttempt.executeUpdate();
        move(task, transitions.get(1), now);
        transitions(task, transitions.get(1), transitions.get(2), now);
    }

    private void finish(String task, long now) throws SQLException {
        int i = 1;
        for (String column : FINISHED) {
            finishAttempt.setObject(i++, column.equals("finished_at") ? now : attempt.get(column));
        }
        finishAttempt.setString(i++, task);
        finishAttempt.setInt(i, 1);
        finishAttempt.executeUpdate();
        move(task, transitions.get(4), now);
        transitions(task, transitions.get(3), transitions.get(4), now);
    }

    private void move(String task, Map<String, Object> to, long now) throws SQLException {
        move.setObject(1, to.get("to_state"));
        move.setObject(2, to.get("reason"));
        move.setLong(3, now);
        move.setString(4, task);
        move.executeUpdate();
    }

    private void transitions(String task, Map<String, Object> first, Map<String, Object> second, long now)
            throws SQLException {
        int i = 1;
        for (Map<String, Object> each : List.of(first, second)) {
            insertTransitions.setString(i++, task);
            insertTransitions.setObject(i++, each.get("attempt_number"));
            insertTransitions.setObject(i++, each.get("from_state"));
            insertTransitions.setObject(i++, each.get("to_state"));
            insertTransitions.setObject(i++, each.get("reason"));
            insertTransitions.setLong(i++, now);
        }
        insertTransitions.executeUpdate();
    }

    private static String insert(String table, java.util.Collection<String> columns) {
        return insert(table, columns, 1);
    }

    private static String insert(String table, java.util.Collection<String> columns, int rows) {
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") " + values(columns.size(), rows);
    }

    private Map<String, Object> row(String sql, String parameter) throws SQLException {
        List<Map<String, Object>> rows = rows(sql, parameter);
        return rows.isEmpty() ? new LinkedHashMap<>() : rows.get(0);
    }

    private List<Map<String, Object>> rows(String sql, String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                List<Map<String, Object>> result = new ArrayList<>();
                while (rows.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                        row.put(rows.getMetaData().getColumnName(i), rows.getObject(i));
                    }
                    result.add(row);
                }
                return result;
            }
        }
    }

    @Override
    public void close() {
        try {
            for (PreparedStatement statement : List.of(insertDecision, startAttempt, finishAttempt, move,
                    insertTransitions, performance)) {
                statement.close();
            }
            for (SetStatements statements : setStatements.values()) {
                for (PreparedStatement statement : statements.all()) {
                    statement.close();
                }
            }
            source.releaseWriter(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            source.close();
        }
    }
}
