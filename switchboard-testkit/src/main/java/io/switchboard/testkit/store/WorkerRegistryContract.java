package io.switchboard.testkit.store;

import static io.switchboard.testkit.AgentBuilder.anAgent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.core.agent.Adapter;
import io.switchboard.core.agent.AgentOrigin;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.AgentStatus;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.port.WorkerRegistry;
import io.switchboard.core.port.WorkerRegistry.Registration;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WorkerRegistry} does, written once and run against each store: workers register agents, several
 * workers one agent, beat and leave, and an agent is online while one of its workers is live. Heartbeats are the
 * database's clock, which no test can move: staleness is waited for (bounded, polled) with a window of a fraction of
 * a second, and a window of a minute stands for "fresh".
 */
public abstract class WorkerRegistryContract extends StoreContract {
    private static final Duration FRESH = Duration.ofMinutes(1);
    private static final Duration SHORT = Duration.ofMillis(200);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private WorkerRegistry workers() {
        return store.workers();
    }

    private AgentStatus status(String name) {
        return store.agents().find(name).orElseThrow().status();
    }

    @Test
    void aWorkersAgentsAreOnlineWithAHeartbeatOfTheDatabasesClock() {
        Instant before = workers().databaseNow();

        Registration registration = workers().registerWorker("w-1",
                List.of(anAgent("codex").profile(), anAgent("claude").profile()), FRESH);

        Instant after = workers().databaseNow();
        assertThat(registration.refused()).isFalse();
        assertThat(registration.registered()).extracting(RegisteredAgent::name).containsExactly("codex", "claude");
        for (RegisteredAgent agent : store.agents().agents()) {
            assertThat(agent.status()).isEqualTo(AgentStatus.ONLINE);
            assertThat(agent.origin()).isEqualTo(AgentOrigin.WORKER);
            assertThat(agent.lastHeartbeat()).isBetween(before, after);
        }
        assertThat(store.agents().find("codex")).contains(registration.registered().getFirst());
    }

    @Test
    void aBeatStampsTheDatabasesNow() {
        Instant registered = workers().registerWorker("w-1", List.of(anAgent("codex").profile()), FRESH)
                .registered().getFirst().lastHeartbeat();
        await().atMost(PATIENCE).until(() -> workers().databaseNow().isAfter(registered));

        assertThat(workers().beat("w-1")).isEqualTo(1);

        Instant beaten = store.agents().find("codex").orElseThrow().lastHeartbeat();
        assertThat(beaten).isAfter(registered).isBeforeOrEqualTo(workers().databaseNow());
        assertThat(workers().beat("w-unknown")).isZero();
    }

    @Test
    void anAgentWhoseWorkerFellSilentReadsOfflineOnceItsWindowPassedAndLocalAgentsAreNotJudged() {
        registered("local");
        workers().registerWorker("w-1", List.of(anAgent("codex").profile()), SHORT);

        await().atMost(PATIENCE).until(() -> status("codex") == AgentStatus.OFFLINE);

        assertThat(store.agents().agents()).filteredOn(agent -> agent.name().equals("codex"))
                .extracting(RegisteredAgent::status).containsExactly(AgentStatus.OFFLINE);
        assertThat(status("local")).isEqualTo(AgentStatus.ONLINE);
        assertThat(store.agents().find("local").orElseThrow().lastHeartbeat()).isNull();
    }

    @Test
    void registeringAgainAfterASilenceBringsTheAgentBackWithItsId() {
        RegisteredAgent first = workers().registerWorker("w-1", List.of(anAgent("codex").profile()), SHORT)
                .registered().getFirst();
        await().atMost(PATIENCE).until(() -> status("codex") == AgentStatus.OFFLINE);

        RegisteredAgent again = workers().registerWorker("w-2", List.of(anAgent("codex").profile()), FRESH)
                .registered().getFirst();

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.status()).isEqualTo(AgentStatus.ONLINE);
        assertThat(status("codex")).isEqualTo(AgentStatus.ONLINE);
        // The old worker went silent past its window: the new one's registration forgot it, so its beats no longer
        // reach the agent.
        assertThat(workers().beat("w-1")).isZero();
        assertThat(workers().beat("w-2")).isEqualTo(1);
    }

    @Test
    void leavingSetsTheWorkersAgentsOfflineAtOnceAndLeavesOtherWorkersAlone() {
        workers().registerWorker("w-1", List.of(anAgent("codex").profile(), anAgent("claude").profile()), FRESH);
        workers().registerWorker("w-2", List.of(anAgent("gemini").profile()), FRESH);

        assertThat(workers().leave("w-1")).isEqualTo(2);

        assertThat(status("codex")).isEqualTo(AgentStatus.OFFLINE);
        assertThat(status("claude")).isEqualTo(AgentStatus.OFFLINE);
        assertThat(status("gemini")).isEqualTo(AgentStatus.ONLINE);
        // A late beat of a worker that left does not bring its agents back.
        assertThat(workers().beat("w-1")).isZero();
        assertThat(status("codex")).isEqualTo(AgentStatus.OFFLINE);
    }

    @Test
    void anAgentRegisteredWithAnotherProfileIsAClashAndNothingIsWritten() {
        RegisteredAgent local = store.agents().register(anAgent("codex").adapter(Adapter.CODEX).profile(),
                AgentOrigin.CONFIG, clock.instant());
        AgentProfile offered = anAgent("codex").adapter(Adapter.CODEX).withModeFlags(Mode.AUTO, "--yolo").profile();

        Registration registration = workers().registerWorker("w-1",
                List.of(anAgent("claude").profile(), offered), FRESH);

        assertThat(registration.refused()).isTrue();
        assertThat(registration.registered()).isEmpty();
        assertThat(registration.clashes()).singleElement().satisfies(clash -> {
            assertThat(clash.registered()).isEqualTo(local);
            assertThat(clash.offered()).isEqualTo(offered);
            assertThat(clash.describe()).contains("codex", local.profile().fingerprint(), offered.fingerprint());
        });
        assertThat(store.agents().find("claude")).isEmpty();
        assertThat(store.agents().find("codex")).contains(local);
        assertThat(workers().beat("w-1")).isZero();
    }

    @Test
    void anAgentRegisteredWithTheSameProfileIsTakenOverByTheWorker() {
        RegisteredAgent local = registered(anAgent("codex").adapter(Adapter.CODEX));

        Registration registration = workers().registerWorker("w-1",
                List.of(anAgent("codex").adapter(Adapter.CODEX).costing(0.5).profile()), FRESH);

        RegisteredAgent taken = registration.registered().getFirst();
        assertThat(taken.id()).isEqualTo(local.id());
        assertThat(taken.origin()).isEqualTo(AgentOrigin.WORKER);
        assertThat(taken.profile().costPer1kTokens()).isEqualTo(0.5);
        assertThat(taken.lastHeartbeat()).isNotNull();
        assertThat(workers().leave("w-1")).isEqualTo(1);
    }

    /** Waits, on the database's clock, until a window that began before now has passed. */
    private void waitOut(Duration window) {
        Instant from = workers().databaseNow();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> workers().databaseNow().isAfter(from.plus(window)));
    }

    @Test
    void aSecondWorkerOfTheSameProfileJoinsTheAgentAndBothBeatIt() {
        RegisteredAgent first = workers().registerWorker("w-1", List.of(anAgent("codex").profile()), FRESH)
                .registered().getFirst();

        Registration second = workers().registerWorker("w-2", List.of(anAgent("codex").profile()), FRESH);

        assertThat(second.refused()).isFalse();
        assertThat(second.registered()).singleElement().satisfies(agent -> {
            assertThat(agent.id()).isEqualTo(first.id());
            assertThat(agent.status()).isEqualTo(AgentStatus.ONLINE);
        });
        assertThat(store.agents().agents()).hasSize(1);
        // Neither took it from the other: both beats reach it.
        assertThat(workers().beat("w-1")).isEqualTo(1);
        assertThat(workers().beat("w-2")).isEqualTo(1);
        // Its heartbeat is the latest of its workers'.
        Instant w2Beat = store.agents().find("codex").orElseThrow().lastHeartbeat();
        await().atMost(PATIENCE).until(() -> workers().databaseNow().isAfter(w2Beat));
        assertThat(workers().beat("w-1")).isEqualTo(1);
        assertThat(store.agents().find("codex").orElseThrow().lastHeartbeat()).isAfter(w2Beat);
    }

    @Test
    void anAgentStaysOnlineWhileOneOfItsWorkersLeavesAndGoesOfflineWhenBothHave() {
        workers().registerWorker("w-1", List.of(anAgent("codex").profile(), anAgent("claude").profile()), FRESH);
        workers().registerWorker("w-2", List.of(anAgent("codex").profile()), FRESH);

        // w-1 leaves: claude had no other worker and is offline at once; codex is w-2's still.
        assertThat(workers().leave("w-1")).isEqualTo(1);

        assertThat(status("codex")).isEqualTo(AgentStatus.ONLINE);
        assertThat(status("claude")).isEqualTo(AgentStatus.OFFLINE);
        assertThat(workers().beat("w-1")).isZero();
        assertThat(workers().beat("w-2")).isEqualTo(1);
        assertThat(status("codex")).isEqualTo(AgentStatus.ONLINE);

        assertThat(workers().leave("w-2")).isEqualTo(1);

        assertThat(status("codex")).isEqualTo(AgentStatus.OFFLINE);
        assertThat(store.agents().find("codex").orElseThrow().lastHeartbeat()).isNotNull();
        assertThat(workers().beat("w-2")).isZero();
        assertThat(workers().leave("w-2")).isZero();
    }

    @Test
    void anAgentStaysOnlineWhileOneOfItsWorkersIsSilentAndGoesOfflineWhenBothAre() {
        workers().registerWorker("w-silent", List.of(anAgent("codex").profile()), SHORT);
        workers().registerWorker("w-beating", List.of(anAgent("codex").profile()), FRESH);
        workers().registerWorker("w-1", List.of(anAgent("claude").profile()), SHORT);
        workers().registerWorker("w-2", List.of(anAgent("claude").profile()), SHORT);

        waitOut(SHORT);

        // codex: one silent worker, one live; claude: both silent.
        assertThat(status("codex")).isEqualTo(AgentStatus.ONLINE);
        assertThat(status("claude")).isEqualTo(AgentStatus.OFFLINE);
        assertThat(store.agents().agents()).extracting(RegisteredAgent::name, RegisteredAgent::status)
                .containsExactlyInAnyOrder(Tuple.tuple("claude", AgentStatus.OFFLINE),
                        Tuple.tuple("codex", AgentStatus.ONLINE));
        // A silent worker that beats again keeps its agent online again.
        assertThat(workers().beat("w-2")).isEqualTo(1);
        assertThat(status("claude")).isEqualTo(AgentStatus.ONLINE);
    }

    @Test
    void aSecondWorkerWithAnotherProfileIsStillAClashAndTheAgentsWorkersKeepIt() {
        workers().registerWorker("w-1", List.of(anAgent("codex").adapter(Adapter.CODEX).profile()), FRESH);
        workers().registerWorker("w-2", List.of(anAgent("codex").adapter(Adapter.CODEX).profile()), FRESH);
        RegisteredAgent codex = store.agents().find("codex").orElseThrow();
        AgentProfile offered = anAgent("codex").adapter(Adapter.CODEX).withModeFlags(Mode.AUTO, "--yolo").profile();

        Registration registration = workers().registerWorker("w-3", List.of(anAgent("claude").profile(), offered),
                FRESH);

        assertThat(registration.refused()).isTrue();
        assertThat(registration.registered()).isEmpty();
        assertThat(registration.clashes()).singleElement()
                .satisfies(clash -> assertThat(clash.registered()).isEqualTo(codex));
        assertThat(store.agents().find("claude")).isEmpty();
        assertThat(store.agents().find("codex")).contains(codex);
        assertThat(workers().beat("w-3")).isZero();
        assertThat(workers().beat("w-1")).isEqualTo(1);
        assertThat(workers().beat("w-2")).isEqualTo(1);
    }

    @Test
    void aWorkerRoutingTheAgentOtherwiseIsAClashWhileAnotherWorkerRunsItAndStandsOnceNoneDoes() {
        RegisteredAgent codex = workers().registerWorker("w-1", List.of(anAgent("codex").inPool("team-a")
                .costing(0.01).profile()), SHORT).registered().getFirst();
        AgentProfile dearer = anAgent("codex").inPool("team-a").costing(0.05).profile();

        // Run the same way, routed otherwise, while w-1 runs it: refused, and nothing changes.
        Registration refused = workers().registerWorker("w-2", List.of(dearer), FRESH);

        assertThat(refused.refused()).isTrue();
        assertThat(refused.clashes()).singleElement().satisfies(clash -> {
            assertThat(clash.registered().id()).isEqualTo(codex.id());
            assertThat(clash.describe()).contains("another live worker");
        });
        assertThat(store.agents().find("codex").orElseThrow().profile().costPer1kTokens()).isEqualTo(0.01);
        assertThat(workers().beat("w-2")).isZero();
        // The worker that runs it alone may change how it is routed.
        assertThat(workers().registerWorker("w-1", List.of(anAgent("codex").inPool("team-a").costing(0.02)
                .profile()), SHORT).refused()).isFalse();
        assertThat(store.agents().find("codex").orElseThrow().profile().costPer1kTokens()).isEqualTo(0.02);

        // Once w-1 has fallen silent past its window, nobody else runs it: w-2's profile stands.
        waitOut(SHORT);
        Registration taken = workers().registerWorker("w-2", List.of(dearer), FRESH);

        assertThat(taken.refused()).isFalse();
        assertThat(taken.registered()).singleElement().satisfies(agent -> {
            assertThat(agent.id()).isEqualTo(codex.id());
            assertThat(agent.profile().costPer1kTokens()).isEqualTo(0.05);
        });
    }

    @Test
    void aBeatNeverBringsBackAnAgentSetOfflineWhateverItsWorkers() {
        workers().registerWorker("w-1", List.of(anAgent("codex").profile()), FRESH);
        workers().registerWorker("w-2", List.of(anAgent("codex").profile()), FRESH);

        assertThat(store.agents().setStatus("codex", AgentStatus.OFFLINE, clock.instant())).isTrue();

        assertThat(workers().beat("w-1")).isZero();
        assertThat(workers().beat("w-2")).isZero();
        assertThat(status("codex")).isEqualTo(AgentStatus.OFFLINE);
        // A worker that registers it again brings it back, for every worker that still runs it.
        workers().registerWorker("w-3", List.of(anAgent("codex").profile()), FRESH);
        assertThat(status("codex")).isEqualTo(AgentStatus.ONLINE);
        assertThat(workers().beat("w-1")).isEqualTo(1);
        assertThat(workers().leave("w-3")).isZero();
    }
}
