package io.switchboard.store.internal;

import io.switchboard.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * SQLite connections: one writer, used by one thread at a time, and a few readers.
 *
 * <p>SQLite lets one writer in at a time, so more writer connections would only queue writers inside SQLite (and
 * turn {@code busy_timeout} waits into errors) instead of at this source's lock; writers queued there have their
 * transactions committed together ({@link GroupCommit}). Reads go to reader connections, which in WAL mode see
 * what was committed when each statement began and neither wait for the writer nor hold it up: a reader never
 * sees a write that is not committed, and a thread's own write is committed before {@code write} returns to it.
 * Across processes (two CLI runs at once) the WAL journal lets readers and the one writer proceed together, a
 * write transaction begins {@code IMMEDIATE} so it takes the write lock up front (never upgrading a read lock,
 * which could deadlock), and {@code busy_timeout} waits up to five seconds for it.
 *
 * <p>Connections come from the SQLite driver itself, not {@code DriverManager}, which would load and
 * initialise every JDBC driver on the class path first: start-up time matters to the CLI. Readers are opened
 * when first needed.
 *
 * <p>Pragmas: {@code journal_mode=WAL}, {@code synchronous=NORMAL}, {@code foreign_keys=ON},
 * {@code busy_timeout=5000}. With WAL and {@code synchronous=NORMAL} a commit is in the WAL file when it
 * returns: it survives the process crashing, though not the machine losing power before the next checkpoint.
 *
 * <p>Each connection keeps its prepared statements for reuse, up to {@link #CACHED_STATEMENTS} of them by SQL:
 * SQLite compiles a statement when it is prepared, which for the decision log's INSERT took about a tenth of an
 * append. A kept statement holds no lock and no snapshot: the driver resets it when its result set is closed or
 * its update is done, so the next use reads what other connections have committed since.
 */
public final class SqliteConnection implements ConnectionSource {
    public static final int BUSY_TIMEOUT_MILLIS = 5_000;
    /**
     * The store runs a fixed set of statements (about sixty, counting each combination of the decision log's
     * filters); this bounds the cache should that change.
     */
    public static final int CACHED_STATEMENTS = 128;
    /** Reader connections at most: reads by more threads than this wait for one. */
    public static final int READERS = 4;

    private final String url;
    private final SQLiteConfig config;
    private final boolean readOnly;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Null when read-only. */
    private final Kept writer;
    private final BlockingQueue<Kept> idleReaders = new ArrayBlockingQueue<>(READERS);
    /** Every reader opened, by connection; guarded by itself. */
    private final Map<Connection, Kept> readers = new IdentityHashMap<>();
    private boolean closed;

    public SqliteConnection(String url, boolean readOnly) {
        this.url = url;
        this.readOnly = readOnly;
        this.config = config(readOnly);
        this.writer = readOnly ? null : new Kept(open());
        if (readOnly) {
            // A read-only database is checked for being readable at once, as a writer would be.
            Kept first = new Kept(open());
            readers.put(first.connection, first);
            idleReaders.add(first);
        }
    }

    private Connection open() {
        try {
            return config.createConnection(url);
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
        // The store reads generated ids with RETURNING; left on, the driver runs SELECT last_insert_rowid() on a
        // new statement, prepared anew, after every INSERT.
        config.setGetGeneratedKeys(false);
        return config;
    }

    /** A reader: an idle one, a new one while there are fewer than {@link #READERS}, else the next to be idle. */
    @Override
    public Connection acquire() throws SQLException {
        Kept reader = idleReaders.poll();
        if (reader == null) {
            synchronized (readers) {
                if (closed) {
                    throw new SQLException("the SQLite database " + url + " is closed");
                }
                if (readers.size() < READERS) {
                    reader = new Kept(open());
                    readers.put(reader.connection, reader);
                }
            }
        }
        if (reader == null) {
            try {
                reader = idleReaders.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for a SQLite reader connection", e);
            }
        }
        return reader.connection;
    }

    @Override
    public void release(Connection released) {
        Kept reader;
        synchronized (readers) {
            reader = readers.get(released);
        }
        if (reader == null) {
            throw new IllegalArgumentException("not one of this source's reader connections");
        }
        idleReaders.add(reader);
    }

    @Override
    public Connection acquireWriter() throws SQLException {
        if (writer == null) {
            throw new SQLException("the SQLite database " + url + " was opened read-only");
        }
        writeLock.lock();
        return writer.connection;
    }

    @Override
    public void releaseWriter(Connection connection) {
        writeLock.unlock();
    }

    @Override
    public boolean groupsCommits() {
        return !readOnly;
    }

    @Override
    public boolean writersWaiting() {
        return writeLock.hasQueuedThreads();
    }

    /** How many threads wait for the writer connection now (an estimate, as the lock's). */
    int writersQueued() {
        return writeLock.getQueueLength();
    }

    /** A kept statement for this SQL if there is one (taken out while in use), else a new one. */
    @Override
    public PreparedStatement prepare(Connection on, String sql) throws SQLException {
        Kept kept = keptFor(on);
        PreparedStatement statement = kept == null ? null : kept.statements.remove(sql);
        if (statement == null) {
            return on.prepareStatement(sql);
        }
        statement.clearParameters();
        return statement;
    }

    /** Keeps the statement for the next use of its SQL on its connection, unless one is kept already. */
    @Override
    public void done(String sql, PreparedStatement statement) throws SQLException {
        Kept kept = keptFor(statement.getConnection());
        if (kept == null || kept.statements.putIfAbsent(sql, statement) != null) {
            statement.close();
        }
    }

    /** The connection's statements; only touched by the thread that holds the connection. */
    private Kept keptFor(Connection connection) {
        if (writer != null && connection == writer.connection) {
            return writer;
        }
        synchronized (readers) {
            return readers.get(connection);
        }
    }

    @Override
    public Connection openDedicated() throws SQLException {
        return config.createConnection(url);
    }

    @Override
    public void close() {
        List<Kept> all = new ArrayList<>();
        synchronized (readers) {
            closed = true;
            all.addAll(readers.values());
        }
        if (writer != null) {
            writeLock.lock();
            all.add(writer);
        }
        try {
            StoreException failure = null;
            for (Kept kept : all) {
                try {
                    kept.close();
                } catch (SQLException e) {
                    if (failure == null) {
                        failure = new StoreException("Could not close the SQLite database " + url + ": "
                                + e.getMessage(), e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            if (writer != null) {
                writeLock.unlock();
            }
        }
    }

    /** A connection and the statements kept for it, by SQL, least recently used first. */
    private static final class Kept {
        final Connection connection;
        final Map<String, PreparedStatement> statements = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                if (size() <= CACHED_STATEMENTS) {
                    return false;
                }
                closeStatement(eldest.getValue());
                return true;
            }
        };

        Kept(Connection connection) {
            this.connection = connection;
        }

        void close() throws SQLException {
            statements.values().forEach(Kept::closeStatement);
            statements.clear();
            connection.close();
        }

        private static void closeStatement(PreparedStatement statement) {
            try {
                statement.close();
            } catch (SQLException e) {
                throw new StoreException("Could not close a prepared SQLite statement: " + e.getMessage(), e);
            }
        }
    }
}
