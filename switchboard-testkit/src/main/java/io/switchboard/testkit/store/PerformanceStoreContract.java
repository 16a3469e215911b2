package io.switchboard.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.performance.AgentPerformance;
import io.switchboard.core.performance.Difficulty;
import io.switchboard.core.port.PerformanceStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.Test;

/** What every {@link PerformanceStore} does, written once and run against each store. */
public abstract class PerformanceStoreContract extends StoreContract {
    private static final Duration HALF_LIFE = Duration.ofDays(14);

    private PerformanceStore performance() {
        return store.performance();
    }

    @Test
    void anAgentWithoutOutcomesHasNoRecord() {
        registered("codex");

        assertThat(performance().forWorkType("implement")).isEmpty();
        assertThat(performance().all()).isEmpty();
    }

    @Test
    void theFirstOutcomeCreatesTheRecord() {
        RegisteredAgent codex = registered("codex");
        Instant finished = clock.instant();

        AgentPerformance record = performance().recordOutcome(codex.id(), "implement", true, finished, HALF_LIFE,
                12_345, 4_000, 0.042, Difficulty.STRAIGHTFORWARD);

        AgentPerformance expected = new AgentPerformance(codex.id(), "implement", 1, 0, 1.0, 0.0, finished, 12_345,
                finished, Difficulty.STRAIGHTFORWARD, 4_000, 0.042);
        assertThat(record).isEqualTo(expected);
        assertThat(performance().forWorkType("implement")).containsOnlyKeys(codex.id());
        assertSameRecord(performance().forWorkType("implement").get(codex.id()), expected);
    }

    @Test
    void outcomesFoldInWithDecayExactlyAsAgentPerformancePlusDoes() {
        RegisteredAgent codex = registered("codex");
        record Outcome(boolean success, Duration after, long durationMs, long tokens, double cost, Difficulty difficulty) {
        }
        List<Outcome> outcomes = List.of(
                new Outcome(true, Duration.ZERO, 1_000, 100, 0.01, Difficulty.STRAIGHTFORWARD),
                new Outcome(false, HALF_LIFE, 2_000, 200, 0.02, Difficulty.FAILED),
                new Outcome(true, Duration.ofHours(3), 3_000, 300, 0.03, Difficulty.TRICKY),
                // Finished before the previous one (reported late): decays nothing, moves no instant back.
                new Outcome(true, Duration.ofDays(-2), 4_000, 400, 0.04, null),
                new Outcome(false, Duration.ofDays(30), 5_000, 500, 0.05, Difficulty.TRICKY));

        AgentPerformance expected = AgentPerformance.none(codex.id(), "implement");
        Instant at = clock.instant();
        for (Outcome outcome : outcomes) {
            at = at.plus(outcome.after());
            expected = expected.plus(outcome.success(), at, HALF_LIFE, outcome.durationMs(), outcome.tokens(),
                    outcome.cost(), outcome.difficulty());
            AgentPerformance returned = performance().recordOutcome(codex.id(), "implement", outcome.success(), at,
                    HALF_LIFE, outcome.durationMs(), outcome.tokens(), outcome.cost(), outcome.difficulty());
            assertSameRecord(returned, expected);
        }

        assertThat(expected.successes()).isEqualTo(3);
        assertThat(expected.failures()).isEqualTo(2);
        assertSameRecord(performance().forWorkType("implement").get(codex.id()), expected);
        assertThat(performance().all()).hasSize(1);
        assertSameRecord(performance().all().getFirst(), expected);
    }

    @Test
    void anOutcomeOfAnAgentNotRegisteredIsRefused() {
        UUID unknown = UUID.randomUUID();

        assertThatThrownBy(() -> performance().recordOutcome(unknown, "implement", true, clock.instant(), HALF_LIFE,
                1, 1, 0, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(unknown.toString());
        assertThat(performance().forWorkType("implement")).isEmpty();
    }

    @Test
    void recordsAreKeptPerAgentAndWorkType() {
        RegisteredAgent codex = registered("codex");
        RegisteredAgent gemini = registered("gemini");

        performance().recordOutcome(codex.id(), "implement", true, clock.instant(), HALF_LIFE, 1, 1, 0, null);
        performance().recordOutcome(codex.id(), "code-review", false, clock.instant(), HALF_LIFE, 1, 1, 0, null);
        performance().recordOutcome(gemini.id(), "implement", false, clock.instant(), HALF_LIFE, 1, 1, 0, null);

        assertThat(performance().forWorkType("implement")).containsOnlyKeys(codex.id(), gemini.id());
        assertThat(performance().forWorkType("implement").get(codex.id()).successes()).isEqualTo(1);
        assertThat(performance().forWorkType("implement").get(gemini.id()).failures()).isEqualTo(1);
        assertThat(performance().forWorkType("code-review")).containsOnlyKeys(codex.id());
        assertThat(performance().forWorkType("deploy")).isEmpty();
    }

    @Test
    void allIsOrderedByAgentNameThenWorkType() {
        RegisteredAgent gemini = registered("gemini");
        RegisteredAgent aider = registered("aider");
        for (RegisteredAgent agent : List.of(gemini, aider)) {
            for (String workType : List.of("test", "implement", "code-review")) {
                performance().recordOutcome(agent.id(), workType, true, clock.instant(), HALF_LIFE, 1, 1, 0, null);
            }
        }

        assertThat(performance().all())
                .extracting(record -> (record.agentId().equals(aider.id()) ? "aider" : "gemini") + "/" + record.workType())
                .containsExactly("aider/code-review", "aider/implement", "aider/test",
                        "gemini/code-review", "gemini/implement", "gemini/test");
    }

    @Test
    void concurrentOutcomesAreAllCounted() throws Exception {
        RegisteredAgent codex = registered("codex");
        int threads = 4;
        int perThread = 25;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                boolean success = t % 2 == 0;
                Callable<Void> work = () -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        performance().recordOutcome(codex.id(), "implement", success, clock.instant(), HALF_LIFE,
                                10, 1, 0.5, null);
                    }
                    return null;
                };
                results.add(pool.submit(work));
            }
            start.countDown();
            for (Future<Void> result : results) {
                result.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        AgentPerformance record = performance().forWorkType("implement").get(codex.id());
        assertThat(record.successes()).isEqualTo(50);
        assertThat(record.failures()).isEqualTo(50);
        assertThat(record.decayedSuccesses()).isEqualTo(50.0);
        assertThat(record.totalDurationMs()).isEqualTo(1_000);
        assertThat(record.tokens()).isEqualTo(100);
        assertThat(record.cost()).isEqualTo(50.0);
    }

    /** Equal, with decayed counts and money allowed to differ in the last bits of a double. */
    protected static void assertSameRecord(AgentPerformance actual, AgentPerformance expected) {
        assertThat(actual).usingRecursiveComparison(RecursiveComparisonConfiguration.builder()
                        .withEqualsForType((a, b) -> Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), Double.class)
                        .build())
                .isEqualTo(expected);
    }
}
