package io.switchboard.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** What the store keeps of a task, as lines to compare, on SQLite and PostgreSQL alike. */
final class TaskRecords {
    private TaskRecords() {
    }

    /**
     * What is kept of a task, without its id and times: its state, its transitions in order, its attempts with the
     * decision each points to, its accepted results, and how many decisions it has.
     */
    static List<String> of(Connection connection, String task) throws SQLException {
        List<String> lines = new ArrayList<>();
        lines.addAll(query(connection, "SELECT 'task ' || state || ' ' || state_reason FROM tasks WHERE task_id = ?",
                task));
        lines.addAll(query(connection, "SELECT 'transition ' || COALESCE(CAST(attempt_number AS TEXT), '-') || ' '"
                + " || COALESCE(from_state, '-') || ' ' || to_state || ' ' || reason FROM transitions"
                + " WHERE task_id = ? ORDER BY id", task));
        lines.addAll(query(connection, "SELECT 'attempt ' || a.attempt_number || ' ' || a.state || ' '"
                + " || a.agent_name || ' ' || CAST(a.finished_at IS NOT NULL AS TEXT) || ' ' || d.selected_agent_name"
                + " || ' ' || length(CAST(d.candidates AS TEXT)) FROM attempts a"
                + " JOIN routing_decisions d ON d.id = a.decision_id WHERE a.task_id = ? AND d.task_id = a.task_id",
                task));
        lines.addAll(query(connection, "SELECT 'result ' || attempt_number FROM attempt_results WHERE task_id = ?"
                + " AND accepted ORDER BY attempt_number", task));
        lines.addAll(query(connection, "SELECT 'decisions ' || COUNT(*) FROM routing_decisions WHERE task_id = ?",
                task));
        return lines;
    }

    /** The first column of every row the statement reads, its parameter the task's id (none when null). */
    static List<String> query(Connection connection, String sql, String task) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (task != null) {
                statement.setString(1, task);
            }
            List<String> lines = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    lines.add(rows.getString(1));
                }
            }
            return lines;
        }
    }
}
