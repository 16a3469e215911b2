package io.switchboard.store;

import static io.switchboard.testkit.AgentBuilder.anAgent;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.agent.AgentOrigin;
import io.switchboard.core.port.DecisionLog.DecisionQuery;
import io.switchboard.core.port.DecisionLog.StoredDecision;
import io.switchboard.store.Migrations.State;
import io.switchboard.testkit.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening a database in a fresh JVM, as the CLI does: a current schema is recognised with one query and
 * Liquibase is not even loaded; a schema that is behind is migrated. And a decision survives the process
 * dying right after {@code append} returned.
 */
class FastPathTest {
    @TempDir
    Path folder;

    @Test
    void aCurrentDatabaseOpensWithoutLoadingLiquibase() throws Exception {
        String url = Database.sqliteUrl(folder.resolve("state.db"));
        try (Database database = Database.open(url)) {
            database.store().register(anAgent("codex").profile(), AgentOrigin.CONFIG, MutableClock.EPOCH);
        }

        Forked forked = fork("read", url);

        assertThat(forked.exitStatus()).as(forked.output()).isZero();
        assertThat(forked.output()).contains("agents: 1");
        assertThat(forked.loadedClasses()).contains("io.switchboard.store.Database", "io.switchboard.store.Migrations");
        assertThat(forked.loadedClasses()).noneMatch(name -> name.startsWith("liquibase."));
    }

    @Test
    void aDatabaseThatIsBehindIsMigratedWithLiquibase() throws Exception {
        String url = Database.sqliteUrl(folder.resolve("state.db"));
        try (Database database = Database.openWithoutUpgrade(url)) {
            database.migrations().upgradeTo(1);
        }

        Forked forked = fork("read", url);

        assertThat(forked.exitStatus()).as(forked.output()).isZero();
        assertThat(forked.loadedClasses()).contains("liquibase.Liquibase");
        assertThat(forked.output()).doesNotContain("UPDATE SUMMARY");
        try (Database database = Database.openWithoutUpgrade(url)) {
            assertThat(database.migrations().state()).isEqualTo(State.CURRENT);
        }
    }

    @Test
    void aDecisionIsDurableOnceAppendReturnsEvenIfTheProcessDiesRightAfter() throws Exception {
        String url = Database.sqliteUrl(folder.resolve("state.db"));
        Database.open(url).close();

        Forked forked = fork("append-then-halt", url);

        assertThat(forked.exitStatus()).as(forked.output()).isEqualTo(3);
        long id = Long.parseLong(forked.output().lines().filter(line -> line.startsWith("appended: "))
                .findFirst().orElseThrow().substring("appended: ".length()));
        try (Database database = Database.open(url)) {
            assertThat(database.store().find(DecisionQuery.all().forTask("DURABLE-1")))
                    .extracting(StoredDecision::id).containsExactly(id);
        }
    }

    record Forked(int exitStatus, String output, List<String> loadedClasses) {
    }

    private Forked fork(String command, String url) throws IOException, InterruptedException {
        Path classLog = Files.createTempFile(folder, "classes", ".log");
        Process process = ForkedStore.start(command, url, "-Xlog:class+load=info:file=" + classLog);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> classes = new ArrayList<>();
        for (String line : Files.readAllLines(classLog)) {
            // [0.012s][info][class,load] java.lang.Object source: shared objects file
            int start = line.indexOf("] ", line.indexOf("[class,load]"));
            if (line.contains("[class,load]") && start > 0) {
                String rest = line.substring(start + 2);
                int space = rest.indexOf(' ');
                classes.add(space < 0 ? rest : rest.substring(0, space));
            }
        }
        return new Forked(process.exitValue(), output, classes);
    }
}
