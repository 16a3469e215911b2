package io.switchboard.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
