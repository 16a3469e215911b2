package io.switchboard.store;

import static io.switchboard.testkit.AgentBuilder.anAgent;
import static io.switchboard.testkit.DecisionBuilder.aDecision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.agent.AgentOrigin;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.performance.AgentPerformance;
import io.switchboard.core.port.DecisionLog.DecisionQuery;
import io.switchboard.store.Migrations.State;
import io.switchboard.store.internal.Jdbc;
import io.switchboard.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is particular to SQLite: the file and its folder, the pragmas, index use, and several writers. */
class SqliteDatabaseTest {
    @TempDir
    Path folder;

    @Test
    void theDefaultDatabaseIsTheStateFileInTheSwitchboardFolder() {
        assertThat(Database.DEFAULT_URL).isEqualTo("jdbc:sqlite:.switchboard/state.db");
        assertThat(Database.sqliteFile(Database.DEFAULT_URL)).isEqualTo(Path.of(".switchboard", "state.db"));
        assertThat(Database.sqliteFile("jdbc:sqlite:/tmp/x.db?busy_timeout=1")).isEqualTo(Path.of("/tmp/x.db"));
    }

    @Test
    void openingCreatesTheFileAndItsFolder() {
        Path file = folder.resolve(".switchboard/nested/state.db");

        try (Database database = Database.open(Database.sqliteUrl(file))) {
            assertThat(database.migrations().state()).isEqualTo(State.CURRENT);
        }

        assertThat(file).isRegularFile();
    }

    @Test
    void theConnectionHasTheDocumentedPragmas() {
        try (Database database = Database.open(Database.sqliteUrl(folder.resolve("state.db")))) {
            Jdbc jdbc = database.jdbc();
            assertThat(pragma(jdbc, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(jdbc, "foreign_keys")).isEqualTo("1");
            assertThat(pragma(jdbc, "busy_timeout")).isEqualTo("5000");
            assertThat(pragma(jdbc, "synchronous")).isEqualTo("1"); // NORMAL
        }
    }

    @Test
    void aReadOnlyOpenOfAMissingFileCreatesNothingAndReadsAsEmpty() {
        Path file = folder.resolve(".switchboard/state.db");

        try (Database database = Database.openReadOnly(Database.sqliteUrl(file))) {
            assertThat(database.readOnly()).isTrue();
            assertThat(database.migrations().state()).isEqualTo(State.ABSENT);
            assertThat(database.store().agents()).isEmpty();
            assertThat(database.store().forWorkType("implement")).isEmpty();
            assertThatThrownBy(() -> database.store().register(anAgent("codex").profile(), AgentOrigin.CLI,
                    MutableClock.EPOCH)).isInstanceOf(StoreException.class).hasMessageContaining("read-only");
        }

        assertThat(folder.resolve(".switchboard")).doesNotExist();
    }

    @Test
    void aReadOnlyOpenLeavesTheFileAsItWas() throws Exception {
        Path file = folder.resolve("state.db");
        try (Database database = Database.open(Database.sqliteUrl(file))) {
            database.store().register(anAgent("codex").profile(), AgentOrigin.CONFIG, MutableClock.EPOCH);
        }
        byte[] before = Files.readAllBytes(file);

        try (Database database = Database.openReadOnly(Database.sqliteUrl(file))) {
            assertThat(database.store().agents()).hasSize(1);
        }

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void anInMemoryDatabaseIsRefused() {
        assertThatThrownBy(() -> Database.open("jdbc:sqlite::memory:"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in-memory");
        assertThatThrownBy(() -> Database.open("jdbc:h2:mem:x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SQLite");
    }

    @Test
    void theReadsRoutingMakesAreServedByIndexes() {
        try (Database database = Database.open(Database.sqliteUrl(folder.resolve("state.db")))) {
            Jdbc jdbc = database.jdbc();
            assertThat(plan(jdbc, JdbcStore.PERFORMANCE_FOR_WORK_TYPE)).contains("ix_agent_performance_work_type");
            assertThat(plan(jdbc, JdbcStore.IN_FLIGHT_BY_AGENT)).contains("ix_attempts_in_flight");
            assertThat(plan(jdbc, JdbcStore.IN_FLIGHT_BY_AGENT_OF_OTHERS)).contains("ix_attempts_in_flight");
            // One seek per registered agent, not a read of the window's successes.
            assertThat(plan(jdbc, JdbcStore.LAST_SUCCESS_BY_AGENT)).contains("ix_attempts_last_success")
                    .doesNotContain("SCAN attempts");
        }
    }

    @Test
    void theReadsRunningTasksMakesAreServedByIndexes() {
        try (Database database = Database.open(Database.sqliteUrl(folder.resolve("state.db")))) {
            Jdbc jdbc = database.jdbc();
            assertThat(plan(jdbc, JdbcStore.UNFINISHED_TASKS)).contains("ix_tasks_unfinished");
            assertThat(plan(jdbc, JdbcStore.IN_FLIGHT_ATTEMPTS)).contains("ix_attempts_in_flight");
            assertThat(plan(jdbc, JdbcStore.TRANSITIONS_OF_TASK)).contains("ix_transitions_task");
            assertThat(plan(jdbc, JdbcStore.SPENT_SINCE)).contains("ix_attempts_finished");
            assertThat(plan(jdbc, JdbcStore.RECENT_OUTCOMES)).contains("ix_attempts_finished");
            // Starting and finishing an attempt read one task's attempts by the primary key.
            assertThat(plan(jdbc, JdbcStore.ATTEMPT_START)).doesNotContain("SCAN attempts");
            assertThat(plan(jdbc, JdbcStore.ATTEMPT_LOCK)).doesNotContain("SCAN");
            // Whether a task has attempts: one seek in their key, beside the task's own row.
            assertThat(plan(jdbc, JdbcStore.TASK_RUN)).contains("sqlite_autoindex_attempts_1")
                    .doesNotContain("SCAN");
        }
    }

    @Test
    void theLeaseAndClaimStatementsAreServedByIndexes() {
        try (Database database = Database.open(Database.sqliteUrl(folder.resolve("state.db")))) {
            Jdbc jdbc = database.jdbc();
            // Only remote attempts in flight are in these two: an orchestrator's expiry sweep and a worker's renewal
            // read as many rows as there are leases, whatever the history.
            assertThat(plan(jdbc, JdbcStore.REMOTE_EXPIRING)).contains("ix_attempts_remote_in_flight");
            assertThat(plan(jdbc, JdbcStore.REMOTE_RENEW)).contains("ix_attempts_leases");
            // A claim is one attempt, by the primary key, and the task's highest number by the same.
            assertThat(plan(jdbc, JdbcStore.REMOTE_CLAIM)).doesNotContain("SCAN");
            assertThat(plan(jdbc, JdbcStore.CLAIMABLE_TASKS)).contains("ix_tasks_unfinished");
            assertThat(plan(jdbc, JdbcStore.TASKS_RELEASE)).contains("ix_tasks_claimed_by");
            assertThat(plan(jdbc, JdbcStore.ORPHANED_ATTEMPTS)).contains("ix_attempts_in_flight");
            // A worker's beat and leave seek its own rows, never reading every agent's workers.
            assertThat(plan(jdbc, JdbcStore.WORKER_BEAT)).contains("SEARCH agent_workers")
                    .doesNotContain("SCAN agent_workers");
            assertThat(plan(jdbc, JdbcStore.WORKER_LEAVE)).contains("ix_agent_workers_worker");
        }
    }

    @Test
    void theRelaysStatementsSeekTheirRowsAndReadTheOldestInKeyOrder() {
        try (Database database = Database.open(Database.sqliteUrl(folder.resolve("state.db")))) {
            Jdbc jdbc = database.jdbc();
            // A relay's own rows are sought by its id, whatever the backlog; claims and looks take the oldest rows (all
            // pending: a sent row is deleted) in the primary key's order, without sorting them.
            assertThat(plan(jdbc, JdbcStore.OUTBOX_RENEW)).contains("ix_outbox_claims").doesNotContain("SCAN outbox");
            assertThat(plan(jdbc, JdbcStore.OUTBOX_RELEASE)).contains("ix_outbox_claims")
                    .doesNotContain("SCAN outbox");
            assertThat(plan(jdbc, JdbcStore.OUTBOX_CLAIM)).doesNotContain("TEMP B-TREE");
            assertThat(plan(jdbc, JdbcStore.OUTBOX_PENDING)).doesNotContain("TEMP B-TREE");
        }
    }

    @Test
    void severalProcessesOpeningOneNewFileAtOnceAllGetTheSchema() throws Exception {
        // An orchestrator and its workers started together on a fresh file: each finds the schema behind and starts
        // the migration; whichever loses the race to write waits for the winner, then finds nothing left to do.
        for (int round = 0; round < 3; round++) {
            String url = Database.sqliteUrl(folder.resolve("state-" + round + ".db"));
            List<Process> processes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                processes.add(ForkedStore.start("read", url));
            }
            for (Process process : processes) {
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertThat(process.exitValue()).as("round %s: %s", round, output).isZero();
                assertThat(output).as("round %s", round).contains("agents: 0");
            }
            try (Database database = Database.open(url)) {
                assertThat(database.migrations().state()).isEqualTo(State.CURRENT);
            }
        }
    }

    @Test
    void twoProcessesWritingAtOnceLoseNothing() throws Exception {
        String url = Database.sqliteUrl(folder.resolve("state.db"));
        // Two Database objects stand for two processes: each has its own connection to the file.
        try (Database first = Database.open(url); Database second = Database.open(url)) {
            RegisteredAgent codex = first.store().register(anAgent("codex").profile(), AgentOrigin.CONFIG,
                    MutableClock.EPOCH);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> writers = new ArrayList<>();
                for (Database database : List.of(first, second)) {
                    writers.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < 50; i++) {
                            database.store().recordOutcome(codex.id(), "implement", true, MutableClock.EPOCH,
                                    Duration.ofDays(14), 1, 1, 0, null);
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> writer : writers) {
                    writer.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            AgentPerformance record = first.store().forWorkType("implement").get(codex.id());
            assertThat(record.successes()).isEqualTo(100);
        }
    }

    @Test
    void aRepeatedReadSeesWhatAnotherProcessCommittedInBetween() {
        String url = Database.sqliteUrl(folder.resolve("state.db"));
        try (Database first = Database.open(url); Database second = Database.open(url)) {
            assertThat(first.store().agents()).isEmpty();
            assertThat(first.store().find(DecisionQuery.all())).isEmpty();

            second.store().register(anAgent("codex").profile(), AgentOrigin.CONFIG, MutableClock.EPOCH);
            second.store().append(aDecision().forTask("T-1").choosing("codex").build());

            // The same statements again, kept from the first reads: they must not read an old snapshot.
            assertThat(first.store().agents()).extracting(RegisteredAgent::name).containsExactly("codex");
            assertThat(first.store().find(DecisionQuery.all())).hasSize(1);
        }
    }

    @Test
    void aStatementThatFailedLeavesTheSameStatementWorking() {
        try (Database database = Database.open(Database.sqliteUrl(folder.resolve("state.db")))) {
            RegisteredAgent codex = database.store().register(anAgent("codex").profile(), AgentOrigin.CONFIG,
                    MutableClock.EPOCH);
            Jdbc jdbc = database.jdbc();
            String insert = "INSERT INTO cooldowns (agent_id, until, reason) VALUES (?, ?, ?)";

            assertThatThrownBy(() -> jdbc.write(connection -> jdbc.update(connection, insert,
                    parameters -> parameters.uuid(UUID.randomUUID()).instant(MutableClock.EPOCH).text("unknown"))))
                    .isInstanceOf(StoreException.class).hasMessageContaining("FOREIGN KEY");
            jdbc.write(connection -> jdbc.update(connection, insert,
                    parameters -> parameters.uuid(codex.id()).instant(MutableClock.EPOCH.plusSeconds(60)).text("x")));

            assertThat(database.store().active(MutableClock.EPOCH)).containsOnlyKeys(codex.id());
        }
    }

    private static String pragma(Jdbc jdbc, String name) {
        return jdbc.read(connection -> jdbc.query(connection, "PRAGMA " + name, parameters -> { },
                rows -> rows.getString(1)).getFirst());
    }

    private static String plan(Jdbc jdbc, String sql) {
        List<String> details = jdbc.read(connection -> {
            try (var statement = connection.prepareStatement("EXPLAIN QUERY PLAN " + jdbc.dialect().sql(sql))) {
                for (int i = 1; i <= statement.getParameterMetaData().getParameterCount(); i++) {
                    statement.setObject(i, null);
                }
                List<String> lines = new ArrayList<>();
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        lines.add(rows.getString("detail"));
                    }
                }
                return lines;
            }
        });
        return String.join("\n", details);
    }
}
