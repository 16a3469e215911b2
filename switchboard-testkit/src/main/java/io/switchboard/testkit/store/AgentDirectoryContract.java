package io.switchboard.testkit.store;

import static io.switchboard.testkit.AgentBuilder.anAgent;
import static io.switchboard.testkit.DecisionBuilder.aDecision;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.agent.Adapter;
import io.switchboard.core.agent.AgentOrigin;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.AgentStatus;
import io.switchboard.core.agent.Availability;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.performance.AgentPerformance;
import io.switchboard.core.performance.Difficulty;
import io.switchboard.core.port.AgentDirectory;
import io.switchboard.core.port.AgentDirectory.SyncReport;
import io.switchboard.core.port.DecisionLog.DecisionQuery;
import io.switchboard.core.routing.Cooldown;
import io.switchboard.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link AgentDirectory} does, written once and run against each store. */
public abstract class AgentDirectoryContract extends StoreContract {

    private AgentDirectory directory() {
        return store.agents();
    }

    @Test
    void aNewAgentStartsOnlineWithoutAHeartbeat() {
        RegisteredAgent agent = directory().register(anAgent("codex").profile(), AgentOrigin.CLI, clock.instant());

        assertThat(agent.status()).isEqualTo(AgentStatus.ONLINE);
        assertThat(agent.lastHeartbeat()).isNull();
        assertThat(agent.origin()).isEqualTo(AgentOrigin.CLI);
        assertThat(directory().find("codex")).contains(agent);
    }

    @Test
    void aProfileReadsBackWhole() {
        AgentProfile profile = new AgentProfile("deployer", Adapter.COMMAND, "infra", "ops",
                List.of("deploy_service", "rollback"), List.of("deploy-service"), List.of("kubernetes", "speed"),
                List.of("frontend"), 0.0125, 64_000, Availability.REMOTE, 3,
                Map.of(Mode.PLAN, List.of("--dry-run"), Mode.FULL_AUTO, List.of("--yes", "--no-confirm")),
                List.of("./deploy.sh", "--target", "staging 2"));

        RegisteredAgent agent = directory().register(profile, AgentOrigin.CONFIG, clock.instant());

        assertThat(agent.profile()).isEqualTo(profile);
        assertThat(directory().find("deployer")).map(RegisteredAgent::profile).contains(profile);
    }

    @Test
    void registeringAgainUpdatesTheProfileAndKeepsIdStatusHeartbeatAndOrigin() {
        RegisteredAgent first = directory().register(anAgent("codex").profile(), AgentOrigin.WORKER, clock.instant());
        directory().setStatus("codex", AgentStatus.BUSY, clock.instant());
        directory().heartbeat("codex", clock.tick(Duration.ofSeconds(5)).instant());
        AgentProfile changed = anAgent("codex").costing(0.02).withMaxConcurrency(4).profile();

        RegisteredAgent updated = directory().register(changed, AgentOrigin.CLI, clock.tick(Duration.ofSeconds(1)).instant());

        assertThat(updated.id()).isEqualTo(first.id());
        assertThat(updated.profile()).isEqualTo(changed);
        assertThat(updated.status()).isEqualTo(AgentStatus.BUSY);
        assertThat(updated.lastHeartbeat()).isEqualTo(MutableClock.EPOCH.plusSeconds(5));
        assertThat(updated.origin()).isEqualTo(AgentOrigin.WORKER);
        assertThat(directory().find("codex")).contains(updated);
    }

    @Test
    void agentsAreListedByName() {
        registered("gemini");
        registered("aider");
        registered("codex");

        assertThat(directory().agents()).extracting(RegisteredAgent::name).containsExactly("aider", "codex", "gemini");
    }

    @Test
    void anUnknownAgentIsNotFound() {
        registered("codex");

        assertThat(directory().find("claude")).isEmpty();
    }

    @Test
    void syncAddsNewAgentsAndUpdatesChangedOnes() {
        registered("codex");
        registered("gemini");

        SyncReport report = directory().sync(List.of(
                anAgent("codex").costing(0.5).profile(),
                anAgent("gemini").profile(),
                anAgent("claude").profile()), clock.instant());

        assertThat(report.added()).containsExactly("claude");
        assertThat(report.updated()).containsExactly("codex");
        assertThat(report.retired()).isEmpty();
        assertThat(directory().find("codex")).map(agent -> agent.profile().costPer1kTokens()).contains(0.5);
        assertThat(directory().find("claude")).hasValueSatisfying(agent -> {
            assertThat(agent.origin()).isEqualTo(AgentOrigin.CONFIG);
            assertThat(agent.status()).isEqualTo(AgentStatus.ONLINE);
        });
    }

    @Test
    void syncRetiresConfigAgentsNoLongerDeclaredWithoutDeletingThem() {
        RegisteredAgent codex = registered("codex");
        registered("gemini");
        store.performance().recordOutcome(codex.id(), "implement", true, clock.instant(), Duration.ofDays(14),
                1_000, 500, 0.01, Difficulty.STRAIGHTFORWARD);

        SyncReport report = directory().sync(List.of(anAgent("gemini").profile()), clock.instant());

        assertThat(report.retired()).containsExactly("codex");
        assertThat(directory().find("codex")).hasValueSatisfying(agent -> {
            assertThat(agent.id()).isEqualTo(codex.id());
            assertThat(agent.status()).isEqualTo(AgentStatus.OFFLINE);
        });
        assertThat(store.performance().forWorkType("implement")).containsKey(codex.id());
    }

    @Test
    void syncReportsEachRetirementOnce() {
        registered("codex");
        directory().sync(List.of(), clock.instant());

        SyncReport again = directory().sync(List.of(), clock.instant());

        assertThat(again.retired()).isEmpty();
        assertThat(again.added()).isEmpty();
        assertThat(again.updated()).isEmpty();
    }

    @Test
    void syncBringsBackAnAgentItRetiredWhenItIsDeclaredAgain() {
        RegisteredAgent codex = registered("codex");
        directory().sync(List.of(), clock.instant());

        SyncReport report = directory().sync(List.of(anAgent("codex").profile()), clock.instant());

        assertThat(report.updated()).containsExactly("codex");
        assertThat(directory().find("codex")).hasValueSatisfying(agent -> {
            assertThat(agent.id()).isEqualTo(codex.id());
            assertThat(agent.status()).isEqualTo(AgentStatus.ONLINE);
        });
    }

    @Test
    void syncLeavesADeclaredAgentTheUserSetOfflineOffline() {
        registered("codex");
        directory().setStatus("codex", AgentStatus.OFFLINE, clock.instant());

        SyncReport report = directory().sync(List.of(anAgent("codex").profile()), clock.instant());

        assertThat(report.updated()).isEmpty();
        assertThat(directory().find("codex")).map(RegisteredAgent::status).contains(AgentStatus.OFFLINE);
    }

    @Test
    void syncNeverTouchesAgentsAddedFromTheCommandLineOrByAWorker() {
        AgentProfile cliProfile = anAgent("local-script").profile();
        directory().register(cliProfile, AgentOrigin.CLI, clock.instant());
        directory().register(anAgent("remote-1").profile(), AgentOrigin.WORKER, clock.instant());

        SyncReport report = directory().sync(List.of(anAgent("local-script").costing(9).profile()), clock.instant());

        assertThat(report.added()).isEmpty();
        assertThat(report.updated()).isEmpty();
        assertThat(report.retired()).isEmpty();
        assertThat(directory().find("local-script")).hasValueSatisfying(agent -> {
            assertThat(agent.profile()).isEqualTo(cliProfile);
            assertThat(agent.origin()).isEqualTo(AgentOrigin.CLI);
        });
        assertThat(directory().find("remote-1")).map(RegisteredAgent::status).contains(AgentStatus.ONLINE);
    }

    @Test
    void removingAnAgentDeletesItWithItsPerformanceAndCooldown() {
        RegisteredAgent codex = registered("codex");
        RegisteredAgent gemini = registered("gemini");
        for (RegisteredAgent agent : List.of(codex, gemini)) {
            store.performance().recordOutcome(agent.id(), "implement", true, clock.instant(), Duration.ofDays(14),
                    1_000, 500, 0.01, null);
            store.cooldowns().coolDown(new Cooldown(agent.id(), clock.instant().plusSeconds(600), "quota"));
        }

        assertThat(directory().remove("codex")).isTrue();

        assertThat(directory().find("codex")).isEmpty();
        assertThat(store.performance().forWorkType("implement")).containsOnlyKeys(gemini.id());
        assertThat(store.performance().all()).extracting(AgentPerformance::agentId).containsExactly(gemini.id());
        assertThat(store.cooldowns().active(clock.instant())).containsOnlyKeys(gemini.id());
    }

    @Test
    void decisionsThatChoseARemovedAgentStillNameIt() {
        RegisteredAgent codex = registered("codex");
        long id = store.decisions().append(aDecision().forTask("T-1").candidate("codex", codex.id()).build());

        directory().remove("codex");

        assertThat(store.decisions().find(DecisionQuery.all().forAgent("codex")))
                .singleElement()
                .satisfies(stored -> {
                    assertThat(stored.id()).isEqualTo(id);
                    assertThat(stored.decision().chosenAgent()).contains("codex");
                });
    }

    @Test
    void aRemovedNameCanBeRegisteredAgainAsANewAgent() {
        RegisteredAgent first = registered("codex");
        directory().remove("codex");

        RegisteredAgent second = registered("codex");

        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.status()).isEqualTo(AgentStatus.ONLINE);
    }

    @Test
    void removingAnUnknownAgentReportsFalse() {
        assertThat(directory().remove("nobody")).isFalse();
    }

    @Test
    void setStatusChangesOnlyTheStatus() {
        RegisteredAgent codex = registered("codex");

        assertThat(directory().setStatus("codex", AgentStatus.BUSY, clock.instant())).isTrue();

        assertThat(directory().find("codex")).contains(codex.withStatus(AgentStatus.BUSY));
    }

    @Test
    void setStatusOfAnUnknownAgentReportsFalse() {
        assertThat(directory().setStatus("nobody", AgentStatus.OFFLINE, clock.instant())).isFalse();
        assertThat(directory().agents()).isEmpty();
    }

    @Test
    void aHeartbeatIsKeptToTheMillisecondAndLeavesTheStatusAlone() {
        registered("remote-1");
        directory().setStatus("remote-1", AgentStatus.BUSY, clock.instant());
        Instant beat = Instant.parse("2026-01-05T09:00:07.123456789Z");

        assertThat(directory().heartbeat("remote-1", beat)).isTrue();

        assertThat(directory().find("remote-1")).hasValueSatisfying(agent -> {
            assertThat(agent.lastHeartbeat()).isEqualTo(Instant.parse("2026-01-05T09:00:07.123Z"));
            assertThat(agent.status()).isEqualTo(AgentStatus.BUSY);
        });
    }

    @Test
    void aHeartbeatOfAnUnknownAgentReportsFalse() {
        assertThat(directory().heartbeat("nobody", clock.instant())).isFalse();
    }
}
