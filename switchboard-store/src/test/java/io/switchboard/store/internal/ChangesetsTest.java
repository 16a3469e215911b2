package io.switchboard.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.change.core.RawSQLChange;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.core.SQLiteDatabase;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.ResourceAccessor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hand-kept list the start-up check relies on says exactly what the changelogs say, per database; and
 * every changeset can be rolled back and has all of its column types spelled for that database.
 */
class ChangesetsTest {

    record Parsed(String id, String author, Set<String> labels, boolean hasRollback, List<String> sql) {
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theShippedListMatchesTheChangelogs(Dialect dialect) throws Exception {
        List<Parsed> parsed = parse(dialect);

        assertThat(parsed).extracting(Parsed::id)
                .containsExactlyElementsOf(Changesets.shipped(dialect).stream().map(Changesets.Changeset::id).toList());
        for (Parsed changeset : parsed) {
            assertThat(changeset.author()).isEqualTo(Changesets.AUTHOR);
            assertThat(changeset.labels()).containsExactly("v" + Changesets.versionOf(changeset.id()));
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void everyChangesetHasARollbackAndNoUnresolvedType(Dialect dialect) throws Exception {
        for (Parsed changeset : parse(dialect)) {
            assertThat(changeset.hasRollback()).as("rollback of %s", changeset.id()).isTrue();
            assertThat(changeset.sql()).as("SQL of %s", changeset.id()).isNotEmpty()
                    .noneMatch(sql -> sql.contains("${"));
        }
    }

    private static List<Parsed> parse(Dialect dialect) throws Exception {
        Database database = switch (dialect) {
            case SQLITE -> new SQLiteDatabase();
            case POSTGRESQL -> new PostgresDatabase();
        };
        List<Parsed> parsed = new ArrayList<>();
        Scope.child(Map.of("liquibase.analytics.enabled", false), () -> {
            ResourceAccessor resources = new ClassLoaderResourceAccessor(ChangesetsTest.class.getClassLoader());
            DatabaseChangeLog changelog = ChangeLogParserFactory.getInstance()
                    .getParser(LiquibaseRunner.CHANGELOG, resources)
                    .parse(LiquibaseRunner.CHANGELOG, new ChangeLogParameters(database), resources);
            for (ChangeSet changeSet : changelog.getChangeSets()) {
                Set<String> dbms = changeSet.getDbmsSet();
                if (dbms != null && !dbms.isEmpty() && !dbms.contains(dialect.liquibaseName())) {
                    continue;
                }
                List<String> sql = new ArrayList<>();
                for (Change change : changeSet.getChanges()) {
                    sql.add(((RawSQLChange) change).getSql());
                }
                parsed.add(new Parsed(changeSet.getId(), changeSet.getAuthor(), changeSet.getLabels().getLabels(),
                        !changeSet.getRollback().getChanges().isEmpty(), sql));
            }
        });
        return parsed;
    }
}
