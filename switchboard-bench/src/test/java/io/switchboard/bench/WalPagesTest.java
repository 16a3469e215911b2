package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalPagesTest {

    @Test
    void eachCommitsPagesAreCountedByTheTableOrIndexTheyBelongTo(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("pages.db");
        String url = "jdbc:sqlite:" + file;
        try (Connection writer = DriverManager.getConnection(url); Connection pin = DriverManager.getConnection(url)) {
            try (Statement statement = writer.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
                statement.execute("CREATE INDEX ix_rows_name ON rows (name)");
                statement.execute("CREATE TABLE untouched (id INTEGER PRIMARY KEY)");
            }
            PreparedStatement insert = writer.prepareStatement("INSERT INTO rows (name) VALUES (?)");
            // Rows inserted before the count: their frames are in the log too, and must not be counted. Then the
            // log is checkpointed and restarted, as SQLite does by itself: the file keeps its size, and the frames
            // written next overwrite it from its beginning.
            for (int i = 0; i < 50; i++) {
                insert.setString(1, "before-" + i);
                insert.executeUpdate();
            }
            try (Statement statement = writer.createStatement()) {
                statement.execute("PRAGMA wal_checkpoint(RESTART)");
            }
            insert.setString(1, "after the restart");
            insert.executeUpdate();

            WalPages.Count count = WalPages.count(file, pin, 40, () -> {
                for (int i = 0; i < 40; i++) {
                    insert.setString(1, "counted-" + i);
                    insert.executeUpdate();
                }
            });

            // One auto-committed insert a unit: one commit each, and in each the table's last leaf and the
            // index's leaf (both small enough for one page each here).
            assertThat(count.commits()).isEqualTo(1.0);
            assertThat(count.byBtree()).containsEntry("rows", 1.0).containsEntry("ix_rows_name", 1.0)
                    .doesNotContainKey("untouched");
            assertThat(count.pages()).isEqualTo(2.0);
            assertThat(WalPages.top(count, 1)).isEqualTo("ix_rows_name 1.00");
        }
    }
}
