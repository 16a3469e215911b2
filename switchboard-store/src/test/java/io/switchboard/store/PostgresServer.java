package io.switchboard.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL server the tests use: the one on 127.0.0.1:5432 (database {@code test}, user
 * {@code postgres}, trust authentication) when it answers, otherwise an embedded one started once for the
 * test run. Each test class works in a schema of its own, dropped when it is done.
 *
 * <p>{@code -Dswitchboard.test.postgres=embedded} uses the embedded server even when the local one answers,
 * so the fallback itself can be exercised.
 */
public final class PostgresServer {
    static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=2";

    private static String baseUrl;

    private PostgresServer() {
    }

    /** A schema of its own for one test class, and the URL that works in it. */
    public record Schema(String name, String url) implements AutoCloseable {
        /** Drops the schema and everything in it. */
        @Override
        public void close() {
            execute(baseUrl(), "DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }

    public static Schema newSchema(Class<?> testClass) {
        String name = ("sb_" + testClass.getSimpleName() + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        execute(baseUrl(), "CREATE SCHEMA " + name);
        return new Schema(name, baseUrl() + "&currentSchema=" + name);
    }

    static synchronized String baseUrl() {
        if (baseUrl == null) {
            boolean forceEmbedded = "embedded".equals(System.getProperty("switchboard.test.postgres"));
            baseUrl = !forceEmbedded && localServerAnswers() ? LOCAL_URL : startEmbedded();
        }
        return baseUrl;
    }

    /** Whether the tests run against the server on 127.0.0.1:5432 (rather than an embedded one). */
    static boolean usesLocalServer() {
        return baseUrl().equals(LOCAL_URL);
    }

    private static boolean localServerAnswers() {
        try (Connection connection = DriverManager.getConnection(LOCAL_URL)) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static String startEmbedded() {
        try {
            EmbeddedPostgres server = EmbeddedPostgres.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
            return server.getJdbcUrl("postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("No PostgreSQL on 127.0.0.1:5432, and the embedded one did not start", e);
        }
    }

    static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }
}
