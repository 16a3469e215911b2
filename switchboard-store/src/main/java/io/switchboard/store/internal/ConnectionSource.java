package io.switchboard.store.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** Where the store's connections come from, and how many may be in use at once. */
public interface ConnectionSource extends AutoCloseable {

    /** A connection for one unit of work, in auto-commit mode; hand it back with {@link #release}. */
    Connection acquire() throws SQLException;

    void release(Connection connection) throws SQLException;

    /** A connection of the caller's own (for migrations), which the caller closes. */
    Connection openDedicated() throws SQLException;

    @Override
    void close();
}
