package io.switchboard.testkit.store;

import static io.switchboard.testkit.DecisionBuilder.aDecision;
import static io.switchboard.testkit.TaskBuilder.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptStart;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.attempt.DecidedStart;
import io.switchboard.core.attempt.StartResult;
import io.switchboard.core.port.DecisionLog.DecisionQuery;
import io.switchboard.core.port.DecisionLog;
import io.switchboard.core.port.TaskStore.TaskSummary;
import io.switchboard.core.port.TaskStore;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.task.Handoff;
import io.switchboard.core.task.HandoffPendingException;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** What every {@link TaskStore} does, written once and run against each store. */
public abstract class TaskStoreContract extends StoreContract {

    private TaskStore tasks() {
        return store.tasks();
    }

    private Attempt start(String taskId, RegisteredAgent agent) {
        return start(taskId, agent, "implement");
    }

    private Attempt start(String taskId, RegisteredAgent agent, String workType) {
        return tasks().startAttempt(taskId, agent.id(), agent.name(), Mode.AUTO, workType, clock.instant());
    }

    @Test
    void aStoredTaskIsFoundWithItsTitleAndWorkType() {
        storedTask(aTask().withId("T-1").titled("Add the store").ofWorkType("implement"));

        assertThat(tasks().findTask("T-1")).contains(new TaskSummary("T-1", "Add the store", "implement"));
        assertThat(tasks().findTask("T-2")).isEmpty();
    }

    @Test
    void savingATaskAgainUpdatesIt() {
        storedTask(aTask().withId("T-1").titled("First title"));

        storedTask(aTask().withId("T-1").titled("Second title").ofWorkType("code-review"));

        assertThat(tasks().findTask("T-1")).contains(new TaskSummary("T-1", "Second title", "code-review"));
    }

    @Test
    void attemptsAreNumberedOneTwoThreePerTask() {
        storedTask("T-1");
        storedTask("T-2");
        RegisteredAgent codex = registered("codex");

        Attempt first = start("T-1", codex);
        tasks().finishAttempt("T-1", 1, AttemptState.FAILED, clock.instant());
        Attempt second = start("T-1", codex);
        Attempt other = start("T-2", codex);
        tasks().finishAttempt("T-1", 2, AttemptState.TIMED_OUT, clock.instant());
        Attempt third = start("T-1", codex);

        assertThat(List.of(first.number(), second.number(), third.number())).containsExactly(1, 2, 3);
        assertThat(other.number()).isEqualTo(1);
    }

    @Test
    void aStartedAttemptIsRunningAndReadsBackWhole() {
        storedTask("T-1");
        RegisteredAgent codex = registered("codex");
        Instant now = Instant.parse("2026-01-05T09:00:01.234567Z");

        Attempt attempt = tasks().startAttempt("T-1", codex.id(), "codex", Mode.FULL_AUTO, "deploy_service", now);

        Attempt expected = new Attempt("T-1", 1, codex.id(), "codex", Mode.FULL_AUTO, "deploy_service",
                AttemptState.RUNNING, Instant.parse("2026-01-05T09:00:01.234Z"), null);
        assertThat(attempt).isEqualTo(expected);
        assertThat(tasks().attempts("T-1")).containsExactly(expected);
    }

    @Test
    void anAttemptOfAnUnstoredTaskIsRefused() {
        RegisteredAgent codex = registered("codex");

        assertThatThrownBy(() -> start("T-404", codex))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("T-404");
        assertThat(tasks().attempts("T-404")).isEmpty();
    }

    @Test
    void finishingAnAttemptRecordsItsStateAndTime() {
        storedTask("T-1");
        RegisteredAgent codex = registered("codex");
        Attempt attempt = start("T-1", codex);
        Instant finished = clock.tick(Duration.ofMinutes(3)).instant();

        assertThat(tasks().finishAttempt("T-1", 1, AttemptState.SUCCEEDED, finished)).isTrue();

        assertThat(tasks().attempts("T-1")).containsExactly(new Attempt("T-1", 1, codex.id(), "codex", Mode.AUTO,
                "implement", AttemptState.SUCCEEDED, attempt.startedAt(), finished));
    }

    @Test
    void onlyAnInFlightAttemptOfThatNumberCanFinish() {
        storedTask("T-1");
        RegisteredAgent codex = registered("codex");
        start("T-1", codex);
        tasks().finishAttempt("T-1", 1, AttemptState.TIMED_OUT, clock.instant());

        // A late result of the timed-out attempt is fenced off.
        assertThat(tasks().finishAttempt("T-1", 1, AttemptState.SUCCEEDED, clock.instant())).isFalse();
        // No such attempt, or no such task.
        assertThat(tasks().finishAttempt("T-1", 2, AttemptState.SUCCEEDED, clock.instant())).isFalse();
        assertThat(tasks().finishAttempt("T-9", 1, AttemptState.SUCCEEDED, clock.instant())).isFalse();

        assertThat(tasks().attempts("T-1")).singleElement()
                .extracting(Attempt::state).isEqualTo(AttemptState.TIMED_OUT);
    }

    @Test
    void anAttemptFinishesOnlyInAFinalState() {
        storedTask("T-1");
        start("T-1", registered("codex"));

        assertThatThrownBy(() -> tasks().finishAttempt("T-1", 1, AttemptState.PENDING, clock.instant()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(tasks().attempts("T-1")).singleElement()
                .extracting(Attempt::state).isEqualTo(AttemptState.RUNNING);
    }

    @Test
    void inFlightAttemptsAreCountedPerAgent() {
        RegisteredAgent codex = registered("codex");
        RegisteredAgent gemini = registered("gemini");
        RegisteredAgent aider = registered("aider");
        for (String id : List.of("T-1", "T-2", "T-3", "T-4")) {
            storedTask(id);
        }
        start("T-1", codex);
        start("T-2", codex);
        start("T-3", gemini);
        start("T-4", aider);
        tasks().finishAttempt("T-3", 1, AttemptState.SUCCEEDED, clock.instant());
        tasks().finishAttempt("T-4", 1, AttemptState.CANCELLED, clock.instant());

        assertThat(tasks().inFlightByAgent()).containsOnlyKeys(codex.id()).containsEntry(codex.id(), 2);
    }

    @Test
    void inFlightAttemptsOfOtherOrchestratorsLeaveOutTheGivenOnesAndCountThoseWithoutOne() {
        RegisteredAgent codex = registered("codex");
        RegisteredAgent gemini = registered("gemini");
        for (String id : List.of("T-1", "T-2", "T-3", "T-4", "T-5")) {
            storedTask(id);
        }
        tasks().startAttempt(new AttemptStart("T-1", codex.id(), "codex", Mode.AUTO, "implement", null, "o-1", "m-1",
                ""), clock.instant());
        tasks().startAttempt(new AttemptStart("T-2", codex.id(), "codex", Mode.AUTO, "implement", null, "o-2", "m-2",
                ""), clock.instant());
        tasks().startAttempt(new AttemptStart("T-3", gemini.id(), "gemini", Mode.AUTO, "implement", null, "o-1",
                "m-3", ""), clock.instant());
        start("T-4", codex);
        tasks().startAttempt(new AttemptStart("T-5", codex.id(), "codex", Mode.AUTO, "implement", null, "o-2", "m-5",
                ""), clock.instant());
        tasks().finishAttempt("T-5", 1, AttemptState.SUCCEEDED, clock.instant());

        // o-2's attempt on codex and the one recorded under no orchestrator; o-1's, and o-2's finished one, not.
        assertThat(tasks().inFlightByAgentOfOthers("o-1")).containsOnly(Map.entry(codex.id(), 2));
        assertThat(tasks().inFlightByAgentOfOthers("o-2"))
                .containsOnly(Map.entry(codex.id(), 2), Map.entry(gemini.id(), 1));
        assertThat(tasks().inFlightByAgentOfOthers("o-3")).isEqualTo(tasks().inFlightByAgent());
    }

    @Test
    void theLastSuccessPerRegisteredAgentHonoursTheWorkTypeAndTheSinceBound() {
        RegisteredAgent codex = registered("codex");
        RegisteredAgent gemini = registered("gemini");
        RegisteredAgent aider = registered("aider");
        RegisteredAgent claude = registered("claude");
        Instant since = clock.instant();
        // codex: succeeded twice within the window; the later one counts.
        finishedAttempt("T-1", codex, "implement", AttemptState.SUCCEEDED, since);
        finishedAttempt("T-2", codex, "implement", AttemptState.SUCCEEDED, since.plusSeconds(60));
        // gemini: one success just before the window, one failure inside it.
        finishedAttempt("T-3", gemini, "implement", AttemptState.SUCCEEDED, since.minusMillis(1));
        finishedAttempt("T-4", gemini, "implement", AttemptState.FAILED, since.plusSeconds(5));
        // aider: succeeded inside the window, but at another work type; and one still running.
        finishedAttempt("T-5", aider, "code-review", AttemptState.SUCCEEDED, since.plusSeconds(5));
        storedTask("T-6");
        start("T-6", aider);
        // claude: succeeded before the window, then again inside it.
        finishedAttempt("T-7", claude, "implement", AttemptState.SUCCEEDED, since.minusSeconds(3_600));
        finishedAttempt("T-8", claude, "implement", AttemptState.SUCCEEDED, since.plusMillis(1));
        // cursor: succeeded inside the window, then was removed from the registry; routing never asks for it.
        RegisteredAgent cursor = registered("cursor");
        finishedAttempt("T-9", cursor, "implement", AttemptState.SUCCEEDED, since.plusSeconds(2));
        assertThat(store.agents().remove("cursor")).isTrue();

        assertThat(tasks().lastSuccessByAgent("implement", since))
                .containsOnlyKeys(codex.id(), claude.id())
                .containsEntry(codex.id(), since.plusSeconds(60))
                .containsEntry(claude.id(), since.plusMillis(1));
        assertThat(tasks().lastSuccessByAgent("code-review", since)).containsOnlyKeys(aider.id());
        assertThat(tasks().lastSuccessByAgent("implement", since.plusSeconds(61))).isEmpty();
    }

    @Test
    void theAgentsThatFailedATaskAreThoseWhoseAttemptsFailedTimedOutOrWereAbandoned() {
        storedTask("T-1");
        storedTask("T-2");
        List<AttemptState> outcomes = List.of(AttemptState.FAILED, AttemptState.TIMED_OUT, AttemptState.ABANDONED,
                AttemptState.CANCELLED, AttemptState.SUCCEEDED);
        List<String> names = List.of("a-failed", "b-timed-out", "c-abandoned", "d-cancelled", "e-succeeded");
        for (int i = 0; i < outcomes.size(); i++) {
            start("T-1", registered(names.get(i)));
            tasks().finishAttempt("T-1", i + 1, outcomes.get(i), clock.instant());
        }
        start("T-1", registered("f-running"));
        start("T-2", registered("g-other-task"));
        tasks().finishAttempt("T-2", 1, AttemptState.FAILED, clock.instant());

        assertThat(tasks().agentsThatFailed("T-1")).containsExactlyInAnyOrder("a-failed", "b-timed-out", "c-abandoned");
        assertThat(tasks().agentsThatFailed("T-3")).isEmpty();
    }

    @Test
    void ofAttemptsStartedAtOnceOnOneTaskExactlyOneStarts() throws Exception {
        storedTask("T-1");
        RegisteredAgent codex = registered("codex");
        int threads = 4;
        int rounds = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Integer> numbers = new ArrayList<>();
        try {
            for (int round = 0; round < rounds; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    results.add(pool.submit(() -> {
                        go.await();
                        try {
                            return start("T-1", codex).number();
                        } catch (IllegalStateException inFlight) {
                            return null;
                        }
                    }));
                }
                go.countDown();
                List<Integer> started = new ArrayList<>();
                for (Future<Integer> result : results) {
                    Integer number = result.get(60, TimeUnit.SECONDS);
                    if (number != null) {
                        started.add(number);
                    }
                }
                assertThat(started).as("round %d", round).hasSize(1);
                numbers.add(started.getFirst());
                tasks().finishAttempt("T-1", started.getFirst(), AttemptState.FAILED, clock.instant());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(numbers).containsExactlyElementsOf(IntStream.rangeClosed(1, rounds).boxed().toList());
        assertThat(tasks().attempts("T-1")).extracting(Attempt::number).containsExactlyElementsOf(numbers);
    }

    @Test
    void aTasksRunIsItsTaskOptionsStatusAndHandoffAsReadOneByOne() {
        storedTask(aTask().withId("T-1").titled("Read at once").ofWorkType("implement"));
        TaskOptions options = new TaskOptions("/work/dir", 2.5, null, "codex", java.util.Set.of("aider"), null, null);
        tasks().submit(tasks().loadTask("T-1").orElseThrow(), options, false, clock.instant());
        tasks().requestHandoff("T-1", Handoff.requested("beta", "Use the existing Clock.", clock.instant()));

        TaskStore.TaskRun run = tasks().taskRun("T-1").orElseThrow();

        assertThat(run.task()).isEqualTo(tasks().loadTask("T-1").orElseThrow());
        assertThat(run.options()).isEqualTo(tasks().taskOptions("T-1").orElseThrow());
        assertThat(run.status()).isEqualTo(tasks().taskStatus("T-1").orElseThrow());
        assertThat(run.handoff()).isEqualTo(tasks().handoff("T-1").orElseThrow());
        assertThat(run.options().prefer()).isEqualTo("codex");
        storedTask("T-2");
        assertThat(tasks().taskRun("T-2").orElseThrow().handoff()).isNull();
        assertThat(tasks().taskRun("T-404")).isEmpty();
    }

    @Test
    void aBatchRecordsEveryDecisionAndStartsItsAttemptsInOrder() {
        storedTask("T-1");
        storedTask("T-2");
        storedTask("T-3");
        RegisteredAgent codex = registered("codex");
        RegisteredAgent claude = registered("claude-code");
        RoutingDecision toCodex = aDecision().forTask("T-1").candidate("codex", codex.id()).build();
        RoutingDecision nobody = aDecision().forTask("T-2").because("No agent could take T-2.").build();
        RoutingDecision toClaude = aDecision().forTask("T-3").candidate("claude-code", claude.id()).build();

        List<StartResult> results = tasks().startAttempts(List.of(
                new DecidedStart(toCodex, batchStart("T-1", codex, "m-1"), null),
                DecidedStart.only(nobody),
                new DecidedStart(toClaude, batchStart("T-3", claude, "m-3"), null)), clock.instant());

        assertThat(results).hasSize(3);
        assertThat(results).extracting(StartResult::decisionId).isSorted().doesNotHaveDuplicates();
        assertThat(results.get(1).attempt()).isNull();
        assertThat(results.get(1).refused()).isNull();
        for (int i : List.of(0, 2)) {
            StartResult result = results.get(i);
            assertThat(result.refused()).isNull();
            String taskId = result.attempt().taskId();
            assertThat(result.attempt().number()).isEqualTo(1);
            assertThat(tasks().attempts(taskId)).containsExactly(result.attempt());
            AttemptRecord record = tasks().attemptRecords(taskId).getFirst();
            // Each attempt carries the id of the decision recorded with it, and its own marker.
            assertThat(record.decisionId()).isEqualTo(result.decisionId());
            assertThat(record.marker()).isEqualTo("m-" + taskId.substring(2));
            assertThat(tasks().taskStatus(taskId).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
        }
        assertThat(store.decisions().find(DecisionQuery.all().forTask("T-2")))
                .extracting(DecisionLog.StoredDecision::id, stored -> stored.decision().reason())
                .containsExactly(Tuple.tuple(results.get(1).decisionId(), "No agent could take T-2."));
        assertThat(store.decisions().find(DecisionQuery.all().forTask("T-3")))
                .extracting(DecisionLog.StoredDecision::id).containsExactly(results.get(2).decisionId());
        assertThat(tasks().taskStatus("T-2").orElseThrow().state()).isEqualTo(TaskState.QUEUED);
        assertThat(tasks().inFlightByAgent()).containsOnly(Map.entry(codex.id(), 1), Map.entry(claude.id(), 1));
    }

    @Test
    void aStartTheStoreRefusesIsRefusedAloneAndItsDecisionIsKept() {
        storedTask("T-1");
        storedTask("T-2");
        storedTask("T-3");
        RegisteredAgent codex = registered("codex");
        registered("beta");
        start("T-1", codex);
        tasks().requestHandoff("T-3", Handoff.requested("beta", "", clock.instant()));

        List<StartResult> results = tasks().startAttempts(List.of(
                new DecidedStart(aDecision().forTask("T-1").candidate("codex", codex.id()).build(),
                        batchStart("T-1", codex, null), null),
                new DecidedStart(aDecision().forTask("T-2").candidate("codex", codex.id()).build(),
                        batchStart("T-2", codex, null), null),
                new DecidedStart(aDecision().forTask("T-3").candidate("codex", codex.id()).build(),
                        batchStart("T-3", codex, null), null)), clock.instant());

        // T-1 has an attempt in flight; T-3 waits for its handoff to beta: each is refused as startAttempt refuses it.
        assertThat(results.get(0).attempt()).isNull();
        assertThat(results.get(0).refused()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in flight");
        assertThat(results.get(2).refused()).isInstanceOf(HandoffPendingException.class);
        assertThat(results.get(1).attempt().taskId()).isEqualTo("T-2");
        assertThat(tasks().attempts("T-1")).hasSize(1);
        assertThat(tasks().attempts("T-2")).hasSize(1);
        assertThat(tasks().attempts("T-3")).isEmpty();
        assertThat(tasks().taskStatus("T-3").orElseThrow().state()).isEqualTo(TaskState.QUEUED);
        for (String taskId : List.of("T-1", "T-2", "T-3")) {
            assertThat(store.decisions().find(DecisionQuery.all().forTask(taskId))).as(taskId).hasSize(1);
        }
    }

    private static AttemptStart batchStart(String taskId, RegisteredAgent agent, String marker) {
        return new AttemptStart(taskId, agent.id(), agent.name(), Mode.AUTO, "implement", null, "o-1", marker, "");
    }

    private void finishedAttempt(String taskId, RegisteredAgent agent, String workType, AttemptState state,
            Instant finishedAt) {
        storedTask(taskId);
        Attempt attempt = start(taskId, agent, workType);
        assertThat(tasks().finishAttempt(taskId, attempt.number(), state, finishedAt)).isTrue();
    }
}
