package io.switchboard.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The databases the store measurements run in, and their removal: SQLite files in a work folder, and
 * PostgreSQL schemas of their own, on the server at 127.0.0.1:5432 ({@code test}, user {@code postgres})
 * when it answers, otherwise on an embedded server started for the run.
 *
 * <p>{@link #close} deletes every file and drops every schema it made, and stops the embedded server; it is
 * also run on shutdown, so an interrupted run leaves nothing behind either.
 */
final class Scratch implements AutoCloseable {
    static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=2";

    private final Path folder;
    private final List<Path> files = new ArrayList<>();
    private final List<String> schemas = new ArrayList<>();
    private String postgresUrl;
    private EmbeddedPostgres embedded;
    private String postgresServer;
    private final Thread cleanup = new Thread(this::cleanUp, "scratch-cleanup");
    private boolean closed;

    Scratch(Path folder) {
        this.folder = folder;
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /** The URL of a new, empty SQLite database file. */
    synchronized String sqlite(String name) {
        Path file = folder.resolve(name + ".db");
        deleteDatabaseFiles(file);
        files.add(file);
        return "jdbc:sqlite:" + file;
    }

    /** The URL of a new, empty schema on the PostgreSQL server. */
    synchronized String postgres(String name) {
        String schema = ("sb_bench_" + name + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        execute(postgresUrl(), "CREATE SCHEMA " + schema);
        schemas.add(schema);
        return postgresUrl() + "&currentSchema=" + schema;
    }

    /**
     * The URL of a new, empty schema on the server at 127.0.0.1:5432, for measurements that must not fall back to
     * the embedded server.
     *
     * @throws IllegalStateException when that server does not answer, or the run already uses the embedded one
     */
    synchronized String localPostgres(String name) {
        if (postgresUrl == null ? !answers(LOCAL_URL) : !postgresUrl.equals(LOCAL_URL)) {
            throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 does not answer (database test, user "
                    + "postgres)");
        }
        return postgres(name);
    }

    /** Which PostgreSQL the measurements use, with its version. */
    synchronized String postgresServer() {
        postgresUrl();
        return postgresServer;
    }

    /** The size in bytes of a SQLite database with its WAL file (0 if none). */
    static long sqliteBytes(String url) {
        Path file = Path.of(url.substring("jdbc:sqlite:".length()));
        long bytes = 0;
        for (Path part : List.of(file, Path.of(file + "-wal"))) {
            try {
                bytes += Files.exists(part) ? Files.size(part) : 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bytes;
    }

    /** Deletes the database file of a SQLite URL made here, before the run ends (they can be large). */
    synchronized void dropSqlite(String url) {
        deleteDatabaseFiles(Path.of(url.substring("jdbc:sqlite:".length())));
    }

    /** Drops a schema made here before the run ends. */
    synchronized void dropPostgres(String url) {
        String schema = url.substring(url.indexOf("&currentSchema=") + "&currentSchema=".length());
        execute(postgresUrl(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        schemas.remove(schema);
    }

    private String postgresUrl() {
        if (postgresUrl == null) {
            if (answers(LOCAL_URL)) {
                postgresUrl = LOCAL_URL;
                postgresServer = "PostgreSQL " + version(LOCAL_URL) + " on 127.0.0.1:5432";
            } else {
                try {
                    embedded = EmbeddedPostgres.start();
                } catch (IOException e) {
                    throw new UncheckedIOException("No PostgreSQL on 127.0.0.1:5432, and the embedded one did not "
                            + "start", e);
                }
                postgresUrl = embedded.getJdbcUrl("postgres", "postgres");
                postgresServer = "embedded PostgreSQL " + version(postgresUrl) + " (none answered on 127.0.0.1:5432)";
            }
        }
        return postgresUrl;
    }

    private static boolean answers(String url) {
        try (Connection connection = DriverManager.getConnection(url)) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static String version(String url) {
        try (Connection connection = DriverManager.getConnection(url)) {
            return connection.getMetaData().getDatabaseProductVersion();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the PostgreSQL version: " + e.getMessage(), e);
        }
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }

    private static void deleteDatabaseFiles(Path file) {
        try {
            for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        files.forEach(Scratch::deleteDatabaseFiles);
        if (postgresUrl != null) {
            for (String schema : List.copyOf(schemas)) {
                try {
                    execute(postgresUrl, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                } catch (IllegalStateException e) {
                    System.err.println("bench: could not drop schema " + schema + ": " + e.getMessage());
                }
            }
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                System.err.println("bench: could not stop the embedded PostgreSQL: " + e.getMessage());
            }
        }
        try {
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            // Something else was put there; leave it.
        }
    }

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running or has run.
        }
    }
}
