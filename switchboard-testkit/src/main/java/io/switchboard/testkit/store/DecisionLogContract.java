package io.switchboard.testkit.store;

import static io.switchboard.testkit.DecisionBuilder.aDecision;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.port.DecisionLog;
import io.switchboard.core.port.DecisionLog.DecisionQuery;
import io.switchboard.core.port.DecisionLog.StoredDecision;
import io.switchboard.core.routing.ExclusionReason;
import io.switchboard.core.routing.Factor;
import io.switchboard.core.routing.Preset;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.routing.Weights;
import io.switchboard.core.task.Risk;
import io.switchboard.core.task.Scope;
import io.switchboard.core.task.TaskTraits;
import io.switchboard.core.task.TaskType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link DecisionLog} does, written once and run against each store. */
public abstract class DecisionLogContract extends StoreContract {

    private DecisionLog log() {
        return store.decisions();
    }

    @Test
    void aDecisionReadsBackExactlyAsItWasWritten() {
        RegisteredAgent codex = registered("codex");
        RegisteredAgent claude = registered("claude-code");
        RegisteredAgent gemini = registered("gemini");
        TaskTraits traits = new TaskTraits(TaskType.DEPLOY, "deploy_service", 73, Scope.MULTI_MODULE, Risk.HIGH,
                123_456_789L, true, false, List.of("infra", "urgent"), List.of("deploy-service", "kubernetes"),
                Map.of("type", "Metadata, line 7", "work_type", "keyword \"deploy\" in the title",
                        "complexity", "stated", "risk", "default"));
        Weights weights = Preset.BALANCED.weights().with(Map.of(Factor.COST, 12.5, Factor.LOAD, 0.0));
        RoutingDecision written = aDecision()
                .forTask("TASK-028")
                .attempt(3)
                .retried()
                .inPool("infra")
                .withTraits(traits)
                .withPolicy("balanced+overrides", weights)
                .byRule("design or review → strongest reasoning agent in plan mode")
                .candidate("claude-code", claude.id())
                .candidate("codex", codex.id())
                .candidate("gemini", gemini.id())
                .excluding("aider", ExclusionReason.COOLING_DOWN, "until 09:30 (rate limited)")
                .excluding("cursor", ExclusionReason.FAILED_THIS_TASK, "")
                .inMode(Mode.PLAN)
                .because("Chose claude-code: 71.2 points, 4.1 ahead of codex.\nTie-break: none. 'quoted' \\ \"escaped\"")
                .explored(0.3712345678901234, -8_123_456_789_012_345_678L)
                .at(Instant.parse("2026-01-05T09:00:00.123Z"))
                .build();

        long id = log().append(written);

        List<StoredDecision> found = log().find(DecisionQuery.all());
        assertThat(found).extracting(StoredDecision::id).containsExactly(id);
        RoutingDecision read = found.getFirst().decision();
        // Part by part first, so that a failure points at what was lost.
        for (int i = 0; i < written.candidates().size(); i++) {
            assertThat(read.candidates().get(i).factors()).containsExactlyElementsOf(written.candidates().get(i).factors());
        }
        assertThat(read.candidates()).isEqualTo(written.candidates());
        assertThat(read.exclusions()).isEqualTo(written.exclusions());
        assertThat(read.traits()).isEqualTo(traits);
        assertThat(read.weights()).isEqualTo(weights);
        assertThat(read).isEqualTo(written);
        assertThat(read.chosenAgentId()).contains(claude.id());
    }

    @Test
    void aRefusalWithNoCandidatesAndNoOptionalPartsReadsBack() {
        RoutingDecision written = aDecision()
                .forTask("TASK-9")
                .excluding("codex", ExclusionReason.OFFLINE, "offline since 08:12")
                .at(clock.instant())
                .build();
        assertThat(written.pool()).isNull();
        assertThat(written.rule()).isNull();
        assertThat(written.seed()).isNull();

        log().append(written);

        assertThat(log().find(DecisionQuery.all())).singleElement()
                .extracting(StoredDecision::decision).isEqualTo(written);
    }

    @Test
    void aDecisionMayNameAgentsTheRegistryDoesNotHold() {
        // A decision over declared agents not yet synced, or over one removed meanwhile, is still recorded.
        RoutingDecision written = aDecision().forTask("T-1").choosing("never-registered").at(clock.instant()).build();

        log().append(written);

        assertThat(log().find(DecisionQuery.all().forAgent("never-registered"))).singleElement()
                .extracting(StoredDecision::decision).isEqualTo(written);
    }

    @Test
    void theDecisionInstantIsKeptToTheMillisecond() {
        log().append(aDecision().at(Instant.parse("2026-01-05T09:00:00.123999999Z")).build());

        assertThat(log().find(DecisionQuery.all())).singleElement()
                .extracting(stored -> stored.decision().decidedAt())
                .isEqualTo(Instant.parse("2026-01-05T09:00:00.123Z"));
    }

    @Test
    void idsIncreaseInTheOrderOfAppending() {
        long first = log().append(aDecision().forTask("T-1").at(clock.instant()).build());
        long second = log().append(aDecision().forTask("T-2").at(clock.instant()).build());
        long third = log().append(aDecision().forTask("T-3").at(clock.instant()).build());

        assertThat(second).isGreaterThan(first);
        assertThat(third).isGreaterThan(second);
    }

    @Test
    void decisionsAreFoundNewestFirst() {
        Instant t0 = clock.instant();
        long middle = log().append(aDecision().forTask("T-2").at(t0.plusSeconds(60)).build());
        long oldest = log().append(aDecision().forTask("T-1").at(t0).build());
        long newest = log().append(aDecision().forTask("T-3").at(t0.plusSeconds(120)).build());
        long sameInstantLaterId = log().append(aDecision().forTask("T-4").at(t0.plusSeconds(120)).build());

        assertThat(log().find(DecisionQuery.all())).extracting(StoredDecision::id)
                .containsExactly(sameInstantLaterId, newest, middle, oldest);
    }

    @Test
    void decisionsAreFoundByTask() {
        appendSample();

        assertThat(log().find(DecisionQuery.all().forTask("T-1")))
                .extracting(stored -> stored.decision().taskId() + "#" + stored.decision().attempt())
                .containsExactly("T-1#2", "T-1#1");
    }

    @Test
    void decisionsAreFoundByTheAgentTheyChose() {
        appendSample();

        // gemini was a candidate in several decisions but chosen in one only.
        assertThat(log().find(DecisionQuery.all().forAgent("gemini")))
                .extracting(stored -> stored.decision().taskId() + "#" + stored.decision().attempt())
                .containsExactly("T-1#2");
        assertThat(log().find(DecisionQuery.all().forAgent("codex"))).hasSize(3);
        assertThat(log().find(DecisionQuery.all().forAgent("nobody"))).isEmpty();
    }

    @Test
    void decisionsAreFoundByWorkType() {
        appendSample();

        assertThat(log().find(DecisionQuery.all().forWorkType("code-review")))
                .extracting(stored -> stored.decision().taskId())
                .containsExactly("T-3");
    }

    @Test
    void decisionsAreFoundSinceAnInstantInclusive() {
        appendSample();
        Instant since = clock.instant().plus(Duration.ofMinutes(2));

        assertThat(log().find(DecisionQuery.all().since(since)))
                .extracting(stored -> stored.decision().decidedAt())
                .containsExactly(clock.instant().plus(Duration.ofMinutes(3)), since);
    }

    @Test
    void findingReturnsAtMostTheLimitNewestFirst() {
        appendSample();

        assertThat(log().find(DecisionQuery.all().limit(2)))
                .extracting(stored -> stored.decision().decidedAt())
                .containsExactly(clock.instant().plus(Duration.ofMinutes(3)), clock.instant().plus(Duration.ofMinutes(2)));
    }

    @Test
    void filtersCombine() {
        appendSample();
        Instant t0 = clock.instant();

        assertThat(log().find(DecisionQuery.all().forAgent("codex").forWorkType("implement")))
                .extracting(stored -> stored.decision().taskId() + "#" + stored.decision().attempt())
                .containsExactly("T-2#1", "T-1#1");
        assertThat(log().find(DecisionQuery.all().forAgent("codex").since(t0.plusSeconds(61)).limit(1)))
                .extracting(stored -> stored.decision().taskId())
                .containsExactly("T-3");
        assertThat(log().find(DecisionQuery.all().forTask("T-1").forAgent("codex").forWorkType("implement")
                .since(t0).limit(10)))
                .extracting(stored -> stored.decision().attempt())
                .containsExactly(1);
    }

    /**
     * Four decisions one minute apart: T-1#1 codex (implement), T-2#1 codex (implement), T-1#2 gemini
     * (implement, codex failed), T-3#1 codex (code-review).
     */
    private void appendSample() {
        Instant t0 = clock.instant();
        log().append(aDecision().forTask("T-1").choosing("codex").choosing("gemini").at(t0).build());
        log().append(aDecision().forTask("T-2").choosing("codex").choosing("gemini").at(t0.plusSeconds(60)).build());
        log().append(aDecision().forTask("T-1").attempt(2).retried().choosing("gemini")
                .excluding("codex", ExclusionReason.FAILED_THIS_TASK, "attempt 1 failed").at(t0.plusSeconds(120)).build());
        log().append(aDecision().forTask("T-3").ofWorkType("code-review").choosing("codex").choosing("gemini")
                .at(t0.plusSeconds(180)).build());
    }
}
