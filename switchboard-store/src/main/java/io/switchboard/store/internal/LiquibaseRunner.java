package io.switchboard.store.internal;

import io.switchboard.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.UpdateSummaryEnum;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.structure.core.Schema;
import liquibase.ui.LoggerUIService;

/**
 * The only class that touches Liquibase. Nothing loads it unless the schema is behind or a migration is
 * asked for, so an up-to-date database opens without Liquibase's start-up cost.
 *
 * <p>Liquibase runs quietly: no summary on standard output (the CLI's output may be JSON), its log at
 * warnings only, and no usage analytics sent anywhere.
 */
public final class LiquibaseRunner {
    static final String CHANGELOG = "io/switchboard/store/changelog/changelog.xml";

    /** Held so the level set on it stays set (loggers are only weakly referenced). */
    private static final Logger LIQUIBASE_LOG = Logger.getLogger("liquibase");

    static {
        LIQUIBASE_LOG.setLevel(Level.WARNING);
    }

    private LiquibaseRunner() {
    }

    /** Applies the changesets labelled with any of these versions that have not run yet. */
    public static void update(Connection connection, String labelExpression) {
        run(connection, liquibase -> liquibase.update(new Contexts(), new LabelExpression(labelExpression)));
    }

    /** Rolls back the last {@code count} changesets applied, newest first. */
    public static void rollback(Connection connection, int count) {
        run(connection, liquibase -> liquibase.rollback(count, new Contexts(), new LabelExpression()));
    }

    private interface Action {
        void run(Liquibase liquibase) throws LiquibaseException;
    }

    private static void run(Connection connection, Action action) {
        Map<String, Object> scope = new HashMap<>();
        scope.put("liquibase.analytics.enabled", false);
        scope.put(Scope.Attr.ui.name(), new LoggerUIService());
        try {
            Scope.child(scope, () -> {
                Database database = DatabaseFactory.getInstance()
                        .findCorrectDatabaseImplementation(new JdbcConnection(connection));
                // PostgreSQL: the schema the connection works in (currentSchema=… in the URL), not "public".
                String schema = connection.getSchema();
                if (database.supports(Schema.class) && schema != null) {
                    database.setDefaultSchemaName(schema);
                }
                Liquibase liquibase = new Liquibase(CHANGELOG,
                        new ClassLoaderResourceAccessor(LiquibaseRunner.class.getClassLoader()), database);
                liquibase.setShowSummary(UpdateSummaryEnum.OFF);
                liquibase.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
                action.run(liquibase);
            });
        } catch (Exception e) {
            throw new StoreException("Migrating the schema failed: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof SQLException)) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }
}
