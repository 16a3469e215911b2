package io.switchboard.store;

import static io.switchboard.testkit.AgentBuilder.anAgent;
import static io.switchboard.testkit.DecisionBuilder.aDecision;
import static io.switchboard.testkit.OutcomeBuilder.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.agent.AgentOrigin;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.AgentStatus;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptChanges;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptStart;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.attempt.FileChange;
import io.switchboard.core.attempt.OrchestratorRecord;
import io.switchboard.core.attempt.TaskMove;
import io.switchboard.core.attempt.Transition;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.performance.AgentPerformance;
import io.switchboard.core.performance.Difficulty;
import io.switchboard.core.port.DecisionLog.DecisionQuery;
import io.switchboard.core.port.DecisionLog.StoredDecision;
import io.switchboard.core.port.TaskStore.RecentOutcomes;
import io.switchboard.core.remote.AttemptKey;
import io.switchboard.core.remote.OutboxRow;
import io.switchboard.core.remote.WorkMessage;
import io.switchboard.core.routing.Cooldown;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.task.PlanRun;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskStatus;
import io.switchboard.store.Migrations.State;
import io.switchboard.store.internal.Changesets;
import io.switchboard.store.internal.Jdbc;
import io.switchboard.store.internal.JsonColumns;
import io.switchboard.testkit.MutableClock;
import io.switchboard.testkit.TaskBuilder;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Moving the schema between versions, written once and run on SQLite and PostgreSQL: a fresh upgrade, the
 * rollback of the latest version and the upgrade after it, and the upgrade of version-1 and version-3 databases
 * that hold data.
 */
abstract class MigrationsTest {
    private static final List<String> VERSION_1_TABLES = List.of("agent_performance", "agent_registry",
            "routing_decisions");
    private static final List<String> VERSION_3_TABLES = StoreTables.ALL.stream()
            .filter(table -> !List.of("transitions", "orchestrators", "workflow_runs", "workflow_steps", "outbox",
                    "attempt_results", "agent_workers").contains(table)).sorted().toList();
    private static final List<String> VERSION_7_TABLES = StoreTables.ALL.stream()
            .filter(table -> !List.of("workflow_runs", "workflow_steps", "outbox", "attempt_results", "agent_workers")
                    .contains(table)).sorted().toList();
    private static final Duration HALF_LIFE = Duration.ofDays(14);
    private static final String UPGRADED = "set by the upgrade to schema version 4";

    private final MutableClock clock = new MutableClock();

    /** The URL of a new, empty database for one test. */
    protected abstract String newDatabase();

    @Test
    void aFreshDatabaseIsUpgradedToTheLatestVersion() {
        String url = newDatabase();
        try (Database database = Database.openWithoutUpgrade(url)) {
            Migrations migrations = database.migrations();
            assertThat(migrations.state()).isEqualTo(State.ABSENT);
            assertThat(migrations.appliedVersion()).isZero();

            assertThat(migrations.upgrade()).isEqualTo(Changesets.shipped(database.dialect()).size());

            assertThat(migrations.state()).isEqualTo(State.CURRENT);
            assertThat(migrations.appliedVersion()).isEqualTo(Migrations.LATEST_VERSION).isEqualTo(14);
            assertThat(StoreTables.existing(url)).containsExactlyInAnyOrderElementsOf(StoreTables.ALL);
            // Current: nothing to do, and nothing done.
            assertThat(migrations.upgrade()).isZero();
        }
    }

    @Test
    void openingADatabaseUpgradesIt() {
        String url = newDatabase();

        try (Database database = Database.open(url)) {
            assertThat(database.migrations().state()).isEqualTo(State.CURRENT);
            assertThat(database.readOnly()).isFalse();
        }
    }

    @Test
    void rollingBackVersionSixDropsWhatAttemptsChangedAndThePlanRunAndItCanBeUpgradedAgain() {
        String url = newDatabase();
        try (Database database = Database.open(url)) {
            Store store = database.store();
            RegisteredAgent codex = store.register(anAgent("codex").profile(), AgentOrigin.CONFIG, clock.instant());
            Task task = TaskBuilder.aTask().withId("T-1").build();
            TaskOptions options = new TaskOptions("/work", null, null, null, Set.of(), null, null)
                    .withPlanRun(new PlanRun("sprint-3", List.of(), 2, true));
            store.submit(task, options, false, clock.instant());
            store.startAttempt("T-1", codex.id(), "codex", Mode.AUTO, "implement", clock.instant());
            AttemptChanges changes = new AttemptChanges("switchboard/T-1", "abc123", "",
                    List.of(new FileChange('A', "a.txt")), "1 file changed, 1 insertion(+)");
            store.finishAttempt(succeeded("T-1", 1, clock.instant()).changing(changes)
                    .movingTaskTo(TaskState.SUCCEEDED, "succeeded on codex").build());
            assertThat(store.attemptRecords("T-1").getFirst().changes()).isEqualTo(changes);
            assertThat(StoreTables.hasIndex(url, "tasks", "ix_tasks_plan_run")).isTrue();

            // Versions 14, 13, 12, 11, 10, 9, 8 and 7 go first; version 6 is two changesets: what an attempt changed,
            // the task's plan run.
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(2);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(4);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(2);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(2);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(2);

            assertThat(database.migrations().appliedVersion()).isEqualTo(5);
            assertThat(StoreTables.columns(url, "attempts")).doesNotContain("workspace_branch", "workspace_commit",
                    "workspace_copy", "changed_files", "diff_stat");
            assertThat(StoreTables.columns(url, "tasks")).doesNotContain("plan_run");
            assertThat(StoreTables.hasIndex(url, "tasks", "ix_tasks_plan_run")).isFalse();

            assertThat(database.migrations().upgrade()).isEqualTo(16);
            assertThat(database.migrations().state()).isEqualTo(State.CURRENT);
            // What version 6 alone held is gone; everything else reads as before.
            assertThat(store.attemptRecords("T-1").getFirst().changes()).isNull();
            assertThat(store.attemptRecords("T-1").getFirst().attempt().state()).isEqualTo(AttemptState.SUCCEEDED);
            assertThat(store.planTasks("sprint-3")).isEmpty();
            assertThat(store.taskOptions("T-1")).contains(options);
            store.submit(task, options, false, clock.instant());
            assertThat(store.planTasks("sprint-3")).containsExactly("T-1");
        }
    }

    @Test
    void rollingBackVersionSevenDropsWhatHandoffsAndAnswersKeepAndItCanBeUpgradedAgain() {
        String url = newDatabase();
        try (Database database = Database.open(url)) {
            Store store = database.store();
            RegisteredAgent codex = store.register(anAgent("codex").profile(), AgentOrigin.CONFIG, clock.instant());
            store.saveTask(TaskBuilder.aTask().withId("T-1").build(), clock.instant());
            store.requestHandoff("T-1", io.switchboard.core.task.Handoff.requested("codex", "note", clock.instant()));
            store.startAttempt(new AttemptStart("T-1", codex.id(), "codex", Mode.AUTO, "implement", null, "o-1", "m-1",
                    "", "the packet", store.handoff("T-1").orElseThrow()), clock.instant());

            // Versions 14, 13, 12, 11, 10, 9 and 8 go first; version 7 is two changesets: the attempt's packet and
            // answer, the task's handoff.
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(2);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(4);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(2);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(2);

            assertThat(database.migrations().appliedVersion()).isEqualTo(6);
            assertThat(database.migrations().state()).isEqualTo(State.BEHIND);
            assertThat(StoreTables.columns(url, "attempts")).doesNotContain("packet", "answer")
                    .contains("marker", "diff_stat");
            assertThat(StoreTables.columns(url, "tasks")).doesNotContain("handoff_to", "handoff_note", "handoff_at",
                    "handoff_attempt");
            assertThat(database.migrations().upgrade()).isEqualTo(14);
            assertThat(database.migrations().state()).isEqualTo(State.CURRENT);
            // What only version 7 held is gone; the attempt reads with no packet, the task with no handoff.
            assertThat(store.attemptRecords("T-1")).singleElement()
                    .satisfies(record -> assertThat(record.packet()).isEmpty());
            assertThat(store.handoff("T-1")).isEmpty();
        }
    }

    @Test
    void rollingBackVersionFiveBringsBackTheIndexOfTheWindowAndItCanBeUpgradedAgain() {
        String url = newDatabase();
        try (Database database = Database.open(url)) {
            assertThat(StoreTables.hasIndex(url, "attempts", "ix_attempts_last_success")).isTrue();
            assertThat(StoreTables.hasIndex(url, "attempts", "ix_attempts_recent")).isFalse();

            rollBackToVersionFive(database);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);

            assertThat(database.migrations().appliedVersion()).isEqualTo(4);
            assertThat(StoreTables.hasIndex(url, "attempts", "ix_attempts_last_success")).isFalse();
            assertThat(StoreTables.hasIndex(url, "attempts", "ix_attempts_recent")).isTrue();
            assertThat(database.migrations().upgrade()).isEqualTo(1 + changesetsAfterVersionFive(database));
            assertThat(database.migrations().state()).isEqualTo(State.CURRENT);
        }
    }

    /**
     * Rolls back every version after 5 (6 to 14), which the tests of rolling back the older versions
     * start from. By changesets, not by {@link Migrations#appliedVersion()}: a version without changesets of its own
     * counts as applied once the versions before it are.
     */
    private static void rollBackToVersionFive(Database database) {
        int after = changesetsAfterVersionFive(database);
        int rolledBack = 0;
        while (rolledBack < after) {
            rolledBack += database.migrations().rollbackLatest();
        }
        assertThat(rolledBack).isEqualTo(after);
        assertThat(database.migrations().state()).isEqualTo(State.BEHIND);
    }

    private static int changesetsAfterVersionFive(Database database) {
        return Changesets.shipped(database.dialect()).size() - Changesets.shipped(database.dialect(), 5).size();
    }

    @Test
    void rollingBackVersionNineDropsTheOutboxAndItCanBeUpgradedAgain() {
        String url = newDatabase();
        try (Database database = Database.open(url)) {
            assertThat(StoreTables.existing(url)).contains("outbox");
            assertThat(StoreTables.hasIndex(url, "outbox", "ix_outbox_claims")).isTrue();
            RegisteredAgent codex = database.store().register(anAgent("codex").profile(), AgentOrigin.CONFIG,
                    clock.instant());

            // Versions 14, 13, 12, 11 and 10 go first.
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(2);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(4);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);

            assertThat(database.migrations().state()).isEqualTo(State.BEHIND);
            assertThat(StoreTables.existing(url)).doesNotContain("outbox");
            assertThat(database.migrations().upgrade()).isEqualTo(10);
            assertThat(database.store().find("codex")).contains(codex);
            assertThat(database.migrations().state()).isEqualTo(State.CURRENT);
            assertThat(StoreTables.columns(url, "outbox")).contains("agent", "priority", "message_version",
                    "prompt", "prompt_ref").doesNotContain("sent_at");
        }
    }

    @Test
    void rollingBackVersionElevenDropsLeasesResultsBeatsAndClaimsAndItCanBeUpgradedAgain() {
        String url = newDatabase();
        try (Database database = Database.open(url)) {
            Store store = database.store();
            RegisteredAgent codex = store.register(anAgent("codex").profile(), AgentOrigin.CONFIG, clock.instant());
            store.submit(TaskBuilder.aTask().withId("T-1").build(), TaskOptions.DEFAULTS, false, clock.instant());
            store.submit(TaskBuilder.aTask().withId("T-2").build(), TaskOptions.DEFAULTS, false, clock.instant());
            store.registerOrchestrator(new OrchestratorRecord("o-1", "host", 1, clock.instant(), null));
            assertThat(store.beatOrchestrator("o-1", Duration.ofMinutes(1))).isTrue();
            assertThat(store.claimTasks("o-1", 1, clock.instant())).containsExactly("T-1");
            AttemptKey key = new AttemptKey("T-1", 1);
            store.startAttempt(new AttemptStart("T-1", codex.id(), "codex", Mode.AUTO, "implement", null, "o-1", null,
                    ""), clock.instant(), Duration.ofMinutes(1), attempt -> WorkMessage.of("T-1", attempt.number(),
                    "codex", Mode.AUTO, WorkMessage.Reference.toTask("T-1"), null, 4));
            assertThat(store.claim(key, "w-1", Duration.ofMinutes(1)).claimed()).isTrue();
            RunResult result = new RunResult(null, 0, Duration.ofSeconds(3), null, null, "done", "", null, null);
            assertThat(store.report(key, "w-1", result).accepted()).isTrue();
            assertThat(StoreTables.hasIndex(url, "attempts", "ix_attempts_remote_in_flight")).isTrue();
            assertThat(StoreTables.hasIndex(url, "attempts", "ix_attempts_leases")).isTrue();
            assertThat(StoreTables.hasIndex(url, "tasks", "ix_tasks_claimed_by")).isTrue();

            // Versions 14, 13 and 12 go first. Version 11 is four changesets: the attempts' leases, the reported
            // results, the orchestrators' beats, the tasks' claims.
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(2);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(4);

            assertThat(database.migrations().appliedVersion()).isEqualTo(10);
            assertThat(database.migrations().state()).isEqualTo(State.BEHIND);
            assertThat(StoreTables.existing(url)).doesNotContain("attempt_results").contains("outbox", "attempts");
            assertThat(StoreTables.columns(url, "attempts")).doesNotContain("remote_state", "lease_worker",
                    "lease_until").contains("answer", "diff_stat");
            assertThat(StoreTables.columns(url, "orchestrators")).doesNotContain("last_heartbeat", "stale_after_ms")
                    .contains("ended_at");
            assertThat(StoreTables.columns(url, "tasks")).doesNotContain("claimed_by").contains("handoff_to");
            assertThat(StoreTables.hasIndex(url, "attempts", "ix_attempts_remote_in_flight")).isFalse();
            assertThat(StoreTables.hasIndex(url, "attempts", "ix_attempts_leases")).isFalse();
            assertThat(StoreTables.hasIndex(url, "tasks", "ix_tasks_claimed_by")).isFalse();

            assertThat(database.migrations().upgrade()).isEqualTo(8);
            assertThat(database.migrations().state()).isEqualTo(State.CURRENT);
            // What only version 11 held is gone: the attempt is as a local one, the task unclaimed.
            assertThat(store.attemptRecords("T-1")).singleElement()
                    .satisfies(record -> assertThat(record.attempt().state()).isEqualTo(AttemptState.RUNNING));
            assertThat(store.remoteAttempt(key)).isEmpty();
            assertThat(store.reportedResults("T-1")).isEmpty();
            assertThat(store.orchestrator("o-1")).isPresent();
            assertThat(store.claimTask("T-1", "o-2")).isTrue();
            assertThat(store.beatOrchestrator("o-1", Duration.ofMinutes(1))).isTrue();
            assertThat(store.claimTasks("o-1", 10, clock.instant())).containsExactly("T-2");
        }
    }

    @Test
    void rollingBackVersionTwelveDropsTheRelaysClaimsAndKeepsOneWorkerPerAgentAndItCanBeUpgradedAgain() {
        String url = newDatabase();
        try (Database database = Database.open(url)) {
            Store store = database.store();
            long first = store.enqueue(WorkMessage.of("T-1", 1, "codex", Mode.AUTO, new WorkMessage.Inline("p"),
                    null, 4), clock.instant());
            long second = store.enqueue(WorkMessage.of("T-2", 1, "codex", Mode.AUTO, new WorkMessage.Inline("p"),
                    null, 4), clock.instant());
            assertThat(store.claimPending("o-1", 1, Duration.ofMinutes(1), clock.instant()))
                    .extracting(row -> row.id()).containsExactly(first);
            assertThat(StoreTables.columns(url, "outbox")).contains("claimed_by", "claimed_until");
            assertThat(StoreTables.hasIndex(url, "outbox", "ix_outbox_claims")).isTrue();
            // codex runs on two workers, of which w-1 left; claude on w-1 alone, which left it offline.
            store.registerWorker("w-1", List.of(anAgent("codex").profile(), anAgent("claude").profile()),
                    Duration.ofMinutes(1));
            store.registerWorker("w-2", List.of(anAgent("codex").profile()), Duration.ofMinutes(2));
            assertThat(store.leave("w-1")).isEqualTo(1);
            assertThat(StoreTables.existing(url)).contains("agent_workers");

            // Versions 14 and 13 go first; version 12 is two changesets: the relays' claims, the agents' workers.
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(2);

            assertThat(database.migrations().appliedVersion()).isEqualTo(11);
            assertThat(database.migrations().state()).isEqualTo(State.BEHIND);
            assertThat(StoreTables.columns(url, "outbox")).doesNotContain("claimed_by", "claimed_until")
                    .contains("sent_at");
            assertThat(StoreTables.hasIndex(url, "outbox", "ix_outbox_claims")).isFalse();
            assertThat(StoreTables.hasIndex(url, "outbox", "ix_outbox_pending")).isTrue();
            assertThat(StoreTables.existing(url)).doesNotContain("agent_workers");
            // As version 11 keeps them: one worker per agent, the one still running it, and offline when none is.
            assertThat(workerColumns(database, "codex")).isEqualTo("w-2 120000 online");
            assertThat(workerColumns(database, "claude")).isEqualTo("w-1 60000 offline");

            assertThat(database.migrations().upgrade()).isEqualTo(4);
            assertThat(database.migrations().state()).isEqualTo(State.CURRENT);
            // What only version 12 held is gone: both rows are pending and nobody holds them; each agent has the
            // one worker version 11 kept.
            assertThat(store.countPending()).isEqualTo(2);
            assertThat(store.claimPending("o-2", 10, Duration.ofMinutes(1), clock.instant()))
                    .extracting(row -> row.id()).containsExactly(first, second);
            assertThat(StoreTables.columns(url, "agent_registry")).doesNotContain("worker_id", "stale_after_ms");
            assertThat(store.find("codex").orElseThrow().status()).isEqualTo(AgentStatus.ONLINE);
            assertThat(store.find("claude").orElseThrow().status()).isEqualTo(AgentStatus.OFFLINE);
            assertThat(store.beat("w-2")).isEqualTo(1);
            assertThat(store.beat("w-1")).isZero();
        }
    }

    /** The worker columns version 11 keeps on an agent, and its stored status, read as they are stored. */
    private static String workerColumns(Database database, String name) {
        Jdbc jdbc = database.jdbc();
        return jdbc.read(connection -> jdbc.query(connection,
                "SELECT worker_id, stale_after_ms, status FROM agent_registry WHERE name = ?",
                parameters -> parameters.text(name), rows -> rows.getString(1) + " " + rows.getLong(2) + " "
                        + rows.getString(3))).getFirst();
    }

    @Test
    void versionThirteenDeletesSentRowsAndRollingItBackBringsBackThePendingIndexes() {
        String url = newDatabase();
        try (Database database = Database.open(url)) {
            Store store = database.store();
            List<Long> ids = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                ids.add(store.enqueue(WorkMessage.of("T-" + i, 1, "codex", Mode.AUTO, new WorkMessage.Inline("p"),
                        null, 4), clock.instant()));
            }
            assertThat(store.claimPending("o-1", 2, Duration.ofMinutes(1), clock.instant())).hasSize(2);
            assertThat(StoreTables.columns(url, "outbox")).doesNotContain("sent_at");
            assertThat(StoreTables.hasIndex(url, "outbox", "ix_outbox_pending")).isFalse();

            // Version 14 goes first; version 13 is one changeset.
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);

            assertThat(database.migrations().appliedVersion()).isEqualTo(12);
            assertThat(StoreTables.columns(url, "outbox")).contains("sent_at", "claimed_by");
            assertThat(StoreTables.hasIndex(url, "outbox", "ix_outbox_pending")).isTrue();
            assertThat(StoreTables.hasIndex(url, "outbox", "ix_outbox_claims")).isTrue();
            // As version 12 kept them: the first row sent, the others pending, the second still o-1's.
            Jdbc jdbc = database.jdbc();
            jdbc.write(connection -> jdbc.update(connection, "UPDATE outbox SET sent_at = ? WHERE id = ?",
                    parameters -> parameters.instant(clock.instant()).bigint(ids.get(0))));

            // Upgraded again (versions 13 and 14): the sent row is gone, the pending ones stay, with their claims.
            assertThat(database.migrations().upgrade()).isEqualTo(2);
            assertThat(database.migrations().state()).isEqualTo(State.CURRENT);
            assertThat(StoreTables.columns(url, "outbox")).doesNotContain("sent_at");
            assertThat(store.pending(10)).extracting(OutboxRow::id).containsExactly(ids.get(1), ids.get(2));
            assertThat(store.claimPending("o-2", 10, Duration.ofMinutes(1), clock.instant()))
                    .extracting(OutboxRow::id).containsExactly(ids.get(2));
            assertThat(store.renewClaims("o-1", Duration.ofMinutes(1))).isEqualTo(1);
        }
    }

    @Test
    void versionFourteenKeepsFinishedRowsOutOfTheIndexesReadForUnfinishedOnesAndRollsBackToFullIndexes() {
        String url = newDatabase();
        try (Database database = Database.open(url)) {
            // The words of each condition, as either database spells it back (PostgreSQL adds casts and = ANY).
            Map<String, List<String>> conditions = Map.of(
                    "ix_attempts_in_flight", List.of("state", "'pending'", "'running'"),
                    "ix_attempts_finished", List.of("finished_at", "is not null"),
                    "ix_attempts_last_success", List.of("state", "'succeeded'"),
                    "ix_tasks_unfinished", List.of("state", "'queued'", "'running'", "'waiting'"),
                    "ix_tasks_plan_run", List.of("plan_run", "is not null"),
                    "ix_tasks_claimed_by", List.of("claimed_by", "is not null"));
            conditions.forEach((index, words) -> assertThat(StoreTables.indexDefinition(url, index)).as(index)
                    .contains(" where ").satisfies(definition -> assertThat(
                            definition.substring(definition.indexOf(" where "))).contains(words)));

            // Version 14 is one changeset.
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);

            assertThat(database.migrations().appliedVersion()).isEqualTo(13);
            conditions.keySet().forEach(index -> assertThat(StoreTables.indexDefinition(url, index)).as(index)
                    .isNotEmpty().doesNotContain(" where "));
            assertThat(StoreTables.indexDefinition(url, "ix_attempts_last_success")).contains("state");
            assertThat(database.migrations().upgrade()).isEqualTo(1);
            assertThat(database.migrations().state()).isEqualTo(State.CURRENT);
            assertThat(StoreTables.indexDefinition(url, "ix_tasks_unfinished")).contains(" where ");
        }
    }

    @Test
    void rollingBackVersionFourUndoesItAloneAndItCanBeUpgradedAgain() {
        String url = newDatabase();
        try (Database database = Database.open(url)) {
            Store store = database.store();
            RegisteredAgent codex = store.register(anAgent("codex").profile(), AgentOrigin.CONFIG, clock.instant());
            store.append(aDecision().forTask("T-1").candidate("codex", codex.id()).at(clock.instant()).build());
            Task task = TaskBuilder.aTask().withId("T-1").build();
            store.submit(task, new TaskOptions("/work", 1.0, null, null, Set.of(), null, null), false, clock.instant());
            store.startAttempt(new AttemptStart("T-1", codex.id(), "codex", Mode.AUTO, "implement", 1L, "o-1", "m-1",
                    "1.0"), clock.instant());
            store.finishAttempt(succeeded("T-1", 1, clock.instant()).costing(0.5)
                    .movingTaskTo(TaskState.SUCCEEDED, "succeeded on codex").build());
            store.coolDown(Cooldown.untilConfigChanges(codex.id(), "not logged in", "sha256:1"));
            store.registerOrchestrator(new OrchestratorRecord("o-1", "host", 1, clock.instant(), null));

            // Version 5 is one changeset, an index; version 4 is five: task states, attempt details,
            // transitions, orchestrators and the cooldowns' fingerprint.
            rollBackToVersionFive(database);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(5);

            assertThat(database.migrations().state()).isEqualTo(State.BEHIND);
            assertThat(database.migrations().appliedVersion()).isEqualTo(3);
            assertThat(StoreTables.existing(url)).containsExactlyElementsOf(VERSION_3_TABLES);
            assertThat(StoreTables.columns(url, "tasks")).contains("task_id", "traits")
                    .doesNotContain("state", "draft", "options", "due_at");
            assertThat(StoreTables.columns(url, "attempts")).doesNotContain("failure_type", "cost", "marker");
            assertThat(StoreTables.columns(url, "cooldowns")).doesNotContain("config_fingerprint");
            assertThat(StoreTables.hasIndex(url, "attempts", "ix_attempts_finished")).isFalse();
            // What version 3 holds reads as before.
            assertThat(store.find(DecisionQuery.all())).hasSize(1);
            assertThat(store.findTask("T-1")).isPresent();
            assertThat(store.attempts("T-1")).extracting(Attempt::state).containsExactly(AttemptState.SUCCEEDED);

            assertThat(database.migrations().upgrade()).isEqualTo(6 + changesetsAfterVersionFive(database));
            assertThat(store.find("codex")).contains(codex);

            assertThat(database.migrations().state()).isEqualTo(State.CURRENT);
            assertThat(StoreTables.existing(url)).containsExactlyInAnyOrderElementsOf(StoreTables.ALL);
            assertThat(StoreTables.columns(url, "attempts")).contains("failure_type", "cost", "marker");
            // What only version 4 held is gone: the task's state is set again as for any version-3 task.
            assertThat(store.taskStatus("T-1").orElseThrow().state()).isEqualTo(TaskState.QUEUED);
            assertThat(store.loadTask("T-1")).isEmpty();
            assertThat(store.orchestrator("o-1")).isEmpty();
            store.saveTask(task, clock.instant());
            assertThat(store.loadTask("T-1")).contains(task);
            assertThat(store.startAttempt("T-1", codex.id(), "codex", Mode.AUTO, "implement", clock.instant())
                    .number()).isEqualTo(2);
        }
    }

    @Test
    void rollingBackVersionEightDropsTheWorkflowTablesAndKeepsTheAnswerAndItCanBeUpgradedAgain() {
        String url = newDatabase();
        try (Database database = Database.open(url)) {
            Store store = database.store();
            store.createRun(new io.switchboard.core.workflow.WorkflowRun.New("wf",
                    io.switchboard.core.workflow.Workflows.planImplementReview(), java.util.Map.of("task", "x"),
                    new TaskOptions("/work", null, null, null, Set.of(), null, null), null, "o-1"), clock.instant());
            assertThat(StoreTables.columns(url, "attempts")).contains("answer");

            // Versions 14, 13, 12, 11, 10 and 9 go first; version 8 is two changesets: workflow runs and their steps.
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(2);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(4);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(2);

            // The answer is version 7's, which stays.
            assertThat(database.migrations().appliedVersion()).isEqualTo(7);
            assertThat(database.migrations().state()).isEqualTo(State.BEHIND);
            assertThat(StoreTables.existing(url)).containsExactlyElementsOf(VERSION_7_TABLES);
            assertThat(StoreTables.columns(url, "attempts")).contains("answer", "packet", "marker");
            assertThat(StoreTables.hasIndex(url, "attempts", "ix_attempts_last_success")).isTrue();

            assertThat(database.migrations().upgrade()).isEqualTo(12);
            assertThat(database.migrations().appliedVersion()).isEqualTo(14);
            assertThat(store.unfinishedRuns()).isEmpty();
            assertThat(store.createRun(new io.switchboard.core.workflow.WorkflowRun.New("wf",
                    io.switchboard.core.workflow.Workflows.planImplementReview(), java.util.Map.of("task", "x"),
                    new TaskOptions("/work", null, null, null, Set.of(), null, null), null, "o-1"), clock.instant())
                    .id()).isEqualTo("wf-1");
        }
    }

    @Test
    void rollingBackVersionFourThenThreeKeepsVersionThreesIndexUntilItsTurn() {
        String url = newDatabase();
        try (Database database = Database.open(url)) {
            rollBackToVersionFive(database);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(5);
            assertThat(StoreTables.hasIndex(url, "routing_decisions", "ix_routing_decisions_created")).isTrue();

            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);

            assertThat(database.migrations().appliedVersion()).isEqualTo(2);
            assertThat(StoreTables.hasIndex(url, "routing_decisions", "ix_routing_decisions_created")).isFalse();
            assertThat(database.migrations().upgrade()).isEqualTo(7 + changesetsAfterVersionFive(database));
            assertThat(database.migrations().state()).isEqualTo(State.CURRENT);
        }
    }

    @Test
    void rollingBackVersionTwoDropsItsTablesAndKeepsVersionOnesData() {
        String url = newDatabase();
        try (Database database = Database.open(url)) {
            RegisteredAgent codex = database.store().register(anAgent("codex").profile(), AgentOrigin.CONFIG,
                    clock.instant());

            rollBackToVersionFive(database);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(5);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(3);

            assertThat(database.migrations().appliedVersion()).isEqualTo(1);
            assertThat(StoreTables.existing(url)).containsExactlyElementsOf(VERSION_1_TABLES);

            assertThat(database.migrations().upgrade()).isEqualTo(10 + changesetsAfterVersionFive(database));
            // Version 1's agent reads back (as a registered agent no worker holds, which version 10 adds).
            assertThat(database.store().find("codex")).contains(codex);
            assertThat(database.migrations().state()).isEqualTo(State.CURRENT);
            assertThat(StoreTables.existing(url)).containsExactlyInAnyOrderElementsOf(StoreTables.ALL);
        }
    }

    @Test
    void rollingBackEveryVersionLeavesNoTable() {
        String url = newDatabase();
        try (Database database = Database.open(url)) {
            rollBackToVersionFive(database);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(5);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(3);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(3);

            assertThat(database.migrations().state()).isEqualTo(State.ABSENT);
            assertThat(StoreTables.existing(url)).isEmpty();
            assertThat(database.migrations().rollbackLatest()).isZero();
        }
    }

    @Test
    void aVersionThreeDatabaseWithDataIsUpgradedAndItsTasksGetStates() {
        String url = newDatabase();
        RegisteredAgent codex;
        Instant t0 = clock.instant();
        Instant t1 = t0.plusSeconds(60);
        Instant t2 = t0.plusSeconds(120);
        try (Database version3 = Database.openWithoutUpgrade(url)) {
            assertThat(version3.migrations().upgradeTo(3)).isEqualTo(7);
            codex = registeredAsBefore(version3, anAgent("codex").profile(), t0);
            // Rows as version 3 wrote them: T-1 has a failed attempt and one in flight, T-2 one that succeeded,
            // T-3 none; codex is cooling down.
            Jdbc jdbc = version3.jdbc();
            jdbc.write(connection -> {
                for (String[] task : new String[][] {{"T-1", "0"}, {"T-2", "60"}, {"T-3", "120"}}) {
                    Instant at = t0.plusSeconds(Long.parseLong(task[1]));
                    jdbc.update(connection, """
                            INSERT INTO tasks (task_id, title, work_type, task_type, pool, traits, source, created_at,
                                updated_at)
                            VALUES (?, ?, 'implement', 'implement', NULL, {json}, 'tasks.md:1', ?, ?)""",
                            parameters -> parameters.text(task[0]).text("Task " + task[0])
                                    .json(JsonColumns.traits(TaskBuilder.aTask().build().traits()))
                                    .instant(at).instant(at.plusSeconds(5)));
                }
                insertVersion3Attempt(jdbc, connection, "T-1", 1, codex, AttemptState.FAILED, t0, t1);
                insertVersion3Attempt(jdbc, connection, "T-1", 2, codex, AttemptState.RUNNING, t1, null);
                insertVersion3Attempt(jdbc, connection, "T-2", 1, codex, AttemptState.SUCCEEDED, t1, t2);
                jdbc.update(connection, "INSERT INTO cooldowns (agent_id, until, reason) VALUES (?, ?, 'quota')",
                        parameters -> parameters.uuid(codex.id()).instant(t2.plusSeconds(600)));
                return null;
            });
        }

        try (Database upgraded = Database.open(url)) {
            assertThat(upgraded.migrations().state()).isEqualTo(State.CURRENT);
            Store store = upgraded.store();
            // Queued, or running when an attempt is in flight; the reason says where the state came from.
            assertThat(store.taskStatus("T-1")).contains(new TaskStatus("T-1", TaskState.RUNNING, UPGRADED, null,
                    t0.plusSeconds(5)));
            assertThat(store.taskStatus("T-2").orElseThrow().state()).isEqualTo(TaskState.QUEUED);
            assertThat(store.taskStatus("T-3").orElseThrow().state()).isEqualTo(TaskState.QUEUED);
            assertThat(store.transitions("T-1")).containsExactly(new Transition("T-1", null, null, "running", UPGRADED,
                    t0.plusSeconds(5)));
            assertThat(store.unfinishedTasks()).containsExactly("T-1", "T-2", "T-3");
            // A version-3 task kept only its traits: it is found, not loaded, and has no options.
            assertThat(store.findTask("T-1")).isPresent();
            assertThat(store.loadTask("T-1")).isEmpty();
            assertThat(store.taskOptions("T-1")).contains(TaskOptions.DEFAULTS);
            // Attempts read with nothing more recorded about them.
            Attempt running = new Attempt("T-1", 2, codex.id(), "codex", Mode.AUTO, "implement", AttemptState.RUNNING,
                    t1, null);
            assertThat(store.attemptRecords("T-1")).extracting(AttemptRecord::failure).containsOnlyNulls();
            assertThat(store.inFlightAttempts()).containsExactly(new AttemptRecord(running, null, 0, 0, 0, 0, null,
                    null, "", "", "", null, null, null, null, "", "", null));
            assertThat(store.active(t2)).containsEntry(codex.id(),
                    new Cooldown(codex.id(), t2.plusSeconds(600), "quota", null));
            assertThat(store.spentSince(Instant.EPOCH)).isZero();

            // And version 4 runs them on: the attempt in flight finishes, the task that never ran starts.
            Instant finished = t2.plusSeconds(1);
            assertThat(store.finishAttempt(succeeded("T-1", 2, finished).costing(0.1)
                    .countingTowardsPerformance(HALF_LIFE).movingTaskTo(TaskState.SUCCEEDED, "succeeded on codex")
                    .build())).isTrue();
            assertThat(store.taskStatus("T-1").orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
            assertThat(store.forWorkType("implement").get(codex.id()).successes()).isEqualTo(1);
            assertThat(store.startAttempt("T-3", codex.id(), "codex", Mode.AUTO, "implement", finished).number())
                    .isEqualTo(1);
            assertThat(store.transitions("T-3")).hasSize(3);
        }
    }

    private static void insertVersion3Attempt(Jdbc jdbc, Connection connection, String taskId, int number,
            RegisteredAgent agent, AttemptState state, Instant startedAt, Instant finishedAt) throws SQLException {
        jdbc.update(connection, """
                INSERT INTO attempts (task_id, attempt_number, agent_id, agent_name, mode, work_type, state,
                    started_at, finished_at)
                VALUES (?, ?, ?, ?, 'auto', 'implement', ?, ?, ?)""", parameters -> parameters
                .text(taskId)
                .integer(number)
                .uuid(agent.id())
                .text(agent.name())
                .text(state.name().toLowerCase(Locale.ROOT))
                .instant(startedAt)
                .instant(finishedAt));
    }

    /**
     * An agent registered as versions 1 to 9 did, in a database at one of those versions: the code's own
     * {@code register} reads back columns version 10 added.
     */
    private static RegisteredAgent registeredAsBefore(Database database, AgentProfile profile, Instant at) {
        UUID id = UUID.randomUUID();
        Jdbc jdbc = database.jdbc();
        jdbc.write(connection -> jdbc.update(connection, """
                INSERT INTO agent_registry (agent_id, name, adapter, agent_type, pool_name, capabilities,
                    specializations, strengths, weaknesses, cost_per_1k_tokens, context_limit, availability,
                    max_concurrency, mode_flags, command, origin, status, retired, last_heartbeat, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, {json}, {json}, {json}, {json}, ?, ?, ?, ?, {json}, {json}, 'config', 'online',
                    FALSE, NULL, ?, ?)""", parameters -> parameters.uuid(id).text(profile.name())
                .text(profile.adapter().configName()).text(profile.agentType()).text(profile.pool())
                .json(JsonColumns.strings(profile.capabilities()))
                .json(JsonColumns.strings(profile.specializations()))
                .json(JsonColumns.strings(profile.strengths()))
                .json(JsonColumns.strings(profile.weaknesses()))
                .real(profile.costPer1kTokens()).integer(profile.contextLimit())
                .text(profile.availability().configName()).integer(profile.maxConcurrency())
                .json(JsonColumns.modeFlags(profile.modeFlags())).json(JsonColumns.strings(profile.command()))
                .instant(at).instant(at)));
        return new RegisteredAgent(id, profile, AgentStatus.ONLINE, null, AgentOrigin.CONFIG);
    }

    @Test
    void aVersionOneDatabaseWithDataIsUpgradedAndItsDataReadsBack() {
        String url = newDatabase();
        RegisteredAgent codex;
        AgentPerformance performance;
        RoutingDecision decision;
        try (Database version1 = Database.openWithoutUpgrade(url)) {
            assertThat(version1.migrations().upgradeTo(1)).isEqualTo(3);
            assertThat(version1.migrations().state()).isEqualTo(State.BEHIND);
            assertThat(StoreTables.existing(url)).containsExactlyElementsOf(VERSION_1_TABLES);
            Store store = version1.store();
            codex = registeredAsBefore(version1, anAgent("codex").strongAt("java").costing(0.003).profile(),
                    clock.instant());
            performance = store.recordOutcome(codex.id(), "implement", true, clock.instant(), Duration.ofDays(14),
                    60_000, 12_000, 0.036, Difficulty.TRICKY);
            decision = aDecision().forTask("T-1").candidate("codex", codex.id()).at(clock.instant()).build();
            store.append(decision);
        }

        try (Database upgraded = Database.open(url)) {
            assertThat(upgraded.migrations().state()).isEqualTo(State.CURRENT);
            Store store = upgraded.store();
            assertThat(store.find("codex")).contains(codex);
            assertThat(store.forWorkType("implement")).containsEntry(codex.id(), performance);
            assertThat(store.find(DecisionQuery.all())).extracting(StoredDecision::decision).containsExactly(decision);
            // And version 2 works on the upgraded database.
            store.saveTask(TaskBuilder.aTask().withId("T-1").build(), clock.instant());
            store.startAttempt("T-1", codex.id(), "codex", Mode.AUTO, "implement", clock.instant());
            store.coolDown(new Cooldown(codex.id(), clock.instant().plusSeconds(60), "quota"));
            assertThat(store.inFlightByAgent()).containsEntry(codex.id(), 1);
            assertThat(store.active(clock.instant())).containsOnlyKeys(codex.id());
        }
    }

    @Test
    void aReadOnlyOpenReadsButNeverWrites() {
        String url = newDatabase();
        try (Database database = Database.open(url)) {
            database.store().register(anAgent("codex").profile(), AgentOrigin.CONFIG, clock.instant());
        }

        try (Database readOnly = Database.openReadOnly(url)) {
            Store store = readOnly.store();
            assertThat(readOnly.readOnly()).isTrue();
            RegisteredAgent codex = store.find("codex").orElseThrow();
            assertThat(store.agents()).containsExactly(codex);

            assertThatThrownBy(() -> store.register(anAgent("gemini").profile(), AgentOrigin.CLI, clock.instant()))
                    .isInstanceOf(StoreException.class).hasMessageContaining("read-only");
            assertThatThrownBy(() -> store.append(aDecision().build())).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> store.submit(TaskBuilder.aTask().build(), TaskOptions.DEFAULTS, false,
                    clock.instant())).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> store.recordOutcome(codex.id(), "implement", true, clock.instant(),
                    Duration.ofDays(1), 1, 1, 0, null)).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> readOnly.migrations().rollbackLatest()).isInstanceOf(StoreException.class);
            assertThat(store.agents()).containsExactly(codex);
            assertThat(store.find(DecisionQuery.all())).isEmpty();
        }
    }

    @Test
    void aReadOnlyOpenOfADatabaseWithoutTheSchemaReadsAsEmpty() {
        String url = newDatabase();
        try (Database database = Database.openWithoutUpgrade(url)) {
            assertThat(database.migrations().state()).isEqualTo(State.ABSENT);
        }

        try (Database readOnly = Database.openReadOnly(url)) {
            assertThat(readOnly.readOnly()).isTrue();
            assertThat(readOnly.migrations().state()).isEqualTo(State.ABSENT);
            assertThat(readOnly.store().agents()).isEmpty();
            assertThat(readOnly.store().inFlightByAgent()).isEmpty();
            assertThat(readOnly.store().find(DecisionQuery.all())).isEmpty();
            assertThatThrownBy(() -> readOnly.store().saveTask(TaskBuilder.aTask().build(), Instant.EPOCH))
                    .isInstanceOf(StoreException.class);
            // Reads of running work find nothing; writes are refused.
            Store store = readOnly.store();
            assertThat(store.taskStatus("T-1")).isEmpty();
            assertThat(store.loadTask("T-1")).isEmpty();
            assertThat(store.taskOptions("T-1")).isEmpty();
            assertThat(store.unfinishedTasks()).isEmpty();
            assertThat(store.attemptRecords("T-1")).isEmpty();
            assertThat(store.inFlightAttempts()).isEmpty();
            assertThat(store.transitions("T-1")).isEmpty();
            assertThat(store.recentOutcomes(UUID.randomUUID(), Instant.EPOCH)).isEqualTo(new RecentOutcomes(0, 0));
            assertThat(store.spentSince(Instant.EPOCH)).isZero();
            assertThat(store.orchestrator("o-1")).isEmpty();
            assertThat(store.handoff("T-1")).isEmpty();
            assertThatThrownBy(() -> store.requestHandoff("T-1", io.switchboard.core.task.Handoff.requested("codex", "",
                    Instant.EPOCH))).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> store.withdrawHandoff("T-1", io.switchboard.core.task.Handoff.requested("codex",
                    "", Instant.EPOCH))).isInstanceOf(StoreException.class);
            assertThat(store.pending(10)).isEmpty();
            assertThat(store.countPending()).isZero();
            assertThatThrownBy(() -> store.claimPending("o-1", 10, Duration.ofMinutes(1), clock.instant()))
                    .isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> store.renewClaims("o-1", Duration.ofMinutes(1)))
                    .isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> store.releaseClaims("o-1")).isInstanceOf(StoreException.class);
            assertThat(store.remoteAttempt(new AttemptKey("T-1", 1))).isEmpty();
            assertThat(store.reportedResults("T-1")).isEmpty();
            assertThat(store.orphanedAttempts()).isEmpty();
            assertThatThrownBy(() -> store.claim(new AttemptKey("T-1", 1), "w-1", Duration.ofMinutes(1)))
                    .isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> store.expire("o-1")).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> store.claimTasks("o-1", 1, Instant.EPOCH)).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> store.beatOrchestrator("o-1", Duration.ofMinutes(1)))
                    .isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> store.enqueue(WorkMessage.of("T-1", 1, "codex", Mode.AUTO,
                    new WorkMessage.Inline("p"), null, 4), Instant.EPOCH)).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> store.removeSent(List.of(1L))).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> store.submit(TaskBuilder.aTask().build(), TaskOptions.DEFAULTS, false,
                    Instant.EPOCH)).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> store.moveTask("T-1", TaskMove.to(TaskState.CANCELLED, "no"), Instant.EPOCH))
                    .isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> store.startAttempt("T-1", UUID.randomUUID(), "codex", Mode.AUTO, "implement",
                    Instant.EPOCH)).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> store.finishAttempt("T-1", 1, AttemptState.FAILED, Instant.EPOCH))
                    .isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> store.registerOrchestrator(new OrchestratorRecord("o-1", "host", 1,
                    Instant.EPOCH, null))).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> store.endOrchestrator("o-1", Instant.EPOCH)).isInstanceOf(StoreException.class);
            assertThatThrownBy(() -> store.lift(UUID.randomUUID())).isInstanceOf(StoreException.class);
        }
        assertThat(StoreTables.existing(url)).isEmpty();
    }

    @Test
    void aReadOnlyOpenRefusesASchemaThatIsBehind() {
        String url = newDatabase();
        try (Database database = Database.openWithoutUpgrade(url)) {
            database.migrations().upgradeTo(1);
        }

        assertThatThrownBy(() -> Database.openReadOnly(url))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 1")
                .hasMessageContaining("needs " + Migrations.LATEST_VERSION);
        assertThat(StoreTables.existing(url)).containsExactlyElementsOf(VERSION_1_TABLES);
    }
}
