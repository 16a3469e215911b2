package io.switchboard.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Where the store's connections come from, and how many may be in use at once. */
public interface ConnectionSource extends AutoCloseable {

    /** A connection for one unit of work, in auto-commit mode; hand it back with {@link #release}. */
    Connection acquire() throws SQLException;

    void release(Connection connection) throws SQLException;

    /**
     * A connection for one write transaction, in auto-commit mode; hand it back with {@link #releaseWriter}. By
     * default any connection from {@link #acquire}.
     */
    default Connection acquireWriter() throws SQLException {
        return acquire();
    }

    default void releaseWriter(Connection connection) throws SQLException {
        release(connection);
    }

    /**
     * Whether writes share one writer connection, one at a time, so that the transactions of writers that queue
     * for it are best committed together ({@link GroupCommit}).
     */
    default boolean groupsCommits() {
        return false;
    }

    /** With {@link #groupsCommits()}: whether other writers are waiting for the writer connection now. */
    default boolean writersWaiting() {
        return false;
    }

    /**
     * A statement for this SQL on a connection from {@link #acquire}, for the caller's use until it hands the
     * statement back with {@link #done}, before releasing the connection. By default a new one each time.
     */
    default PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        return connection.prepareStatement(sql);
    }

    /**
     * The caller is done with a statement from {@link #prepare} (its result sets closed): by default it is
     * closed; a source may keep it for the next use of the same SQL.
     */
    default void done(String sql, PreparedStatement statement) throws SQLException {
        statement.close();
    }

    /** A connection of the caller's own (for migrations), which the caller closes. */
    Connection openDedicated() throws SQLException;

    @Override
    void close();
}
