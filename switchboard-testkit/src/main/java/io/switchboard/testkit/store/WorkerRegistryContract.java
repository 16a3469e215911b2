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
import org.junit.jupiter.api.Test;

/**
 * What every {@link WorkerRegistry} does, written once and run against each store. Heartbeats are the database's
 * clock, which no test can move: staleness is waited for (bounded, polled) with a window of a fraction of a
 * second, and a window of a minute stands for "fresh".
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
        // The agent is the new worker's now: the old one's beats no longer reach it.
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
}
