package io.switchboard.store.internal;

import io.switchboard.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
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
 * <p>Checkpoints run beside the writers: every {@value #WRITES_PER_CHECKPOINT} writes, and after a second without
 * one, a thread of this source's own copies the pages committed to the WAL into the database file (a {@code PASSIVE}
 * checkpoint, on a connection of its own, waiting for nobody). Left to SQLite, the write whose commit takes the WAL
 * past a thousand pages copies them itself, syncing the WAL and the database on the way, while every other writer
 * waits for it. SQLite's own checkpoint stays on as the backstop, at {@value #WRITER_CHECKPOINT_PAGES} pages: it is
 * what restarts the WAL from its beginning (a checkpoint beside the writers seldom finds a moment when nothing was
 * appended since it began, and the WAL is only restarted once all of it is copied), and it finds most pages copied
 * by then.
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
    /**
     * Pages in the WAL past which a commit checkpoints it itself (SQLite's {@code wal_autocheckpoint}, a thousand by
     * default): the backstop to the checkpoints beside the writers, and what restarts the WAL. At most about 16 MiB
     * of WAL, as many pages as a few hundred tasks append.
     */
    static final int WRITER_CHECKPOINT_PAGES = 4_000;
    /** Writes between two checkpoints beside the writers: about a third of SQLite's thousand pages, at a task's. */
    static final int WRITES_PER_CHECKPOINT = 32;
    /** A checkpoint beside the writers this long after the last write, if there was one since the last. */
    static final long IDLE_CHECKPOINT_MILLIS = 1_000;

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
    /** Null when read-only; started with the first write. */
    private final Checkpointer checkpointer;

    public SqliteConnection(String url, boolean readOnly) {
        this.url = url;
        this.readOnly = readOnly;
        this.config = config(readOnly);
        this.writer = readOnly ? null : new Kept(open());
        this.checkpointer = readOnly ? null : new Checkpointer();
        if (writer != null) {
            try (Statement statement = writer.connection.createStatement()) {
                statement.execute("PRAGMA wal_autocheckpoint = " + WRITER_CHECKPOINT_PAGES);
            } catch (SQLException e) {
                throw new StoreException("Could not set up the SQLite database " + url + ": " + e.getMessage(), e);
            }
        }
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
        checkpointer.wrote();
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
        if (checkpointer != null) {
            checkpointer.stop();
        }
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

    /** Checkpoints made beside the writers so far. */
    long checkpoints() {
        return checkpointer == null ? 0 : checkpointer.made();
    }

    /**
     * Copies what writers committed into the database file beside them ({@code PRAGMA wal_checkpoint(PASSIVE)}): a
     * daemon thread, started with the first write, that waits for {@link #WRITES_PER_CHECKPOINT} writes or
     * {@link #IDLE_CHECKPOINT_MILLIS} after one. A checkpoint that fails (the disk, another process's checkpoint
     * running) is left to the next one, and to SQLite's own.
     */
    private final class Checkpointer implements Runnable {
        /** Guards the fields below. */
        private final Object lock = new Object();
        private int writes;
        private boolean stopped;
        private Thread thread;
        private long made;

        void wrote() {
            synchronized (lock) {
                if (stopped) {
                    return;
                }
                if (thread == null) {
                    thread = Thread.ofPlatform().daemon().name("sqlite-checkpoint").unstarted(this);
                    thread.start();
                }
                if (++writes >= WRITES_PER_CHECKPOINT) {
                    lock.notifyAll();
                }
            }
        }

        long made() {
            synchronized (lock) {
                return made;
            }
        }

        @Override
        public void run() {
            Connection connection = null;
            try {
                while (awaitWrites()) {
                    try {
                        if (connection == null) {
                            connection = config.createConnection(url);
                        }
                        try (Statement statement = connection.createStatement()) {
                            statement.execute("PRAGMA wal_checkpoint(PASSIVE)");
                        }
                        synchronized (lock) {
                            made++;
                        }
                    } catch (SQLException e) {
                        // Left to the next checkpoint, and to SQLite's own on the writer.
                    }
                }
            } finally {
                if (connection != null) {
                    try {
                        connection.close();
                    } catch (SQLException e) {
                        // Nothing of its own to lose: it only copies what is committed.
                    }
                }
            }
        }

        /** Waits until a checkpoint is due; false once stopped. */
        private boolean awaitWrites() {
            synchronized (lock) {
                try {
                    while (!stopped && writes < WRITES_PER_CHECKPOINT) {
                        int before = writes;
                        lock.wait(IDLE_CHECKPOINT_MILLIS);
                        if (writes > 0 && writes == before) {
                            break;
                        }
                    }
                } catch (InterruptedException e) {
                    return false;
                }
                writes = 0;
                return !stopped;
            }
        }

        /** Stops the thread, waiting for a checkpoint it is making to end. */
        void stop() {
            Thread running;
            synchronized (lock) {
                stopped = true;
                running = thread;
                lock.notifyAll();
            }
            if (running == null) {
                return;
            }
            boolean interrupted = false;
            while (running.isAlive()) {
                try {
                    running.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
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
