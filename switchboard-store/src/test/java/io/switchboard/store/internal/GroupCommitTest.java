package io.switchboard.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers queued for SQLite's one writer connection share a commit; each returns only once its work is committed,
 * and one that fails takes only its own work back. The queue is built on purpose (the first writer holds the
 * connection until the others wait for it), so nothing here depends on timing.
 */
@Timeout(30)
class GroupCommitTest {
    @TempDir
    Path folder;

    private SqliteConnection connections;
    private GroupCommit group;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    @BeforeEach
    void open() throws SQLException {
        connections = new SqliteConnection("jdbc:sqlite:" + folder.resolve("state.db"), false);
        group = new GroupCommit(connections);
        group.write(connection -> execute(connection, "CREATE TABLE rows (id INTEGER PRIMARY KEY)"));
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        connections.close();
    }

    @Test
    void aWriterAloneCommitsAtOnce() throws Exception {
        long before = group.commits();

        group.write(connection -> execute(connection, "INSERT INTO rows VALUES (1)"));

        assertThat(group.commits()).isEqualTo(before + 1);
        assertThat(committedRows()).containsExactly(1);
    }

    @Test
    void writersQueuedBehindOneShareItsCommitAndEachReturnsAfterIt() throws Exception {
        long before = group.commits();
        CompletableFuture<Void> othersQueued = new CompletableFuture<>();
        Future<?> first = threads.submit(() -> group.write(connection -> {
            execute(connection, "INSERT INTO rows VALUES (1)");
            // Hold the writer until the two others wait for it.
            while (connections.writersQueued() < 2) {
                Thread.onSpinWait();
            }
            othersQueued.complete(null);
            return null;
        }));
        List<Future<?>> others = new ArrayList<>();
        waitUntilHeld();
        for (int id = 2; id <= 3; id++) {
            int row = id;
            others.add(threads.submit(() -> group.write(connection -> execute(connection,
                    "INSERT INTO rows VALUES (" + row + ")"))));
        }
        othersQueued.get();

        first.get();
        // The first writer returned: its row is committed, which only the last writer in the queue could do.
        assertThat(committedRows()).contains(1);
        for (Future<?> other : others) {
            other.get();
        }

        assertThat(committedRows()).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(group.commits()).isEqualTo(before + 1);
    }

    @Test
    void aWriterThatFailsInAGroupTakesBackOnlyItsOwnWork() throws Exception {
        CompletableFuture<Void> otherQueued = new CompletableFuture<>();
        Future<?> first = threads.submit(() -> group.write(connection -> {
            execute(connection, "INSERT INTO rows VALUES (1)");
            while (connections.writersQueued() < 1) {
                Thread.onSpinWait();
            }
            otherQueued.complete(null);
            return null;
        }));
        waitUntilHeld();
        Future<?> failing = threads.submit(() -> group.write(connection -> {
            execute(connection, "INSERT INTO rows VALUES (2)");
            execute(connection, "INSERT INTO rows VALUES (1)"); // a duplicate key: this unit of work fails
            return null;
        }));
        otherQueued.get();

        first.get();
        assertThatThrownBy(failing::get).hasCauseInstanceOf(SQLException.class)
                .hasMessageContaining("UNIQUE");
        assertThat(committedRows()).containsExactly(1);
        // The writer connection is usable afterwards, in a transaction of its own.
        group.write(connection -> execute(connection, "INSERT INTO rows VALUES (4)"));
        assertThat(committedRows()).containsExactly(1, 4);
    }

    @Test
    void aWriterAloneThatFailsLeavesNothingBehind() throws Exception {
        assertThatThrownBy(() -> group.write(connection -> {
            execute(connection, "INSERT INTO rows VALUES (5)");
            throw new IllegalStateException("refused");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(committedRows()).isEmpty();
    }

    @Test
    void aCommitThatFailsFailsItsWriterLeavesNothingBehindAndTheNextWriteCommits() throws Exception {
        // A deferred foreign key is checked at COMMIT: the commit fails, and SQLite keeps the transaction open.
        group.write(connection -> execute(connection, "CREATE TABLE parents (id INTEGER PRIMARY KEY)"));
        group.write(connection -> execute(connection, "CREATE TABLE children (id INTEGER PRIMARY KEY, parent INTEGER"
                + " REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED)"));
        long before = group.commits();

        assertThatThrownBy(() -> group.write(connection -> {
            execute(connection, "INSERT INTO rows VALUES (6)");
            return execute(connection, "INSERT INTO children VALUES (1, 99)");
        })).isInstanceOf(SQLException.class).hasMessageContaining("FOREIGN KEY");

        assertThat(committedRows()).isEmpty();
        assertThat(group.commits()).isEqualTo(before);
        // The connection was left with no transaction open: the next writer's work commits alone.
        group.write(connection -> execute(connection, "INSERT INTO rows VALUES (7)"));
        assertThat(committedRows()).containsExactly(7);
        assertThat(group.commits()).isEqualTo(before + 1);
    }

    /** Waits until a writer holds the connection, so that the next ones queue behind it. */
    private void waitUntilHeld() {
        while (!heldByAnother()) {
            Thread.onSpinWait();
        }
    }

    private boolean heldByAnother() {
        try {
            // A reader sees the database locked for writing once the writer's transaction has begun.
            try (Connection probe = connections.openDedicated(); Statement statement = probe.createStatement()) {
                statement.execute("PRAGMA busy_timeout = 0");
                statement.execute("BEGIN IMMEDIATE");
                statement.execute("ROLLBACK");
                return false;
            }
        } catch (SQLException e) {
            return true;
        }
    }

    /** Rows as another connection sees them: only what is committed. */
    private List<Integer> committedRows() throws SQLException {
        Connection reader = connections.acquire();
        try (Statement statement = reader.createStatement();
                var rows = statement.executeQuery("SELECT id FROM rows ORDER BY id")) {
            List<Integer> ids = new ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getInt(1));
            }
            return ids;
        } finally {
            connections.release(reader);
        }
    }

    private static Void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        return null;
    }
}
