package io.switchboard.store.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.switchboard.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A small HikariCP pool for PostgreSQL: a CLI run needs one connection, a server a few; more would only
 * take connections other orchestrators and workers sharing the database need.
 */
public final class PooledConnections implements ConnectionSource {
    public static final int MAXIMUM_POOL_SIZE = 4;

    private final HikariDataSource pool;

    public PooledConnections(String url, boolean readOnly) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName("switchboard-store");
        config.setMaximumPoolSize(MAXIMUM_POOL_SIZE);
        config.setMinimumIdle(1);
        config.setReadOnly(readOnly);
        try {
            this.pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("Could not connect to " + redacted(url) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Connection acquire() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void release(Connection connection) throws SQLException {
        connection.close();
    }

    @Override
    public Connection openDedicated() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public void close() {
        pool.close();
    }

    /** The URL without its query, where a password may be: for messages. */
    public static String redacted(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?…";
    }
}
