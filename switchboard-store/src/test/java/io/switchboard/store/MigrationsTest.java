package io.switchboard.store;

import static io.switchboard.testkit.AgentBuilder.anAgent;
import static io.switchboard.testkit.DecisionBuilder.aDecision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.agent.AgentOrigin;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.performance.AgentPerformance;
import io.switchboard.core.performance.Difficulty;
import io.switchboard.core.port.DecisionLog.DecisionQuery;
import io.switchboard.core.port.DecisionLog.StoredDecision;
import io.switchboard.core.routing.Cooldown;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.store.Migrations.State;
import io.switchboard.store.internal.Changesets;
import io.switchboard.testkit.MutableClock;
import io.switchboard.testkit.TaskBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Moving the schema between versions, written once and run on SQLite and PostgreSQL: a fresh upgrade, the
 * rollback of the latest version and the upgrade after it, and the upgrade of a version-1 database that
 * holds data.
 */
abstract class MigrationsTest {
    private static final List<String> VERSION_1_TABLES = List.of("agent_performance", "agent_registry",
            "routing_decisions");

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
            assertThat(migrations.appliedVersion()).isEqualTo(Migrations.LATEST_VERSION).isEqualTo(3);
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
    void rollingBackTheLatestVersionUndoesItAloneAndItCanBeUpgradedAgain() {
        String url = newDatabase();
        try (Database database = Database.open(url)) {
            RegisteredAgent codex = database.store().register(anAgent("codex").profile(), AgentOrigin.CONFIG,
                    clock.instant());
            database.store().append(aDecision().forTask("T-0").candidate("codex", codex.id()).at(clock.instant())
                    .build());
            assertThat(StoreTables.hasIndex(url, "routing_decisions", "ix_routing_decisions_created")).isTrue();

            // Version 3 is one index over the decisions.
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);

            assertThat(database.migrations().state()).isEqualTo(State.BEHIND);
            assertThat(database.migrations().appliedVersion()).isEqualTo(2);
            assertThat(StoreTables.hasIndex(url, "routing_decisions", "ix_routing_decisions_created")).isFalse();
            assertThat(StoreTables.existing(url)).containsExactlyInAnyOrderElementsOf(StoreTables.ALL);
            assertThat(database.store().find("codex")).contains(codex);
            assertThat(database.store().find(DecisionQuery.all())).hasSize(1);

            assertThat(database.migrations().upgrade()).isEqualTo(1);

            assertThat(database.migrations().state()).isEqualTo(State.CURRENT);
            assertThat(StoreTables.hasIndex(url, "routing_decisions", "ix_routing_decisions_created")).isTrue();
            database.store().saveTask(TaskBuilder.aTask().withId("T-1").build(), clock.instant());
            assertThat(database.store().startAttempt("T-1", codex.id(), "codex", Mode.AUTO, "implement",
                    clock.instant()).number()).isEqualTo(1);
        }
    }

    @Test
    void rollingBackVersionTwoDropsItsTablesAndKeepsVersionOnesData() {
        String url = newDatabase();
        try (Database database = Database.open(url)) {
            RegisteredAgent codex = database.store().register(anAgent("codex").profile(), AgentOrigin.CONFIG,
                    clock.instant());

            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(3);

            assertThat(database.migrations().appliedVersion()).isEqualTo(1);
            assertThat(StoreTables.existing(url)).containsExactlyElementsOf(VERSION_1_TABLES);
            assertThat(database.store().find("codex")).contains(codex);

            assertThat(database.migrations().upgrade()).isEqualTo(4);
            assertThat(database.migrations().state()).isEqualTo(State.CURRENT);
            assertThat(StoreTables.existing(url)).containsExactlyInAnyOrderElementsOf(StoreTables.ALL);
        }
    }

    @Test
    void rollingBackEveryVersionLeavesNoTable() {
        String url = newDatabase();
        try (Database database = Database.open(url)) {
            assertThat(database.migrations().rollbackLatest()).isEqualTo(1);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(3);
            assertThat(database.migrations().rollbackLatest()).isEqualTo(3);

            assertThat(database.migrations().state()).isEqualTo(State.ABSENT);
            assertThat(StoreTables.existing(url)).isEmpty();
            assertThat(database.migrations().rollbackLatest()).isZero();
        }
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
            codex = store.register(anAgent("codex").strongAt("java").costing(0.003).profile(), AgentOrigin.CONFIG,
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
