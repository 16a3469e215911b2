package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
                List<String> expected = TaskRecords.of(connection, template);
                assertThat(expected).first().asString().startsWith("task succeeded");
                for (String task : Stream.concat(rowByRow.stream(), setBased.stream()).toList()) {
                    assertThat(TaskRecords.of(connection, task)).as(task).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void aSmallerRecordLeavesOutItsPartsAndWritesTheRestAsTheWholeOne(@TempDir Path folder) throws Exception {
        String url = Database.sqliteUrl(folder.resolve("floor.db"));
        try (Database database = Database.open(url)) {
            TaskLoop loop = new TaskLoop(database.store(), new NoOpRunner(), "noop", folder);
            loop.runOne();
            String template = loop.prefix() + "0";
            Map<WriteFloor.Record, String> tasks = new EnumMap<>(WriteFloor.Record.class);
            for (WriteFloor.Record record : WriteFloor.Record.values()) {
                tasks.put(record, loop.submit());
            }

            try (WriteFloor floor = new WriteFloor(url, loop.prefix())) {
                tasks.forEach((record, task) -> {
                    try {
                        floor.run(List.of(task), 1, true, record);
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }

            try (Connection connection = DriverManager.getConnection(url)) {
                List<String> whole = TaskRecords.of(connection, template);
                List<String> transitions = whole.stream().filter(line -> line.startsWith("transition ")).toList();
                // Without the transitions, the task keeps the one it was accepted with.
                List<String> accepted = transitions.subList(0, 1);
                for (WriteFloor.Record record : WriteFloor.Record.values()) {
                    String task = tasks.get(record);
                    List<String> written = TaskRecords.of(connection, task);
                    assertThat(written).as(record.text).first().isEqualTo(whole.getFirst());
                    assertThat(written.stream().filter(line -> line.startsWith("transition ")).toList())
                            .as(record.text).isEqualTo(record.transitions ? transitions : accepted);
                    assertThat(TaskRecords.query(connection, "SELECT COUNT(*) FROM routing_decisions"
                            + " WHERE task_id = ?", task)).as(record.text)
                            .containsExactly(record.decisions ? "1" : "0");
                    assertThat(TaskRecords.query(connection, "SELECT state || ' ' || (decision_id IS NULL)"
                            + " FROM attempts WHERE task_id = ?", task)).as(record.text)
                            .containsExactly("succeeded " + (record.decisions ? "0" : "1"));
                }
            }
        }
    }
}
