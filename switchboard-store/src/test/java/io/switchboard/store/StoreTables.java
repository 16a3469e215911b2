package io.switchboard.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The store's tables, and emptying them between tests that share one database. */
final class StoreTables {
    /** Every table, children before the tables they reference. */
    static final List<String> ALL = List.of("attempt_results", "outbox", "routing_decisions", "cooldowns",
            "transitions", "workflow_steps", "workflow_runs", "attempts", "tasks", "orchestrators", "agent_performance",
            "agent_workers", "agent_registry");

    private StoreTables() {
    }

    static void clear(String url) {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            for (String table : ALL) {
                statement.executeUpdate("DELETE FROM " + table);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not empty the tables of " + url + ": " + e.getMessage(), e);
        }
    }

    /** The tables of ours that exist, looked up through a plain connection. */
    static List<String> existing(String url) {
        try (Connection connection = DriverManager.getConnection(url)) {
            return ALL.stream().filter(table -> exists(connection, table)).sorted().toList();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether an index of this name exists, read from the driver's metadata for the table. */
    static boolean hasIndex(String url, String table, String index) {
        try (Connection connection = DriverManager.getConnection(url);
                var rows = connection.getMetaData().getIndexInfo(null, connection.getSchema(), table, false, false)) {
            while (rows.next()) {
                if (index.equalsIgnoreCase(rows.getString("INDEX_NAME"))) {
                    return true;
                }
            }
            return false;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An index's definition as the database keeps it ({@code CREATE INDEX …}), lower case; empty when it is absent. */
    static String indexDefinition(String url, String index) {
        String sql = url.startsWith("jdbc:sqlite:")
                ? "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?"
                : "SELECT indexdef FROM pg_indexes WHERE indexname = ? AND schemaname = current_schema()";
        try (Connection connection = DriverManager.getConnection(url);
                var statement = connection.prepareStatement(sql)) {
            statement.setString(1, index);
            try (var rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1).toLowerCase(Locale.ROOT) : "";
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The columns of a table, lower case, read from the driver's metadata. */
    static List<String> columns(String url, String table) {
        try (Connection connection = DriverManager.getConnection(url);
                var rows = connection.getMetaData().getColumns(null, connection.getSchema(), table, null)) {
            List<String> columns = new ArrayList<>();
            while (rows.next()) {
                columns.add(rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
            return columns;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean exists(Connection connection, String table) {
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT COUNT(*) FROM " + table).close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
