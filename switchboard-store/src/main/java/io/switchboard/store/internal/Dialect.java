package io.switchboard.store.internal;

import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;

/**
 * Everything SQLite and PostgreSQL do differently, and nothing else: the store's SQL is written once, with
 * {@code {json}}, {@code {for_update}}, {@code {skip_locked}}, {@code {now}} and {@code {millis}} where the two
 * differ, and values go through
 * the hooks below.
 *
 * <p>What needs no hook: upserts ({@code INSERT … ON CONFLICT … DO UPDATE}) and generated keys
 * ({@code INSERT … RETURNING}) read the same on both; booleans bind with {@code setBoolean} on both (SQLite
 * keeps 0 and 1). Column types differ only in the schema, where the changelogs name them per database.
 */
public enum Dialect {
    /** Instants as epoch milliseconds, UUIDs and JSON as text; one writer at a time, so no row locks. */
    SQLITE("sqlite") {
        @Override
        public void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
            if (instant == null) {
                statement.setNull(index, Types.BIGINT);
            } else {
                statement.setLong(index, instant.toEpochMilli());
            }
        }

        @Override
        public Instant getInstant(ResultSet rows, String column) throws SQLException {
            long millis = rows.getLong(column);
            return rows.wasNull() ? null : Instant.ofEpochMilli(millis);
        }

        @Override
        public void setUuid(PreparedStatement statement, int index, UUID uuid) throws SQLException {
            if (uuid == null) {
                statement.setNull(index, Types.VARCHAR);
            } else {
                statement.setString(index, uuid.toString());
            }
        }

        @Override
        public UUID getUuid(ResultSet rows, String column) throws SQLException {
            String text = rows.getString(column);
            return text == null ? null : UUID.fromString(text);
        }

        @Override
        String jsonParameter() {
            return "?";
        }

        @Override
        String now() {
            // julianday('now') is the statement's time to the millisecond, as a day number.
            return "CAST(ROUND((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER)";
        }

        @Override
        String millisInterval() {
            return "";
        }

        @Override
        public boolean bindsArrays() {
            return false;
        }

        @Override
        String forUpdate() {
            // A write transaction begins IMMEDIATE and holds the database's one write lock: rows need no lock.
            return "";
        }

        @Override
        String forUpdateSkipLocked() {
            // The one writer holds the write lock for its whole transaction: no row is locked by anyone else, so
            // there is nothing to skip, and a claim's read and its update see the same rows.
            return "";
        }

        @Override
        public boolean isMissingTable(SQLException e) {
            return e.getMessage() != null && e.getMessage().contains("no such table");
        }
    },

    /** Instants as timestamptz, UUIDs as uuid, JSON as jsonb; row locks for read-modify-write. */
    POSTGRESQL("postgresql") {
        @Override
        public void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
            if (instant == null) {
                statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                statement.setObject(index, OffsetDateTime.ofInstant(millis(instant), ZoneOffset.UTC));
            }
        }

        @Override
        public Instant getInstant(ResultSet rows, String column) throws SQLException {
            OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
            return value == null ? null : value.toInstant();
        }

        @Override
        public void setUuid(PreparedStatement statement, int index, UUID uuid) throws SQLException {
            if (uuid == null) {
                statement.setNull(index, Types.OTHER);
            } else {
                statement.setObject(index, uuid);
            }
        }

        @Override
        public UUID getUuid(ResultSet rows, String column) throws SQLException {
            return rows.getObject(column, UUID.class);
        }

        @Override
        String jsonParameter() {
            return "CAST(? AS jsonb)";
        }

        @Override
        String now() {
            // The statement's time, not the transaction's (now()), and to the millisecond like every stored instant.
            return "date_trunc('milliseconds', statement_timestamp())";
        }

        @Override
        String millisInterval() {
            return " * INTERVAL '1 millisecond'";
        }

        @Override
        String forUpdate() {
            return " FOR UPDATE";
        }

        @Override
        String forUpdateSkipLocked() {
            return " FOR UPDATE SKIP LOCKED";
        }

        @Override
        public boolean bindsArrays() {
            return true;
        }

        @Override
        public boolean isMissingTable(SQLException e) {
            return "42P01".equals(e.getSQLState());
        }
    };

    private final String liquibaseName;

    Dialect(String liquibaseName) {
        this.liquibaseName = liquibaseName;
    }

    /** The dialect of the database behind a connection, by the product name its driver reports. */
    public static Dialect of(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName();
        return switch (product.toLowerCase(Locale.ROOT)) {
            case "sqlite" -> SQLITE;
            case "postgresql" -> POSTGRESQL;
            default -> throw new IllegalArgumentException(
                    "Switchboard stores its state in SQLite or PostgreSQL, not in " + product);
        };
    }

    /** The database's name in Liquibase changelogs ({@code dbms:…}). */
    public String liquibaseName() {
        return liquibaseName;
    }

    /** SQL written once for both databases, with the dialect's spelling put in for each placeholder. */
    public String sql(String template) {
        return template.replace("{json}", jsonParameter()).replace("{for_update}", forUpdate())
                .replace("{skip_locked}", forUpdateSkipLocked()).replace("{now}", now())
                .replace("{millis}", millisInterval());
    }

    /** Binds an instant, kept to the millisecond (both databases keep exactly that much); null binds NULL. */
    public abstract void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException;

    public abstract Instant getInstant(ResultSet rows, String column) throws SQLException;

    public abstract void setUuid(PreparedStatement statement, int index, UUID uuid) throws SQLException;

    public abstract UUID getUuid(ResultSet rows, String column) throws SQLException;

    /** The placeholder of a JSON parameter bound as text. */
    abstract String jsonParameter();

    /** The database's clock as an instant column holds it: {@code {now}}. */
    abstract String now();

    /**
     * What turns a number of milliseconds into something an instant can be added to: {@code {millis}}, written
     * after the number ({@code last_heartbeat + stale_after_ms{millis}}).
     */
    abstract String millisInterval();

    /** What follows a SELECT of rows the transaction is about to update. */
    abstract String forUpdate();

    /** What follows a SELECT that claims rows other writers may be claiming (queues, leases). */
    abstract String forUpdateSkipLocked();

    /** Whether a statement can take an array of values as one parameter ({@code id = ANY(?)}). */
    public abstract boolean bindsArrays();

    /** Whether a statement failed because a table does not exist (the schema is not there yet). */
    public abstract boolean isMissingTable(SQLException e);

    /** Instants are stored to the millisecond. */
    public static Instant millis(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
