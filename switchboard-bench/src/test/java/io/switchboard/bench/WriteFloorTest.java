package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteFloorTest {

    @Test
    void bothWaysWriteEachTaskTheRowsTheLoopWroteForItsOwn(@TempDir Path folder) throws Exception {
        String url = Database.sqliteUrl(folder.resolve("floor.db"));
        try (Database database = Database.open(url)) {
            TaskLoop loop = new TaskLoop(database.store(), new NoOpRunner(), "noop", folder);
            loop.runOne();
            String template = loop.prefix() + "0";
            List<String> rowByRow = List.of(loop.submit(), loop.submit(), loop.submit());
            List<String> setBased = List.of(loop.submit(), loop.submit(), loop.submit());

            try (WriteFloor floor = new WriteFloor(url, loop.prefix())) {
                // Batches of two: a full one and the rest, each way.
                floor.run(rowByRow, 2, false);
                floor.run(setBased, 2, true);
            }

            try (Connection connection = DriverManager.getConnection(url)) {
                List<String> expected = record(connection, template);
                assertThat(expected).first().asString().startsWith("task succeeded");
                for (String task : concat(rowByRow, setBased)) {
                    assertThat(record(connection, task)).as(task).isEqualTo(expected);
                }
            }
        }
    }

    /**
     * What is kept of a task, without its id and times: its state, its transitions, its attempts with the decision
     * each points to, and how many decisions it has.
     */
    private static List<String> record(Connection connection, String task) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.addAll(query(connection, "SELECT 'task ' || state || ' ' || state_reason FROM tasks WHERE task_id = ?",
                task));
        lines.addAll(query(connection, "SELECT 'transition ' || COALESCE(attempt_number, '-') || ' '"
                + " || COALESCE(from_state, '-') || ' ' || to_state || ' ' || reason FROM transitions"
                + " WHERE task_id = ? ORDER BY id", task));
        lines.addAll(query(connection, "SELECT 'attempt ' || a.attempt_number || ' ' || a.state || ' '"
                + " || a.agent_name || ' ' || (a.finished_at IS NOT NULL) || ' ' || d.selected_agent_name || ' '"
                + " || length(d.candidates) FROM attempts a JOIN routing_decisions d ON d.id = a.decision_id"
                + " WHERE a.task_id = ? AND d.task_id = a.task_id", task));
        lines.addAll(query(connection, "SELECT 'decisions ' || COUNT(*) FROM routing_decisions WHERE task_id = ?",
                task));
        return lines;
    }

    private static List<String> query(Connection connection, String sql, String task) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, task);
            try (ResultSet rows = statement.executeQuery()) {
                List<String> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(rows.getString(1));
                }
                return result;
            }
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
