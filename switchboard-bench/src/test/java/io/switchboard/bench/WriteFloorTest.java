package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
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
}
