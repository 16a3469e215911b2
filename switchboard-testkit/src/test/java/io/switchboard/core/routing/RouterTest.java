package io.switchboard.core.routing;

import static io.switchboard.testkit.AgentBuilder.anAgent;
import static io.switchboard.testkit.TaskBuilder.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.switchboard.core.agent.AgentStatus;
import io.switchboard.core.agent.Availability;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.performance.AgentPerformance;
import io.switchboard.core.task.Scope;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskType;
import io.switchboard.testkit.AgentBuilder;
import io.switchboard.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouterTest {
    private static final Instant NOW = MutableClock.EPOCH;
    private static final Task IMPLEMENT = aTask().ofType(TaskType.IMPLEMENT).build();

    private static Router history() {
        return new Router(RoutingPolicy.of(Preset.HISTORY), List.of());
    }

    private static RoutingDecision decide(Router router, Task task, AgentBuilder... agents) {
        return router.decide(RoutingRequest.of(task), states(agents), NOW);
    }

    private static List<AgentState> states(AgentBuilder... agents) {
        return java.util.Arrays.stream(agents).map(AgentBuilder::state).toList();
    }

    private static ScoredCandidate candidate(RoutingDecision decision, String agent) {
        return decision.candidates().stream().filter(c -> c.agent().equals(agent)).findFirst().orElseThrow();
    }

    /** The history preset must reproduce the original scoring exactly. */
    @Nested
    class HistoryPreset {
        @Test
        void ninetyPercentSuccessIsWorth36Points() {
            RoutingDecision decision = decide(history(), IMPLEMENT, anAgent("codex").withSuccessRate(9, 1));

            FactorScore success = candidate(decision, "codex").factor(Factor.SUCCESS_RATE);
            assertThat(success.value()).isEqualTo(0.9);
            assertThat(success.points()).isCloseTo(36.0, within(1e-9));
            assertThat(success.reason()).isEqualTo("9 of 10 on implement succeeded");
        }

        @ParameterizedTest(name = "{0} successes, {1} failures, min_samples 10 -> rate {2}")
        @CsvSource({
            "0, 0, 0.5",
            "5, 4, 0.5",
            "9, 0, 0.5",
            "10, 0, 1.0",
            "5, 5, 0.5",
            "3, 7, 0.3",
            "0, 12, 0.0",
        })
        void belowMinSamplesTheRateIsOneHalf(long successes, long failures, double expected) {
            RoutingDecision decision =
                    decide(history(), IMPLEMENT, anAgent("codex").withSuccessRate(successes, failures));

            assertThat(candidate(decision, "codex").factor(Factor.SUCCESS_RATE).value()).isEqualTo(expected);
        }

        @Test
        void noDivisionByZeroWhenMinSamplesIsZero() {
            RoutingPolicy policy = new RoutingPolicy("history", Preset.HISTORY.weights(), 0, false, 4,
                    Duration.ofDays(14), Duration.ofHours(4), Exploration.NONE, 0, null, Duration.ofSeconds(30),
                    false, Mode.AUTO);

            RoutingDecision decision = decide(new Router(policy, List.of()), IMPLEMENT, anAgent("codex"));

            assertThat(candidate(decision, "codex").factor(Factor.SUCCESS_RATE).value()).isEqualTo(0.5);
        }

        @Test
        void recentSuccessAtTheSameWorkTypeAdds30() {
            RoutingDecision decision = decide(history(), IMPLEMENT,
                    anAgent("codex").succeededRecentlyAt(NOW.minus(Duration.ofHours(3))),
                    anAgent("aider").succeededRecentlyAt(NOW.minus(Duration.ofHours(5))));

            assertThat(candidate(decision, "codex").factor(Factor.RECENT_CONTEXT).points()).isEqualTo(30.0);
            assertThat(candidate(decision, "aider").factor(Factor.RECENT_CONTEXT).points()).isZero();
            assertThat(candidate(decision, "aider").factor(Factor.RECENT_CONTEXT).reason()).contains("outside 4 h");
        }

        @Test
        void specializationAdds20() {
            RoutingDecision decision = decide(history(), IMPLEMENT,
                    anAgent("codex").specializedIn("implement"), anAgent("aider"));

            assertThat(candidate(decision, "codex").factor(Factor.SPECIALIZATION).points()).isEqualTo(20.0);
            assertThat(candidate(decision, "aider").factor(Factor.SPECIALIZATION).points()).isZero();
        }

        @ParameterizedTest(name = "{0} of {1} slots in use -> load points {2}")
        @CsvSource({"0, 4, 10.0", "1, 4, 7.5", "2, 4, 5.0", "3, 4, 2.5"})
        void loadIsWorthUpTo10FallingWithInFlightAttempts(int inFlight, int max, double points) {
            RoutingDecision decision = decide(history(), IMPLEMENT,
                    anAgent("codex").withMaxConcurrency(max).running(inFlight));

            assertThat(candidate(decision, "codex").factor(Factor.LOAD).points()).isEqualTo(points);
        }

        @Test
        void aPerfectAgentScores100() {
            RoutingDecision decision = decide(history(), IMPLEMENT, anAgent("codex")
                    .withSuccessRate(20, 0)
                    .succeededRecentlyAt(NOW.minus(Duration.ofMinutes(10)))
                    .specializedIn("implement"));

            assertThat(decision.score()).isEqualTo(100.0);
            assertThat(decision.successRatePercent()).isEqualTo(100.0);
            assertThat(decision.recentContextMatch()).isTrue();
            assertThat(decision.specializationMatch()).isTrue();
        }

        @Test
        void onlyTheFourHistoryFactorsCount() {
            RoutingDecision decision = decide(history(), IMPLEMENT,
                    anAgent("codex").strongAt("implement").costing(0.01), anAgent("aider").costing(1.0));

            assertThat(candidate(decision, "codex").total()).isEqualTo(candidate(decision, "aider").total());
        }
    }

    @Nested
    class Candidates {
        @Test
        void routesToTheOnlineAgentWithTheCapability() {
            RoutingDecision decision = decide(history(), aTask().ofType(TaskType.DEPLOY).build(),
                    anAgent("codex").capableOf("implement"),
                    anAgent("ops-bot").capableOf("deploy"));

            assertThat(decision.chosenAgent()).contains("ops-bot");
            assertThat(decision.exclusions()).singleElement().satisfies(e -> {
                assertThat(e.agent()).isEqualTo("codex");
                assertThat(e.reason()).isEqualTo(ExclusionReason.NOT_CAPABLE);
            });
        }

        @Test
        void anAgentWithNoCapabilitiesAcceptsAnything() {
            RoutingDecision decision = decide(history(), aTask().ofType(TaskType.DEPLOY).build(), anAgent("generalist"));

            assertThat(decision.chosenAgent()).contains("generalist");
        }

        @Test
        void capabilityMatchesTheWorkTypeOrTheTaskType() {
            Task task = aTask().ofType(TaskType.REVIEW).ofWorkType("code-review").build();

            RoutingDecision decision = decide(history(), task,
                    anAgent("a").capableOf("code_review"), anAgent("b").capableOf("review"), anAgent("c").capableOf("fix"));

            assertThat(decision.candidates()).extracting(ScoredCandidate::agent).containsExactlyInAnyOrder("a", "b");
        }

        @Test
        void ignoresOfflineAgents() {
            RoutingDecision decision = decide(history(), IMPLEMENT,
                    anAgent("codex").withSuccessRate(10, 0).offline(), anAgent("aider"));

            assertThat(decision.chosenAgent()).contains("aider");
            assertThat(decision.exclusions()).extracting(Exclusion::reason).containsExactly(ExclusionReason.OFFLINE);
        }

        @Test
        void keepsToTheTasksPool() {
            Task task = aTask().inPool("infra").build();

            RoutingDecision decision = decide(history(), task,
                    anAgent("codex").inPool("code").withSuccessRate(10, 0), anAgent("terraformer").inPool("infra"));

            assertThat(decision.chosenAgent()).contains("terraformer");
            assertThat(decision.exclusions()).extracting(Exclusion::reason).containsExactly(ExclusionReason.NOT_IN_POOL);
        }

        @Test
        void agentsWithAndWithoutSpecializationsAreBothCandidates() {
            RoutingDecision decision = decide(history(), IMPLEMENT,
                    anAgent("plain"), anAgent("specialist").specializedIn("implement", "refactor"));

            assertThat(decision.candidates()).hasSize(2);
            assertThat(candidate(decision, "plain").factor(Factor.SPECIALIZATION).reason()).isEqualTo("no specializations");
        }
    }

    @Nested
    class Choice {
        @Test
        void aHigherSuccessRateWins() {
            RoutingDecision decision = decide(history(), IMPLEMENT,
                    anAgent("codex").withSuccessRate(7, 3), anAgent("claude-code").withSuccessRate(9, 1));

            assertThat(decision.chosenAgent()).contains("claude-code");
            assertThat(decision.reason()).startsWith("claude-code scored 46.0 of 100.0 under the history policy")
                    .contains("next was codex with 38.0");
        }

        @Test
        void withEqualSuccessRatesRecentContextWins() {
            RoutingDecision decision = decide(history(), IMPLEMENT,
                    anAgent("codex").withSuccessRate(8, 2),
                    anAgent("aider").withSuccessRate(8, 2).succeededRecentlyAt(NOW.minus(Duration.ofHours(1))));

            assertThat(decision.chosenAgent()).contains("aider");
            assertThat(decision.recentContextMatch()).isTrue();
        }

        @Test
        void aSpecialistWins() {
            RoutingDecision decision = decide(history(), IMPLEMENT,
                    anAgent("codex").withSuccessRate(8, 2),
                    anAgent("aider").withSuccessRate(8, 2).specializedIn("implement"));

            assertThat(decision.chosenAgent()).contains("aider");
        }

        @Test
        void theLessLoadedOfThreeEqualAgentsWins() {
            RoutingDecision decision = decide(history(), IMPLEMENT,
                    anAgent("a").withMaxConcurrency(4).running(2),
                    anAgent("b").withMaxConcurrency(4).running(1),
                    anAgent("c").withMaxConcurrency(4).running(3));

            assertThat(decision.candidates()).extracting(ScoredCandidate::agent).containsExactly("b", "a", "c");
        }

        @Test
        void tiesAreBrokenByInFlightThenCostThenName() {
            // Load has no weight here, so only the tie-breaks separate them.
            Router router = new Router(RoutingPolicy.of(Preset.HISTORY)
                    .withWeights(new Weights(java.util.Map.of(Factor.SUCCESS_RATE, 100.0))), List.of());

            RoutingDecision decision = decide(router, IMPLEMENT,
                    anAgent("d").costing(0.01).withMaxConcurrency(3).running(1),
                    anAgent("c").costing(0.02),
                    anAgent("b").costing(0.01),
                    anAgent("a").costing(0.01));

            assertThat(decision.candidates()).extracting(ScoredCandidate::agent).containsExactly("a", "b", "c", "d");
            assertThat(decision.reason()).contains("tie broken by name");
        }

        @Test
        void theSameInputsGiveTheSameDecision() {
            AgentBuilder[] agents = {anAgent("a").withSuccessRate(5, 5), anAgent("b").withSuccessRate(6, 4)};

            RoutingDecision first = decide(history(), IMPLEMENT, agents);
            RoutingDecision second = decide(history(), IMPLEMENT, agents);

            assertThat(second.reason()).isEqualTo(first.reason());
            assertThat(second.candidates()).isEqualTo(first.candidates());
            assertThat(first.propensity()).isEqualTo(1.0);
            assertThat(first.seed()).isNull();
        }
    }

    @Nested
    class HardFilters {
        @Test
        void anEmptyPoolIsAClearErrorNamingThePool() {
            RoutingDecision decision = decide(history(), aTask().withId("TASK-7").inPool("infra").build(),
                    anAgent("codex").inPool("code"));

            assertThat(decision.chosen()).isEmpty();
            assertThat(decision.reason())
                    .isEqualTo("No agent can take task TASK-7 (work type implement, pool 'infra'): pool 'infra' has no agents");
        }

        @Test
        void anAllOfflinePoolNamesEachAgentAndWhy() {
            RoutingDecision decision = decide(history(), aTask().withId("TASK-8").inPool("code").build(),
                    anAgent("codex").inPool("code").offline(), anAgent("aider").inPool("code").offline());

            assertThat(decision.chosen()).isEmpty();
            assertThat(decision.reason()).isEqualTo("No agent can take task TASK-8 (work type implement, pool 'code'): "
                    + "all 2 capable agents are excluded: codex offline (status offline); aider offline (status offline)");
        }

        @Test
        void noCapableAgentNamesTheMissingCapability() {
            RoutingDecision decision = decide(history(), aTask().withId("T").ofType(TaskType.DEPLOY).build(),
                    anAgent("codex").capableOf("implement"));

            assertThat(decision.reason()).endsWith("no agent in any pool has capability 'deploy' or 'deploy'");
        }

        @Test
        void noAgentsAtAll() {
            RoutingDecision decision = history().decide(RoutingRequest.of(IMPLEMENT), List.of(), NOW);

            assertThat(decision.reason()).endsWith("no agents are registered");
        }

        @Test
        void aRetryIsFlaggedAndExcludesAgentsThatAlreadyFailedTheTask() {
            RoutingRequest retry = RoutingRequest.of(IMPLEMENT).retryAfter("codex");

            RoutingDecision decision = history().decide(retry,
                    states(anAgent("codex").withSuccessRate(10, 0), anAgent("aider").withSuccessRate(1, 9)), NOW);

            assertThat(decision.retried()).isTrue();
            assertThat(decision.attempt()).isEqualTo(2);
            assertThat(decision.chosenAgent()).contains("aider");
            assertThat(decision.exclusions()).singleElement()
                    .extracting(Exclusion::reason).isEqualTo(ExclusionReason.FAILED_THIS_TASK);
        }

        @Test
        void aFailedAgentIsRepickedOnlyWhenAloneAndThePolicyAllowsIt() {
            RoutingRequest retry = RoutingRequest.of(IMPLEMENT).retryAfter("codex");
            List<AgentState> alone = states(anAgent("codex"));

            RoutingDecision strict = history().decide(retry, alone, NOW);
            RoutingDecision lenient = new Router(RoutingPolicy.of(Preset.HISTORY).withRetrySameAgentWhenAlone(true),
                    List.of()).decide(retry, alone, NOW);

            assertThat(strict.chosen()).isEmpty();
            assertThat(lenient.chosenAgent()).contains("codex");
            assertThat(lenient.reason()).contains("allowed an agent that already failed this task");
        }

        @Test
        void maxCostExcludesAgentsWhoseEstimateIsOverIt() {
            Task task = aTask().withEstimatedTokens(100_000).build();
            RoutingRequest request = RoutingRequest.of(task).withMaxCost(1.0);

            RoutingDecision decision = history().decide(request,
                    states(anAgent("pricey").costing(0.015).withSuccessRate(10, 0), anAgent("cheap").costing(0.002)), NOW);

            assertThat(decision.chosenAgent()).contains("cheap");
            assertThat(decision.exclusions()).singleElement().satisfies(e -> {
                assertThat(e.reason()).isEqualTo(ExclusionReason.OVER_MAX_COST);
                assertThat(e.detail()).isEqualTo("estimated $1.5000 > --max-cost $1.0000");
            });
        }

        @Test
        void theRemainingBudgetExcludesToo() {
            Task task = aTask().withEstimatedTokens(100_000).build();

            RoutingDecision decision = history().decide(RoutingRequest.of(task).withRemainingBudget(0.5),
                    states(anAgent("pricey").costing(0.015)), NOW);

            assertThat(decision.exclusions()).extracting(Exclusion::reason).containsExactly(ExclusionReason.OVER_BUDGET);
        }

        @Test
        void aContextLimitBelowTheEstimatedTokensExcludesTheAgent() {
            Task task = aTask().withEstimatedTokens(150_000).build();

            RoutingDecision decision = decide(history(), task,
                    anAgent("small").withContextLimit(128_000).withSuccessRate(10, 0),
                    anAgent("large").withContextLimit(1_000_000));

            assertThat(decision.chosenAgent()).contains("large");
            assertThat(decision.exclusions()).singleElement().satisfies(e -> {
                assertThat(e.reason()).isEqualTo(ExclusionReason.CONTEXT_TOO_SMALL);
                assertThat(e.detail()).isEqualTo("context_limit 128000 < estimated 150000 tokens");
            });
        }

        @Test
        void aWorkersAgentIsJudgedByItsStatusNotByItsHeartbeatAgainstThisClock() {
            // Its heartbeats carry the database's time; this clock may be ahead of it by more than the timeout.
            RoutingDecision decision = decide(history(), IMPLEMENT,
                    anAgent("worker-online").origin(io.switchboard.core.agent.AgentOrigin.WORKER)
                            .heartbeatAt(NOW.minus(Duration.ofMinutes(10))),
                    anAgent("worker-offline").origin(io.switchboard.core.agent.AgentOrigin.WORKER)
                            .withStatus(AgentStatus.OFFLINE).heartbeatAt(NOW.minus(Duration.ofMinutes(10))),
                    anAgent("declared-stale").heartbeatAt(NOW.minus(Duration.ofMinutes(10))));

            assertThat(decision.candidates()).extracting(ScoredCandidate::agent).containsExactly("worker-online");
            assertThat(decision.exclusions()).extracting(Exclusion::agent, Exclusion::reason).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("worker-offline", ExclusionReason.OFFLINE),
                    org.assertj.core.groups.Tuple.tuple("declared-stale", ExclusionReason.HEARTBEAT_STALE));
        }

        @Test
        void coolingDownBusyStaleAndFullAgentsAreExcludedWithTheirReasons() {
            RoutingDecision decision = decide(history(), IMPLEMENT,
                    anAgent("cool").coolingDownUntil(NOW.plus(Duration.ofMinutes(5)), "rate limited"),
                    anAgent("expired").coolingDownUntil(NOW.minus(Duration.ofMinutes(5)), "rate limited"),
                    anAgent("busy").withStatus(AgentStatus.BUSY),
                    anAgent("stale").available(Availability.REMOTE).heartbeatAt(NOW.minus(Duration.ofMinutes(2))),
                    anAgent("fresh").available(Availability.REMOTE).heartbeatAt(NOW.minus(Duration.ofSeconds(5))),
                    anAgent("full").withMaxConcurrency(2).running(2),
                    anAgent("banned"));
            RoutingDecision withExclusion = history().decide(RoutingRequest.of(IMPLEMENT).withExcluded(Set.of("banned")),
                    states(anAgent("banned"), anAgent("other")), NOW);

            assertThat(decision.exclusions()).extracting(Exclusion::agent, Exclusion::reason).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("cool", ExclusionReason.COOLING_DOWN),
                    org.assertj.core.groups.Tuple.tuple("busy", ExclusionReason.BUSY),
                    org.assertj.core.groups.Tuple.tuple("stale", ExclusionReason.HEARTBEAT_STALE),
                    org.assertj.core.groups.Tuple.tuple("full", ExclusionReason.AT_MAX_CONCURRENCY));
            assertThat(decision.exclusions().getFirst().detail())
                    .isEqualTo("cooling down until 2026-01-05T09:05:00Z: rate limited");
            assertThat(decision.candidates()).extracting(ScoredCandidate::agent)
                    .containsExactlyInAnyOrder("expired", "fresh", "banned");
            assertThat(withExclusion.exclusions()).extracting(Exclusion::reason)
                    .containsExactly(ExclusionReason.EXCLUDED_BY_USER);
        }
    }

    @Nested
    class ProfileFactors {
        private final Router balanced = new Router(RoutingPolicy.defaults(), List.of());

        @Test
        void preferAddsThePreferenceFactor() {
            RoutingRequest request = RoutingRequest.of(IMPLEMENT).withPrefer("aider");

            RoutingDecision decision = balanced.decide(request, states(anAgent("codex"), anAgent("aider")), NOW);

            assertThat(decision.chosenAgent()).contains("aider");
            FactorScore preference = candidate(decision, "aider").factor(Factor.PREFERENCE);
            assertThat(preference.value()).isEqualTo(1.0);
            assertThat(preference.points()).isEqualTo(5.0);
            assertThat(preference.reason()).isEqualTo("named by --prefer");
            assertThat(candidate(decision, "codex").factor(Factor.PREFERENCE).value()).isZero();
        }

        @Test
        void preferUnderAPresetWithoutPreferenceWeightSaysItHasNoEffect() {
            RoutingDecision decision = history().decide(RoutingRequest.of(IMPLEMENT).withPrefer("aider"),
                    states(anAgent("aider")), NOW);

            assertThat(decision.reason()).contains("--prefer has no effect");
        }

        @Test
        void cheaperIsBetterNormalisedOverTheCandidates() {
            Task task = aTask().withEstimatedTokens(10_000).build();

            RoutingDecision decision = decide(balanced, task,
                    anAgent("cheap").costing(0.001), anAgent("mid").costing(0.004), anAgent("dear").costing(0.007));

            assertThat(candidate(decision, "cheap").factor(Factor.COST).value()).isEqualTo(1.0);
            assertThat(candidate(decision, "mid").factor(Factor.COST).value()).isCloseTo(0.5, within(1e-9));
            assertThat(candidate(decision, "dear").factor(Factor.COST).value()).isZero();
        }

        @Test
        void strengthIsTheShareOfNeededSkillsLessWeaknesses() {
            Task task = aTask().ofType(TaskType.IMPLEMENT).needingSkills("python", "sql").build();

            RoutingDecision decision = decide(balanced, task,
                    anAgent("all").strongAt("implement", "python", "sql"),
                    anAgent("half").strongAt("implement", "python").weakAt("sql"),
                    anAgent("none"));

            // Needed: implement (work type and type are the same word), python, sql.
            assertThat(candidate(decision, "all").factor(Factor.STRENGTH).value()).isEqualTo(1.0);
            assertThat(candidate(decision, "half").factor(Factor.STRENGTH).value()).isCloseTo(1.0 / 3, within(1e-9));
            assertThat(candidate(decision, "none").factor(Factor.STRENGTH).value()).isZero();
        }

        @Test
        void contextFitAndAvailability() {
            Task task = aTask().withEstimatedTokens(50_000).build();

            RoutingDecision decision = decide(balanced, task,
                    anAgent("local").withContextLimit(100_000),
                    anAgent("remote").available(Availability.REMOTE).withContextLimit(200_000),
                    anAgent("optional").available(Availability.OPTIONAL));

            assertThat(candidate(decision, "local").factor(Factor.CONTEXT_FIT).value()).isEqualTo(0.5);
            assertThat(candidate(decision, "remote").factor(Factor.CONTEXT_FIT).value()).isEqualTo(0.75);
            assertThat(candidate(decision, "local").factor(Factor.AVAILABILITY).value()).isEqualTo(1.0);
            assertThat(candidate(decision, "remote").factor(Factor.AVAILABILITY).value()).isEqualTo(0.8);
            assertThat(candidate(decision, "optional").factor(Factor.AVAILABILITY).value()).isEqualTo(0.5);
        }

        @Test
        void balancedBlendsBothPresetsEvenly() {
            Weights weights = Preset.BALANCED.weights();

            assertThat(weights.total()).isEqualTo(100.0);
            assertThat(weights.of(Factor.SUCCESS_RATE)).isEqualTo(20.0);
            assertThat(weights.of(Factor.STRENGTH)).isEqualTo(20.0);
            assertThat(weights.of(Factor.PREFERENCE)).isEqualTo(5.0);
            assertThat(Preset.PROFILE.weights().total()).isEqualTo(100.0);
        }

        @Test
        void everyFactorIsInRangeWithAReason() {
            RoutingDecision decision = decide(balanced, IMPLEMENT,
                    anAgent("a").withSuccessRate(3, 1).costing(0.01).strongAt("speed"),
                    anAgent("b").withSuccessRate(30, 12).costing(0.002).withMaxConcurrency(3).running(1));

            for (ScoredCandidate scored : decision.candidates()) {
                assertThat(scored.factors()).extracting(FactorScore::factor).containsExactly(Factor.values());
                assertThat(scored.factors()).allSatisfy(f -> {
                    assertThat(f.value()).isBetween(0.0, 1.0);
                    assertThat(f.reason()).isNotBlank();
                });
                assertThat(scored.total()).isCloseTo(
                        scored.factors().stream().mapToDouble(FactorScore::points).sum(), within(1e-9));
            }
        }
    }

    @Nested
    class Rules {
        private final Router router = new Router(RoutingPolicy.defaults(), Rule.defaults());

        @Test
        void aReviewGoesToTheReasoningAgentInPlanMode() {
            Task review = aTask().ofType(TaskType.REVIEW).build();

            RoutingDecision decision = decide(router, review,
                    anAgent("claude-code").strongAt("reasoning"), anAgent("codex").strongAt("speed"));

            assertThat(decision.mode()).isEqualTo(Mode.PLAN);
            assertThat(decision.chosenAgent()).contains("claude-code");
            assertThat(decision.rule()).startsWith("rule 'design-or-review'");
            assertThat(candidate(decision, "claude-code").factor(Factor.PREFERENCE).reason())
                    .isEqualTo("rule 'design-or-review' prefers agents strong in reasoning");
        }

        @ParameterizedTest(name = "{0} complexity {1} scope {2} -> rule {3}, mode {4}")
        @CsvSource({
            "IMPLEMENT, 20, SINGLE_FILE, rapid-implementation, auto",
            "IMPLEMENT, 80, SINGLE_FILE, complex-implementation, auto",
            "FIX, 30, SINGLE_FILE, rapid-implementation, auto",
            "REFACTOR, 50, MULTI_MODULE, bulk-refactor, full-auto",
            "DESIGN, 50, UNKNOWN, design-or-review, plan",
        })
        void theDefaultRules(TaskType type, int complexity, Scope scope, String rule, String mode) {
            Task task = aTask().ofType(type).withComplexity(complexity).withScope(scope).build();

            RoutingDecision decision = decide(router, task, anAgent("any"));

            assertThat(decision.rule()).startsWith("rule '" + rule + "'");
            assertThat(decision.mode().configName()).isEqualTo(mode);
        }

        @Test
        void noRuleMatchingLeavesThePolicyDefaultMode() {
            Task task = aTask().ofType(TaskType.IMPLEMENT).withComplexity(50).build();

            RoutingDecision decision = decide(router, task, anAgent("any"));

            assertThat(decision.rule()).isNull();
            assertThat(decision.mode()).isEqualTo(Mode.AUTO);
            assertThat(decision.reason()).contains("(policy default)");
        }

        @Test
        void aPinExcludesEveryOtherAgent() {
            Rule pin = new Rule("deploys-to-ops", new RuleCondition(Set.of(TaskType.DEPLOY), null, null, null, null,
                    null, null, null, null), Mode.FULL_AUTO, null, AgentSelector.agent("ops-bot"));

            RoutingDecision decision = decide(new Router(RoutingPolicy.defaults(), List.of(pin)),
                    aTask().ofType(TaskType.DEPLOY).build(), anAgent("codex").withSuccessRate(10, 0), anAgent("ops-bot"));

            assertThat(decision.chosenAgent()).contains("ops-bot");
            assertThat(decision.mode()).isEqualTo(Mode.FULL_AUTO);
            assertThat(decision.exclusions()).singleElement().satisfies(e -> {
                assertThat(e.reason()).isEqualTo(ExclusionReason.PINNED_ELSEWHERE);
                assertThat(e.detail()).isEqualTo("rule 'deploys-to-ops' pins agent ops-bot");
            });
        }
    }

    /** What a task asks of routing besides its traits: a workflow step's preference, pin and mode. */
    @Nested
    class Placements {
        private final Router router = new Router(RoutingPolicy.defaults(), Rule.defaults());
        private static final String STEP = "workflow step 'plan'";

        private RoutingDecision decideWith(Placement placement, Task task, AgentBuilder... agents) {
            return router.decide(RoutingRequest.of(task).withPlacement(placement), states(agents), NOW);
        }

        @Test
        void aPreferredStrengthGivesThePreferenceFactorToEveryAgentStrongInIt() {
            Placement reasoning = new Placement(AgentSelector.strength("reasoning"), null, null, STEP);

            RoutingDecision decision = decideWith(reasoning, aTask().ofType(TaskType.IMPLEMENT).withComplexity(50)
                    .build(), anAgent("codex").strongAt("speed"), anAgent("claude-code").strongAt("reasoning"),
                    anAgent("gemini").strongAt("reasoning", "large-context"));

            assertThat(candidate(decision, "claude-code").factor(Factor.PREFERENCE).value()).isEqualTo(1.0);
            assertThat(candidate(decision, "gemini").factor(Factor.PREFERENCE).value()).isEqualTo(1.0);
            assertThat(candidate(decision, "codex").factor(Factor.PREFERENCE).value()).isZero();
            assertThat(candidate(decision, "claude-code").factor(Factor.PREFERENCE).reason())
                    .isEqualTo("workflow step 'plan' prefers agents strong in reasoning");
            assertThat(candidate(decision, "codex").factor(Factor.PREFERENCE).reason()).isEqualTo("not preferred");
        }

        @Test
        void aPreferredStrengthTurnsTheChoiceWhenAllElseIsEqual() {
            Task task = aTask().ofType(TaskType.IMPLEMENT).withComplexity(50).build();
            AgentBuilder fast = anAgent("a-fast").strongAt("typing");
            AgentBuilder deep = anAgent("b-deep").strongAt("reasoning");

            assertThat(decide(router, task, fast, deep).chosenAgent()).contains("a-fast");
            assertThat(decideWith(new Placement(AgentSelector.strength("reasoning"), null, null, STEP), task, fast,
                    deep).chosenAgent()).contains("b-deep");
        }

        @Test
        void aPinnedAgentIsTheOnlyCandidateEvenOutsideThePoolAndItsCapabilities() {
            Task task = aTask().ofType(TaskType.REVIEW).inPool("code").build();

            RoutingDecision decision = decideWith(new Placement(null, "ops-bot", null, STEP), task,
                    anAgent("claude-code").strongAt("reasoning").inPool("code"),
                    anAgent("ops-bot").inPool("infra").capableOf("deploy"));

            assertThat(decision.chosenAgent()).contains("ops-bot");
            assertThat(decision.exclusions()).singleElement().satisfies(e -> {
                assertThat(e.agent()).isEqualTo("claude-code");
                assertThat(e.reason()).isEqualTo(ExclusionReason.PINNED_ELSEWHERE);
                assertThat(e.detail()).isEqualTo("workflow step 'plan' pins agent ops-bot");
            });
            assertThat(decision.reason())
                    .endsWith("Pinned to ops-bot by workflow step 'plan': no other agent may take it.");
        }

        @Test
        void aTaskHandedOffIsPinnedToItsAgentWhateverItsPoolCapabilitiesExclusionsOrRulesSay() {
            Rule pin = new Rule("deploys-to-ops", new RuleCondition(Set.of(TaskType.DEPLOY), null, null, null, null,
                    null, null, null, null), Mode.FULL_AUTO, null, AgentSelector.agent("ops-bot"));
            Task deploy = aTask().ofType(TaskType.DEPLOY).inPool("infra").build();
            RoutingRequest handedOff = RoutingRequest.of(deploy).withExcluded(Set.of("docs-bot"))
                    .withPlacement(Placement.NONE.handedOffTo("docs-bot", 1));

            RoutingDecision decision = new Router(RoutingPolicy.defaults(), List.of(pin)).decide(handedOff,
                    states(anAgent("ops-bot").inPool("infra"), anAgent("docs-bot").inPool("docs")
                            .capableOf("documentation")), NOW);

            assertThat(decision.chosenAgent()).contains("docs-bot");
            // The rule still sets the mode; its pin, like --exclude, does not keep out the agent a person named.
            assertThat(decision.mode()).isEqualTo(Mode.FULL_AUTO);
            assertThat(decision.exclusions()).singleElement().satisfies(e -> {
                assertThat(e.agent()).isEqualTo("ops-bot");
                assertThat(e.reason()).isEqualTo(ExclusionReason.PINNED_ELSEWHERE);
                assertThat(e.detail()).isEqualTo("a handoff pins agent docs-bot");
            });
            assertThat(decision.reason()).endsWith("Pinned to docs-bot by a handoff: no other agent may take it.");
        }

        @Test
        void aHandoffOfAPlacedTaskKeepsItsModeAndReplacesItsPreferenceOrPin() {
            Placement step = new Placement(AgentSelector.strength("reasoning"), null, Mode.PLAN, STEP);

            Placement handedOff = step.handedOffTo("codex", 3);

            assertThat(handedOff).isEqualTo(new Placement(null, "codex", 3, Mode.PLAN,
                    "a handoff of workflow step 'plan'"));
            RoutingDecision decision = decideWith(handedOff, IMPLEMENT, anAgent("claude-code").strongAt("reasoning"),
                    anAgent("codex"));
            assertThat(decision.chosenAgent()).contains("codex");
            assertThat(decision.reason()).contains("Mode plan as a handoff of workflow step 'plan' asks.");
        }

        @Test
        void aPinnedTaskHasNoFallback() {
            RoutingRequest pinned = RoutingRequest.of(IMPLEMENT).withPlacement(new Placement(null, "codex", null,
                    STEP));
            List<AgentState> agents = states(anAgent("codex").offline(), anAgent("aider"));
            RoutingDecision decided = router.decide(pinned, agents, NOW);

            assertThat(decided.chosen()).isEmpty();
            assertThat(router.fallback(pinned, decided, agents, List.of("aider"), "codex is offline", NOW)).isEmpty();
            assertThat(router.fallback(RoutingRequest.of(IMPLEMENT), decided, agents, List.of("aider"),
                    "codex is offline", NOW)).isPresent();
        }

        @Test
        void aPinnedAgentStillPassesTheAvailabilityFilters() {
            RoutingDecision decision = decideWith(new Placement(null, "codex", null, STEP), IMPLEMENT,
                    anAgent("codex").offline(), anAgent("aider"));

            assertThat(decision.chosen()).isEmpty();
            assertThat(decision.exclusions()).extracting(Exclusion::reason)
                    .containsExactlyInAnyOrder(ExclusionReason.OFFLINE, ExclusionReason.PINNED_ELSEWHERE);
        }

        @Test
        void aPinnedAgentThatFailedTheTaskIsNotTakenAgainByDefault() {
            RoutingRequest retry = RoutingRequest.of(IMPLEMENT).withPlacement(new Placement(null, "codex", null,
                    STEP)).retryAfter("codex");

            RoutingDecision decision = router.decide(retry, states(anAgent("codex"), anAgent("aider")), NOW);

            assertThat(decision.chosen()).isEmpty();
            assertThat(decision.exclusions()).extracting(Exclusion::reason)
                    .containsExactlyInAnyOrder(ExclusionReason.FAILED_THIS_TASK, ExclusionReason.PINNED_ELSEWHERE);
        }

        @Test
        void theAskedModeWinsOverTheMatchingRule() {
            Task review = aTask().ofType(TaskType.REVIEW).build();

            RoutingDecision decision = decideWith(new Placement(null, null, Mode.FULL_AUTO, STEP), review,
                    anAgent("claude-code").strongAt("reasoning"));

            assertThat(decision.rule()).startsWith("rule 'design-or-review'");
            assertThat(decision.mode()).isEqualTo(Mode.FULL_AUTO);
            assertThat(decision.reason()).contains("Mode full-auto as workflow step 'plan' asks.");
        }

        @Test
        void theTasksOwnPreferenceReplacesTheMatchingRulesPreference() {
            Task review = aTask().ofType(TaskType.REVIEW).build();

            RoutingDecision decision = decideWith(new Placement(AgentSelector.strength("speed"), null, null, STEP),
                    review, anAgent("claude-code").strongAt("reasoning"), anAgent("codex").strongAt("speed"));

            assertThat(decision.rule()).startsWith("rule 'design-or-review'");
            assertThat(candidate(decision, "claude-code").factor(Factor.PREFERENCE).reason()).isEqualTo("not preferred");
            assertThat(candidate(decision, "codex").factor(Factor.PREFERENCE).reason())
                    .isEqualTo("workflow step 'plan' prefers agents strong in speed");
        }

        @Test
        void aPinWinsOverARulesPin() {
            Rule pin = new Rule("reviews-to-claude", new RuleCondition(Set.of(TaskType.REVIEW), null, null, null,
                    null, null, null, null, null), null, null, AgentSelector.agent("claude-code"));
            Router pinning = new Router(RoutingPolicy.defaults(), List.of(pin));

            RoutingDecision decision = pinning.decide(RoutingRequest.of(aTask().ofType(TaskType.REVIEW).build())
                    .withPlacement(new Placement(null, "codex", null, STEP)),
                    states(anAgent("claude-code"), anAgent("codex")), NOW);

            assertThat(decision.chosenAgent()).contains("codex");
        }

        @Test
        void aPlacementNeedsToSayWhoAskedAndCannotBothPreferAndPin() {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Placement(null, "codex", null, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("who asked");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Placement(AgentSelector.agent("a"), "b",
                    null, STEP)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Placement(null, null, 2, null, STEP))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only a pin");
            assertThat(new Placement(null, null, null, "ignored").askedBy()).isNull();
        }
    }

    @Nested
    class Bayesian {
        private final RoutingPolicy bayes = RoutingPolicy.of(Preset.HISTORY).withBayesianPrior(true);

        @Test
        void thePriorComesFromTheProfile() {
            RoutingDecision decision = decide(new Router(bayes, List.of()), IMPLEMENT,
                    anAgent("specialist").specializedIn("implement"), anAgent("weak").weakAt("implement"), anAgent("plain"));

            // Prior strength 4: the specialist's mean is 0.75, the plain agent's 0.5, the weak agent's 0.25.
            assertThat(candidate(decision, "specialist").factor(Factor.SUCCESS_RATE).value()).isCloseTo(0.75, within(1e-9));
            assertThat(candidate(decision, "plain").factor(Factor.SUCCESS_RATE).value()).isCloseTo(0.5, within(1e-9));
            assertThat(candidate(decision, "weak").factor(Factor.SUCCESS_RATE).value()).isCloseTo(0.25, within(1e-9));
        }

        @Test
        void oldOutcomesWeighLessAfterAHalfLife() {
            AgentPerformance record = AgentPerformance.none(AgentBuilder.idOf("codex"), "implement")
                    .plus(false, NOW, Duration.ofDays(14), 0, 0, 0, null)
                    .plus(false, NOW, Duration.ofDays(14), 0, 0, 0, null);
            AgentState state = new AgentState(anAgent("codex").registered(), record, 0, null, null);
            Router router = new Router(bayes, List.of());

            double fresh = candidate(router.decide(RoutingRequest.of(IMPLEMENT), List.of(state), NOW), "codex")
                    .factor(Factor.SUCCESS_RATE).value();
            double aged = candidate(router.decide(RoutingRequest.of(IMPLEMENT), List.of(state),
                    NOW.plus(Duration.ofDays(14))), "codex").factor(Factor.SUCCESS_RATE).value();

            // Beta(2, 2 + 2) then Beta(2, 2 + 1): two failures count as one after one half-life.
            assertThat(fresh).isCloseTo(2.0 / 6, within(1e-9));
            assertThat(aged).isCloseTo(2.0 / 5, within(1e-9));
        }
    }

    @Nested
    class Thompson {
        private final RoutingPolicy thompson = RoutingPolicy.of(Preset.HISTORY).withExploration(Exploration.THOMPSON, 42);

        @Test
        void aSeededSampleIsReproducibleAndRecordsItsPropensity() {
            AgentBuilder[] agents = {anAgent("a").withSuccessRate(30, 10), anAgent("b").withSuccessRate(28, 12)};
            Router router = new Router(thompson, List.of());

            RoutingDecision first = decide(router, IMPLEMENT, agents);
            RoutingDecision again = decide(router, IMPLEMENT, agents);

            assertThat(again.chosenAgent()).isEqualTo(first.chosenAgent());
            assertThat(again.candidates()).isEqualTo(first.candidates());
            assertThat(first.seed()).isNotNull();
            assertThat(first.propensity()).isGreaterThan(0.0).isLessThan(1.0);
            assertThat(candidate(first, "a").factor(Factor.SUCCESS_RATE).reason()).startsWith("sampled ");
        }

        @Test
        void aClearFavouriteIsPickedAlmostAlways() {
            RoutingDecision decision = decide(new Router(thompson, List.of()), IMPLEMENT,
                    anAgent("strong").withSuccessRate(95, 5), anAgent("poor").withSuccessRate(5, 95));

            assertThat(decision.chosenAgent()).contains("strong");
            assertThat(decision.propensity()).isGreaterThan(0.99);
        }

        @Test
        void differentSeedsExploreDifferently() {
            AgentBuilder[] agents = {anAgent("a").withSuccessRate(1, 1), anAgent("b").withSuccessRate(1, 1)};
            java.util.Set<String> picked = new java.util.HashSet<>();
            for (long seed = 0; seed < 20; seed++) {
                Router router = new Router(RoutingPolicy.of(Preset.HISTORY).withExploration(Exploration.THOMPSON, seed),
                        List.of());
                picked.add(decide(router, IMPLEMENT, agents).chosenAgent().orElseThrow());
            }

            assertThat(picked).containsExactlyInAnyOrder("a", "b");
        }
    }
}
