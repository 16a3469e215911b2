package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.bench.DistributedLeg.Submission;
import io.switchboard.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WritesAloneLegTest {

    @Test
    void eachTaskOfARoundGetsTheRecordOfTheTaskItCopiesInBulkAndOneAtATime(@TempDir Path folder) throws Exception {
        try (Scratch scratch = new Scratch(folder.resolve("scratch"))) {
            String templateUrl = scratch.postgres("template");
            String template;
            try (Database database = Database.open(templateUrl)) {
                TaskLoop loop = new TaskLoop(database.store(), new NoOpRunner(), "sb", folder);
                loop.runOne();
                template = loop.prefix() + "0";
            }
            reportedByAWorker(templateUrl, template);

            try (WritesAloneLeg leg = new WritesAloneLeg(scratch.postgres("floor"), templateUrl, "SB-")) {
                DistributedLeg.Round bulk = leg.round(7, Submission.BULK);
                DistributedLeg.Round oneByOne = leg.round(3, Submission.ONE_AT_A_TIME);

                assertThat(bulk.tasks()).isEqualTo(7);
                assertThat(bulk.latency().samples()).isEqualTo(7);
                assertThat(oneByOne.tasks()).isEqualTo(3);
            }
            try (WritesAloneLeg lean = new WritesAloneLeg(scratch.postgres("lean"), templateUrl, "SB-",
                    WriteFloor.Record.ATTEMPT_AND_TASK)) {
                assertThat(lean.name()).isEqualTo("Switchboard, writes alone, the attempt and task alone");
                assertThat(lean.round(4, Submission.BULK).tasks()).isEqualTo(4);
            }
            try (Connection connection = DriverManager.getConnection(templateUrl)) {
                List<String> expected = TaskRecords.of(connection, template);
                assertThat(expected).first().asString().isEqualTo("task succeeded succeeded on noop at attempt 1");
                assertThat(expected).contains("result 1", "decisions 1");
                String floor = schemaOf("floor", connection);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET search_path TO " + floor);
                }
                List<String> tasks = TaskRecords.query(connection, "SELECT task_id FROM tasks"
                        + " WHERE task_id LIKE 'FLOOR-%' ORDER BY task_id", null);
                assertThat(tasks).hasSize(10);
                for (String task : tasks) {
                    assertThat(TaskRecords.of(connection, task)).as(task).isEqualTo(expected);
                }
                assertThat(TaskRecords.query(connection, "SELECT COUNT(*) FROM outbox WHERE claimed_by IS NULL",
                        null))
                        .as("every outbox row was taken by the relay").containsExactly("0");

                // The lean record: the same task, attempt and result, no decision, no transition after the first.
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET search_path TO " + schemaOf("lean", connection));
                }
                List<String> lean = TaskRecords.query(connection, "SELECT task_id FROM tasks"
                        + " WHERE task_id LIKE 'FLOOR-%' ORDER BY task_id", null);
                assertThat(lean).hasSize(4);
                for (String task : lean) {
                    assertThat(TaskRecords.of(connection, task)).as(task).containsExactly(expected.getFirst(),
                            expected.get(1), "result 1", "decisions 0");
                    assertThat(TaskRecords.query(connection, "SELECT state || ' ' || CAST(decision_id IS NULL AS TEXT)"
                            + " FROM attempts WHERE task_id = ?", task)).as(task).containsExactly("succeeded true");
                }
            }
        }
    }

    /** Marks the template's attempt as a worker's claim and accepted report would have, as a remote one's is. */
    private static void reportedByAWorker(String url, String task) throws Exception {
        try (Connection connection = DriverManager.getConnection(url);
                PreparedStatement report = connection.prepareStatement("""
                        INSERT INTO attempt_results (task_id, attempt_number, worker_id, accepted, reason,
                            reported_at, exit_code, duration_ms, input_tokens, output_tokens, cost, summary,
                            agent_version, stdout, stdout_bytes, stdout_truncated, stderr, stderr_bytes,
                            stderr_truncated)
                        VALUES (?, 1, 'w-1', true, 'accepted', now(), 0, 1, 0, 0, 0, '', '', '', 0, false, '', 0,
                            false)""")) {
            report.setString(1, task);
            report.executeUpdate();
        }
    }

    /** The schema {@link Scratch} made for the name, as the connection's server lists it. */
    private static String schemaOf(String name, Connection connection) throws Exception {
        List<String> schemas = TaskRecords.query(connection, "SELECT nspname FROM pg_namespace"
                + " WHERE nspname LIKE 'sb_bench_" + name + "_%'", null);
        assertThat(schemas).hasSize(1);
        return schemas.getFirst();
    }
}
