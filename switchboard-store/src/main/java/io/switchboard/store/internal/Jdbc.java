package io.switchboard.store.internal;

import io.switchboard.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs units of work on the store's connections: reads in auto-commit, writes in one transaction each,
 * committed before the call returns (with a source of one writer connection, writers queued for it share one
 * commit: {@link GroupCommit}). SQL failures become {@link StoreException}s; other exceptions pass
 * through (after the transaction is rolled back).
 */
public final class Jdbc {

    /** A unit of work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Binds a statement's parameters. */
    @FunctionalInterface
    public interface Binder {
        void bind(Parameters parameters) throws SQLException;
    }

    /** Maps the current row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rows) throws SQLException;
    }

    private final ConnectionSource connections;
    private final Dialect dialect;
    private final boolean readOnly;
    /** For sources with one writer connection; null otherwise. */
    private final GroupCommit groupCommit;
    /**
     * Each statement as the dialect spells it, by the SQL as written: the store's SQL is a fixed set of
     * constants (and a few combinations of filters), so this stays small, and a statement on the hot path is
     * neither re-spelled nor re-hashed each time it runs.
     */
    private final Map<String, String> spellings = new ConcurrentHashMap<>();

    public Jdbc(ConnectionSource connections, Dialect dialect, boolean readOnly) {
        this.connections = connections;
        this.dialect = dialect;
        this.readOnly = readOnly;
        this.groupCommit = connections.groupsCommits() ? new GroupCommit(connections) : null;
    }

    public Dialect dialect() {
        return dialect;
    }

    public <T> T read(Work<T> work) {
        try {
            Connection connection = connections.acquire();
            try {
                return work.run(connection);
            } finally {
                connections.release(connection);
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    public <T> T write(Work<T> work) {
        if (readOnly) {
            throw new StoreException("The store was opened read-only; nothing can be written to it");
        }
        try {
            if (groupCommit != null) {
                return groupCommit.write(work);
            }
            Connection connection = connections.acquireWriter();
            try {
                connection.setAutoCommit(false);
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException | Error e) {
                    rollback(connection, e);
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            } finally {
                connections.releaseWriter(connection);
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Runs a statement with the dialect's spelling of its placeholders; returns the rows it changed. */
    public int update(Connection connection, String sql, Binder binder) throws SQLException {
        return withStatement(connection, sql, statement -> {
            binder.bind(new Parameters(statement, dialect));
            return statement.executeUpdate();
        });
    }

    public <T> List<T> query(Connection connection, String sql, Binder binder, RowMapper<T> mapper)
            throws SQLException {
        return withStatement(connection, sql, statement -> {
            binder.bind(new Parameters(statement, dialect));
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                return result;
            }
        });
    }

    private interface StatementWork<T> {
        T run(PreparedStatement statement) throws SQLException;
    }

    /**
     * Runs the work on a statement from the connection source, handing it back when the work is done; a
     * statement whose work failed is closed instead, since it may be left mid-step.
     */
    private <T> T withStatement(Connection connection, String sql, StatementWork<T> work) throws SQLException {
        String spelled = spellings.computeIfAbsent(sql, dialect::sql);
        PreparedStatement statement = connections.prepare(connection, spelled);
        T result;
        try {
            result = work.run(statement);
        } catch (SQLException | RuntimeException | Error e) {
            try {
                statement.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        connections.done(spelled, statement);
        return result;
    }

    private static void rollback(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static StoreException failed(SQLException e) {
        return new StoreException("The database failed: " + e.getMessage(), e);
    }
}
