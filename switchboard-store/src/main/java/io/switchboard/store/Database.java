package io.switchboard.store;

import io.switchboard.store.internal.ConnectionSource;
import io.switchboard.store.internal.Dialect;
import io.switchboard.store.internal.EmptyStore;
import io.switchboard.store.internal.Jdbc;
import io.switchboard.store.internal.MigrationLock;
import io.switchboard.store.internal.PooledConnections;
import io.switchboard.store.internal.SqliteConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Switchboard's database: where the {@link Store} lives, opened from a JDBC URL.
 *
 * <pre>{@code
 * try (Database database = Database.open(Database.DEFAULT_URL)) {   // creates and migrates as needed
 *     Store store = database.store();
 *     new RoutingService(store, store, store, store, store, router, clock);
 * }
 * }</pre>
 *
 * <p>SQLite ({@code jdbc:sqlite:path}, the default) keeps one connection for the process (see
 * {@code internal.SqliteConnection} for why, and for the pragmas); PostgreSQL ({@code jdbc:postgresql:…})
 * gets a small pool. Which SQL dialect to speak is read from the driver's metadata.
 *
 * <p>{@link #openReadOnly} is for {@code --dry-run}: it writes nothing, creates no file, and a database that
 * does not exist yet reads as an empty one.
 *
 * <p>A Database is thread-safe. Close it when done; that closes its connections.
 */
public final class Database implements AutoCloseable {
    /** The state of the project in the working directory. */
    public static final String DEFAULT_URL = "jdbc:sqlite:.switchboard/state.db";

    private static final String SQLITE_PREFIX = "jdbc:sqlite:";
    private static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";

    private final String url;
    private final ConnectionSource connections;
    private final Jdbc jdbc;
    private final Dialect dialect;
    private final Store store;
    private final Migrations migrations;

    private Database(String url, ConnectionSource connections, Jdbc jdbc, Dialect dialect, Store store,
            Migrations migrations) {
        this.url = url;
        this.connections = connections;
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.store = store;
        this.migrations = migrations;
    }

    /**
     * Opens the database for reading and writing, creating it (and, for SQLite, its folder) when absent and
     * upgrading its schema when behind. When the schema is current this costs one query.
     *
     * @throws StoreException when it cannot be opened or migrated
     */
    public static Database open(String jdbcUrl) {
        Database database = connect(jdbcUrl, false);
        try {
            database.migrations.upgrade();
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** Opens the database for reading and writing, leaving its schema as it is (for tools and tests). */
    public static Database openWithoutUpgrade(String jdbcUrl) {
        return connect(jdbcUrl, false);
    }

    /**
     * Opens the database without ever writing to it. A SQLite file that does not exist is not created, and
     * it (or a database without Switchboard's tables) reads as empty. Every write fails with a
     * {@link StoreException}.
     *
     * @throws StoreException when the schema is older than this code needs: an upgrade would be a write, so
     *     the database has to be opened read-write once first
     */
    public static Database openReadOnly(String jdbcUrl) {
        Path file = sqliteFile(jdbcUrl);
        if (file != null && !Files.exists(file)) {
            return empty(jdbcUrl, Dialect.SQLITE);
        }
        Database database = connect(jdbcUrl, true);
        Migrations.State state = database.migrations.state();
        switch (state) {
            case CURRENT -> {
                return database;
            }
            case ABSENT -> {
                database.close();
                return empty(jdbcUrl, database.dialect);
            }
            case BEHIND -> {
                int version = database.migrations.appliedVersion();
                database.close();
                throw new StoreException("The database " + describe(jdbcUrl) + " has schema version " + version
                        + "; this version of Switchboard needs " + Migrations.LATEST_VERSION
                        + ". Open it read-write once to upgrade it.");
            }
        }
        throw new AssertionError(state);
    }

    /** The JDBC URL of a SQLite database file. */
    public static String sqliteUrl(Path file) {
        return SQLITE_PREFIX + file;
    }

    /** Every store port. */
    public Store store() {
        return store;
    }

    public Migrations migrations() {
        return migrations;
    }

    /** Whether this database refuses writes. */
    public boolean readOnly() {
        return store instanceof EmptyStore || store instanceof JdbcStore jdbcStore && jdbcStore.readOnly();
    }

    Dialect dialect() {
        return dialect;
    }

    /** The store's own connections, for tests that look at what the ports do not show. */
    Jdbc jdbc() {
        return jdbc;
    }

    @Override
    public void close() {
        if (connections != null) {
            connections.close();
        }
    }

    @Override
    public String toString() {
        return "Database[" + describe(url) + "]";
    }

    private static Database connect(String jdbcUrl, boolean readOnly) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        ConnectionSource connections;
        MigrationLock migrationLock = null;
        if (jdbcUrl.startsWith(SQLITE_PREFIX)) {
            Path file = sqliteFile(jdbcUrl);
            if (file == null) {
                throw new IllegalArgumentException("an in-memory SQLite database keeps nothing and each connection "
                        + "gets its own; give a file, was " + jdbcUrl);
            }
            if (!readOnly) {
                createFolder(file);
            }
            connections = new SqliteConnection(jdbcUrl, readOnly);
            migrationLock = readOnly ? null : MigrationLock.beside(file);
        } else if (jdbcUrl.startsWith(POSTGRESQL_PREFIX)) {
            connections = new PooledConnections(jdbcUrl, readOnly);
        } else {
            throw new IllegalArgumentException(
                    "Switchboard stores its state in SQLite (jdbc:sqlite:…) or PostgreSQL (jdbc:postgresql:…), was "
                            + describe(jdbcUrl));
        }
        try {
            Dialect dialect = dialectOf(connections);
            Jdbc jdbc = new Jdbc(connections, dialect, readOnly);
            return new Database(jdbcUrl, connections, jdbc, dialect, new JdbcStore(jdbc, readOnly),
                    new Migrations(connections, jdbc, dialect, readOnly, migrationLock));
        } catch (RuntimeException e) {
            connections.close();
            throw e;
        }
    }

    private static Database empty(String jdbcUrl, Dialect dialect) {
        return new Database(jdbcUrl, null, null, dialect, new EmptyStore(),
                new Migrations(null, null, dialect, true, null));
    }

    private static Dialect dialectOf(ConnectionSource connections) {
        try {
            Connection connection = connections.acquire();
            try {
                return Dialect.of(connection.getMetaData());
            } finally {
                connections.release(connection);
            }
        } catch (SQLException e) {
            throw new StoreException("Could not read the database's metadata: " + e.getMessage(), e);
        }
    }

    /**
     * The file of a SQLite URL ({@code jdbc:sqlite:path[?params]}), or null for an in-memory database. A
     * {@code file:} URI is taken as given.
     */
    static Path sqliteFile(String jdbcUrl) {
        if (!jdbcUrl.startsWith(SQLITE_PREFIX)) {
            return null;
        }
        String rest = jdbcUrl.substring(SQLITE_PREFIX.length());
        int query = rest.indexOf('?');
        String path = query < 0 ? rest : rest.substring(0, query);
        if (path.isEmpty() || path.equals(":memory:") || path.startsWith("file::memory:")) {
            return null;
        }
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        }
        return Path.of(path);
    }

    private static void createFolder(Path file) {
        Path folder = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new StoreException("Could not create the folder " + folder + " for the database: " + e, e);
        }
    }

    private static String describe(String jdbcUrl) {
        return PooledConnections.redacted(jdbcUrl);
    }
}
