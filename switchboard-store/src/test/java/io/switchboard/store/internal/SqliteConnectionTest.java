package io.switchboard.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConnection;

class SqliteConnectionTest {
    private static final String SELECT_ONE = "SELECT 1";

    @TempDir
    Path folder;

    @Test
    void aStatementIsPreparedOnceForEachSqlAndClosedWithTheConnection() throws Exception {
        SqliteConnection connections = new SqliteConnection("jdbc:sqlite:" + folder.resolve("state.db"), false);
        PreparedStatement first;
        Connection connection = connections.acquire();
        try {
            first = connections.prepare(connection, SELECT_ONE);
            connections.done(SELECT_ONE, first);

            assertThat(connections.prepare(connection, SELECT_ONE)).isSameAs(first);
            PreparedStatement other = connections.prepare(connection, "SELECT 2");
            assertThat(other).isNotSameAs(first);
            connections.done("SELECT 2", other);
            connections.done(SELECT_ONE, first);
        } finally {
            connections.release(connection);
        }

        connections.close();

        assertThat(first.isClosed()).isTrue();
    }

    @Test
    void whatWritersCommitIsCopiedIntoTheDatabaseFileBesideThemAndTheThreadEndsWithTheSource() throws Exception {
        Path file = folder.resolve("state.db");
        // Another source left open in this JVM may have a checkpointer of its own: only this one's is looked for.
        java.util.Set<Thread> before = checkpointers();
        SqliteConnection connections = new SqliteConnection("jdbc:sqlite:" + file, false);
        Connection writer = connections.acquireWriter();
        try (Statement statement = writer.createStatement()) {
            statement.execute("CREATE TABLE pages (id INTEGER PRIMARY KEY, body BLOB NOT NULL)");
            // The writer checkpoints the WAL itself only past this many pages: far more than written here.
            try (ResultSet pages = statement.executeQuery("PRAGMA wal_autocheckpoint")) {
                pages.next();
                assertThat(pages.getInt(1)).isEqualTo(SqliteConnection.WRITER_CHECKPOINT_PAGES);
            }
        } finally {
            connections.releaseWriter(writer);
        }
        long sizeBefore = Files.size(file);
        int rows = SqliteConnection.WRITES_PER_CHECKPOINT;
        for (int i = 0; i < rows; i++) {
            writer = connections.acquireWriter();
            try (PreparedStatement insert = writer.prepareStatement("INSERT INTO pages (body) VALUES (?)")) {
                insert.setBytes(1, new byte[8_192]);
                insert.executeUpdate();
            } finally {
                connections.releaseWriter(writer);
            }
        }

        // Committed to the WAL only, until a checkpoint copies the rows' pages into the database file.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(connections.checkpoints()).isPositive();
            assertThat(Files.size(file)).isGreaterThanOrEqualTo(sizeBefore + rows * 8_192L);
        });
        java.util.Set<Thread> own = checkpointers();
        own.removeAll(before);
        assertThat(own).hasSize(1);
        connections.close();
        assertThat(own.iterator().next().isAlive()).isFalse();
    }

    private static java.util.Set<Thread> checkpointers() {
        java.util.Set<Thread> alive = new java.util.HashSet<>(Thread.getAllStackTraces().keySet());
        alive.removeIf(thread -> !thread.getName().equals("sqlite-checkpoint") || !thread.isAlive());
        return alive;
    }

    @Test
    void aStatementInUseIsNotHandedOutTwice() throws Exception {
        try (SqliteConnection connections = new SqliteConnection("jdbc:sqlite:" + folder.resolve("state.db"), false)) {
            Connection connection = connections.acquire();
            try {
                PreparedStatement outer = connections.prepare(connection, SELECT_ONE);
                PreparedStatement inner = connections.prepare(connection, SELECT_ONE);

                assertThat(inner).isNotSameAs(outer);
                connections.done(SELECT_ONE, inner);
                connections.done(SELECT_ONE, outer);
                // One is kept; the other, handed back second, is closed.
                assertThat(outer.isClosed()).isTrue();
                assertThat(connections.prepare(connection, SELECT_ONE)).isSameAs(inner);
            } finally {
                connections.release(connection);
            }
        }
    }

    @Test
    void insertsAreNotFollowedByTheDriversQueryForGeneratedKeys() throws Exception {
        // The store reads ids with RETURNING; the driver's own query would prepare and run a second statement after
        // every INSERT.
        try (SqliteConnection connections = new SqliteConnection("jdbc:sqlite:" + folder.resolve("state.db"), false)) {
            Connection writer = connections.acquireWriter();
            try {
                assertThat(writer.unwrap(SQLiteConnection.class).getConnectionConfig().isGetGeneratedKeys())
                        .isFalse();
            } finally {
                connections.releaseWriter(writer);
            }
            Connection reader = connections.acquire();
            try {
                assertThat(reader.unwrap(SQLiteConnection.class).getConnectionConfig().isGetGeneratedKeys())
                        .isFalse();
            } finally {
                connections.release(reader);
            }
        }
    }
}
