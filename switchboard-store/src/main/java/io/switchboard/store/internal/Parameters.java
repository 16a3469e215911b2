package io.switchboard.store.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;

/** Binds a statement's parameters in order, each through the dialect where the databases differ. */
public final class Parameters {
    private final PreparedStatement statement;
    private final Dialect dialect;
    private int index;

    Parameters(PreparedStatement statement, Dialect dialect) {
        this.statement = statement;
        this.dialect = dialect;
    }

    public Parameters text(String value) throws SQLException {
        statement.setString(++index, value);
        return this;
    }

    /** JSON as text; the SQL's {@code {json}} placeholder casts it where the column needs that. */
    public Parameters json(String value) throws SQLException {
        return text(value);
    }

    public Parameters integer(int value) throws SQLException {
        statement.setInt(++index, value);
        return this;
    }

    public Parameters integer(Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(++index, Types.INTEGER);
        } else {
            statement.setInt(++index, value);
        }
        return this;
    }

    public Parameters bigint(long value) throws SQLException {
        statement.setLong(++index, value);
        return this;
    }

    public Parameters bigint(Long value) throws SQLException {
        if (value == null) {
            statement.setNull(++index, Types.BIGINT);
        } else {
            statement.setLong(++index, value);
        }
        return this;
    }

    /** An array of ids, for {@code = ANY(?)}; only PostgreSQL binds arrays ({@link Dialect#bindsArrays()}). */
    public Parameters bigints(Collection<Long> values) throws SQLException {
        statement.setArray(++index, statement.getConnection().createArrayOf("bigint", values.toArray()));
        return this;
    }

    public Parameters real(double value) throws SQLException {
        statement.setDouble(++index, value);
        return this;
    }

    public Parameters real(Double value) throws SQLException {
        if (value == null) {
            statement.setNull(++index, Types.DOUBLE);
        } else {
            statement.setDouble(++index, value);
        }
        return this;
    }

    public Parameters bool(boolean value) throws SQLException {
        statement.setBoolean(++index, value);
        return this;
    }

    public Parameters instant(Instant value) throws SQLException {
        dialect.setInstant(statement, ++index, value);
        return this;
    }

    public Parameters uuid(UUID value) throws SQLException {
        dialect.setUuid(statement, ++index, value);
        return this;
    }
}
