package io.switchboard.store.internal;

import io.switchboard.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * One SQLite connection, used by one thread at a time.
 *
 * <p>SQLite lets one writer in at a time, so a pool would only queue writers inside SQLite (and turn
 * {@code busy_timeout} waits into errors) instead of in this lock. Within the process every unit of work
 * takes the lock; across processes (two CLI runs at once) the WAL journal lets readers and the one writer
 * proceed together, a write transaction begins {@code IMMEDIATE} so it takes the write lock up front (never
 * upgrading a read lock, which could deadlock), and {@code busy_timeout} waits up to five seconds for it.
 *
 * <p>Connections come from the SQLite driver itself, not {@code DriverManager}, which would load and
 * initialise every JDBC driver on the class path first: start-up time matters to the CLI.
 *
 * <p>Pragmas: {@code journal_mode=WAL}, {@code synchronous=NORMAL}, {@code foreign_keys=ON},
 * {@code busy_timeout=5000}. With WAL and {@code synchronous=NORMAL} a commit is in the WAL file when it
 * returns: it survives the process crashing, though not the machine losing power before the next checkpoint.
 *
 * <p>Prepared statements are kept for reuse, up to {@link #CACHED_STATEMENTS} of them by SQL: SQLite compiles a
 * statement when it is prepared, which for the decision log's INSERT took about a tenth of an append. A kept
 * statement holds no lock and no snapshot: the driver resets it when its result set is closed or its update
 * is done, so the next use reads what other connections have committed since.
 */
public final class SqliteConnection implements ConnectionSource {
    public static final int BUSY_TIMEOUT_MILLIS = 5_000;
    /**
     * The store runs a fixed set of statements (about sixty, counting each combination of the decision log's
     * filters); this bounds the cache should that change.
     */
    public static final int CACHED_STATEMENTS = 128;

    private final String url;
    private final SQLiteConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private final Connection connection;
    /** By SQL, least recently used first; only touched while the lock is held. */
    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= CACHED_STATEMENTS) {
                return false;
            }
            closeStatement(eldest.getValue());
            return true;
        }
    };

    public SqliteConnection(String url, boolean readOnly) {
        this.url = url;
        this.config = config(readOnly);
        try {
            this.connection = config.createConnection(url);
        } catch (SQLException e) {
            throw new StoreException("Could not open the SQLite database " + url + ": " + e.getMessage(), e);
        }
    }

    private static SQLiteConfig config(boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        if (readOnly) {
            // The journal mode is kept in the file; setting it would be a write.
            config.setReadOnly(true);
        } else {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        }
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return config;
    }

    @Override
    public Connection acquire() {
        lock.lock();
        return connection;
    }

    @Override
    public void release(Connection released) {
        lock.unlock();
    }

    /** A kept statement for this SQL if there is one (taken out while in use), else a new one. */
    @Override
    public PreparedStatement prepare(Connection on, String sql) throws SQLException {
        PreparedStatement kept = on == connection ? statements.remove(sql) : null;
        if (kept == null) {
            return on.prepareStatement(sql);
        }
        kept.clearParameters();
        return kept;
    }

    /** Keeps the statement for the next use of its SQL, unless one is kept already. */
    @Override
    public void done(String sql, PreparedStatement statement) throws SQLException {
        if (statement.getConnection() != connection || statements.putIfAbsent(sql, statement) != null) {
            statement.close();
        }
    }

    @Override
    public Connection openDedicated() throws SQLException {
        return config.createConnection(url);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            statements.values().forEach(SqliteConnection::closeStatement);
            statements.clear();
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("Could not close the SQLite database " + url + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private static void closeStatement(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException e) {
            throw new StoreException("Could not close a prepared SQLite statement: " + e.getMessage(), e);
        }
    }
}
