package io.switchboard.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptStart;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.attempt.OrchestratorRecord;
import io.switchboard.core.attempt.TaskMove;
import io.switchboard.core.port.TaskClaims;
import io.switchboard.core.task.TaskClaimedException;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.testkit.TaskBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskClaims} does, written once and run against each store: orchestrators sharing one database
 * beat, claim tasks no live orchestrator holds, release them, and find the attempts of those that went silent.
 *
 * <p>Whether an orchestrator is live is judged by the database's clock, which no test can move: staleness is waited
 * for (bounded, polled) with a window of a fraction of a second, and a window of a minute stands for "live". Due times
 * are the caller's clock, as they were written with it.
 */
public abstract class TaskClaimsContract extends StoreContract {
    private static final Duration LIVE = Duration.ofMinutes(1);
    private static final Duration SHORT = Duration.ofMillis(200);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** The task claims of the store {@link #newStore()} returned for this test. */
    protected abstract TaskClaims claims();

    /** Registers the orchestrator. */
    private void orchestrator(String id) {
        store.tasks().registerOrchestrator(new OrchestratorRecord(id, "host-" + id, 100, clock.instant(), null));
    }

    /** Registers the orchestrator and beats with the window. */
    private void beating(String id, Duration staleAfter) {
        orchestrator(id);
        assertThat(claims().beatOrchestrator(id, staleAfter)).isTrue();
    }

    /** Beats with a short window and waits, on the database's clock, until the window has passed. */
    private void stale(String id) {
        beating(id, SHORT);
        Instant beaten = store.workers().databaseNow();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> store.workers().databaseNow().isAfter(beaten.plus(SHORT)));
    }

    /** Stores queued tasks, one clock tick apart, in this order. */
    private List<String> queued(String... ids) {
        for (String id : ids) {
            store.tasks().submit(TaskBuilder.aTask().withId(id).build(), TaskOptions.DEFAULTS, false,
                    clock.instant());
            clock.tick(Duration.ofSeconds(1));
        }
        return List.of(ids);
    }

    @Test
    void anOrchestratorBeatsWhileRegisteredAndNotEnded() {
        assertThat(claims().beatOrchestrator("o-1", LIVE)).isFalse();

        orchestrator("o-1");
        assertThat(claims().beatOrchestrator("o-1", LIVE)).isTrue();
        store.tasks().endOrchestrator("o-1", clock.instant());

        assertThat(claims().beatOrchestrator("o-1", LIVE)).isFalse();
        assertThatThrownBy(() -> claims().beatOrchestrator("o-1", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was PT0S");
    }

    @Test
    void queuedTasksAreClaimedOldestFirstUpToTheLimitAndOnlyOnce() {
        beating("o-1", LIVE);
        beating("o-2", LIVE);
        queued("T-3", "T-1", "T-5", "T-2", "T-4");

        assertThat(claims().claimTasks("o-1", 2, clock.instant())).containsExactly("T-3", "T-1");
        assertThat(claims().claimTasks("o-2", 2, clock.instant())).containsExactly("T-5", "T-2");
        assertThat(claims().claimTasks("o-1", 2, clock.instant())).containsExactly("T-4");
        assertThat(claims().claimTasks("o-1", 2, clock.instant())).isEmpty();
        assertThat(claims().claimTasks("o-2", 10, clock.instant())).isEmpty();
        assertThatThrownBy(() -> claims().claimTasks("o-1", 0, clock.instant()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
    }

    @Test
    void tasksAcceptedAtTheSameTimeAreClaimedInOrderOfTheirIds() {
        beating("o-1", LIVE);
        for (String id : List.of("T-b", "T-c", "T-a")) {
            store.tasks().submit(TaskBuilder.aTask().withId(id).build(), TaskOptions.DEFAULTS, false,
                    clock.instant());
        }

        assertThat(claims().claimTasks("o-1", 10, clock.instant())).containsExactly("T-a", "T-b", "T-c");
    }

    @Test
    void onlyQueuedTasksAndWaitingOnesThatAreDueAreClaimed() {
        beating("o-1", LIVE);
        RegisteredAgent codex = registered("codex");
        queued("T-queued", "T-due", "T-later", "T-running", "T-cancelled", "T-succeeded");
        Instant now = clock.instant();
        store.tasks().moveTask("T-due", new TaskMove(TaskState.WAITING, "retry", now), now);
        store.tasks().moveTask("T-later", new TaskMove(TaskState.WAITING, "retry", now.plusMillis(1)), now);
        store.tasks().startAttempt("T-running", codex.id(), "codex", Mode.AUTO, "implement", now);
        store.tasks().moveTask("T-cancelled", TaskMove.to(TaskState.CANCELLED, "by hand"), now);
        store.tasks().moveTask("T-succeeded", TaskMove.to(TaskState.RUNNING, "ran"), now);
        store.tasks().moveTask("T-succeeded", TaskMove.to(TaskState.SUCCEEDED, "done"), now);

        assertThat(claims().claimTasks("o-1", 10, now)).containsExactly("T-queued", "T-due");
        // The waiting task is due at the caller's now, not the database's.
        assertThat(claims().claimTasks("o-1", 10, now.plusMillis(1))).containsExactly("T-later");
        assertThat(claims().claimTasks("o-1", 10, now.plusSeconds(3600))).isEmpty();
    }

    @Test
    void tasksOfALiveOrchestratorAreSkippedAndThoseOfAStaleEndedOrNeverBeatingOneAreTaken() {
        queued("T-live", "T-stale", "T-ended", "T-never", "T-free");
        beating("o-live", LIVE);
        assertThat(claims().claimTask("T-live", "o-live")).isTrue();
        beating("o-ended", LIVE);
        assertThat(claims().claimTask("T-ended", "o-ended")).isTrue();
        store.tasks().endOrchestrator("o-ended", clock.instant());
        orchestrator("o-never");
        assertThat(claims().claimTask("T-never", "o-never")).isTrue();
        beating("o-stale", LIVE);
        assertThat(claims().claimTask("T-stale", "o-stale")).isTrue();
        stale("o-stale");
        beating("o-new", LIVE);

        assertThat(claims().claimTasks("o-new", 10, clock.instant()))
                .containsExactly("T-stale", "T-ended", "T-never", "T-free");

        // Held by live orchestrators now: nobody else takes them, one by one or in a batch.
        assertThat(claims().claimTask("T-live", "o-new")).isFalse();
        assertThat(claims().claimTask("T-stale", "o-live")).isFalse();
        assertThat(claims().claimTasks("o-live", 10, clock.instant())).isEmpty();
        // A stale orchestrator that beats again is live, but what it held is taken.
        assertThat(claims().beatOrchestrator("o-stale", LIVE)).isTrue();
        assertThat(claims().claimTask("T-stale", "o-stale")).isFalse();
    }

    @Test
    void claimingOneTaskTakesItWhateverItsStateUnlessAnotherLiveOrchestratorHoldsIt() {
        beating("o-1", LIVE);
        beating("o-2", LIVE);
        RegisteredAgent codex = registered("codex");
        queued("T-1");
        store.tasks().startAttempt("T-1", codex.id(), "codex", Mode.AUTO, "implement", clock.instant());

        assertThat(claims().claimTask("T-1", "o-1")).isTrue();
        assertThat(claims().claimTask("T-1", "o-1")).isTrue();
        assertThat(claims().claimTask("T-1", "o-2")).isFalse();
        assertThat(claims().claimTask("T-unknown", "o-1")).isFalse();
    }

    @Test
    void anOrchestratorsClaimedTasksAreItsUnfinishedOnesOldestFirst() {
        beating("o-1", LIVE);
        beating("o-2", LIVE);
        queued("T-1", "T-2", "T-3", "T-4", "T-5");
        assertThat(claims().claimTasks("o-1", 3, clock.instant())).containsExactly("T-1", "T-2", "T-3");
        assertThat(claims().claimTask("T-5", "o-1")).isTrue();
        assertThat(claims().claimTask("T-4", "o-2")).isTrue();
        store.tasks().moveTask("T-2", TaskMove.to(TaskState.CANCELLED, "by hand"), clock.instant());

        assertThat(claims().claimedTasks("o-1")).containsExactly("T-1", "T-3", "T-5");
        assertThat(claims().claimedTasks("o-2")).containsExactly("T-4");
        assertThat(claims().releaseTasks("o-1")).isEqualTo(3);
        assertThat(claims().claimedTasks("o-1")).isEmpty();
        assertThat(claims().claimedTasks("o-unknown")).isEmpty();
    }

    @Test
    void releasingGivesUpTheUnfinishedTasksAtOnceAndAFinalTaskKeepsItsClaimant() {
        beating("o-1", LIVE);
        beating("o-2", LIVE);
        queued("T-1", "T-2", "T-3", "T-4");
        assertThat(claims().claimTasks("o-1", 3, clock.instant())).containsExactly("T-1", "T-2", "T-3");
        store.tasks().moveTask("T-3", TaskMove.to(TaskState.CANCELLED, "by hand"), clock.instant());
        assertThat(claims().claimTask("T-4", "o-2")).isTrue();

        assertThat(claims().releaseTasks("o-1")).isEqualTo(2);

        assertThat(claims().claimTasks("o-2", 10, clock.instant())).containsExactly("T-1", "T-2");
        assertThat(claims().claimTask("T-3", "o-2")).isFalse();
        assertThat(claims().releaseTasks("o-1")).isZero();
        assertThat(claims().releaseTasks("o-unknown")).isZero();
    }

    @Test
    void orphanedAttemptsAreThoseInFlightOfOrchestratorsThatBeatAndAreNoLongerLive() {
        RegisteredAgent codex = registered("codex");
        queued("T-live", "T-stale", "T-ended", "T-never", "T-finished");
        beating("o-live", LIVE);
        beating("o-ended", LIVE);
        orchestrator("o-never");
        beating("o-stale", LIVE);
        start("T-live", codex, "o-live");
        clock.tick(Duration.ofSeconds(1));
        start("T-stale", codex, "o-stale");
        clock.tick(Duration.ofSeconds(1));
        start("T-ended", codex, "o-ended");
        start("T-never", codex, "o-never");
        start("T-finished", codex, "o-stale");
        store.tasks().finishAttempt("T-finished", 1, AttemptState.FAILED, clock.instant());
        store.tasks().endOrchestrator("o-ended", clock.instant());
        assertThat(claims().orphanedAttempts()).extracting(record -> record.attempt().taskId())
                .containsExactly("T-ended");

        stale("o-stale");

        assertThat(claims().orphanedAttempts()).extracting(record -> record.attempt().taskId())
                .containsExactly("T-stale", "T-ended");
        assertThat(claims().orphanedAttempts()).extracting(AttemptRecord::orchestratorId)
                .containsExactly("o-stale", "o-ended");
        // It beats again: live, its attempt is its own again.
        assertThat(claims().beatOrchestrator("o-stale", LIVE)).isTrue();
        assertThat(claims().orphanedAttempts()).extracting(record -> record.attempt().taskId())
                .containsExactly("T-ended");
    }

    private void start(String taskId, RegisteredAgent agent, String orchestratorId) {
        store.tasks().startAttempt(new AttemptStart(taskId, agent.id(), agent.name(), Mode.AUTO, "implement", null,
                orchestratorId, null, ""), clock.instant());
    }

    @Test
    void onlyTheOrchestratorHoldingATasksClaimStartsItsAttempts() {
        beating("o-1", LIVE);
        beating("o-2", LIVE);
        RegisteredAgent codex = registered("codex");
        queued("T-1", "T-free");
        assertThat(claims().claimTask("T-1", "o-1")).isTrue();

        assertThatThrownBy(() -> start("T-1", codex, "o-2")).isInstanceOf(TaskClaimedException.class)
                .hasMessageContaining("claimed by orchestrator o-1");
        assertThat(store.tasks().attempts("T-1")).isEmpty();

        start("T-1", codex, "o-1");
        start("T-free", codex, "o-2");
        assertThat(store.tasks().attempts("T-1")).singleElement()
                .satisfies(attempt -> assertThat(attempt.state()).isEqualTo(AttemptState.RUNNING));
        assertThat(store.tasks().attempts("T-free")).hasSize(1);
    }

    @Test
    void twoOrchestratorsClaimingFromEightThreadsAtOnceNeverTakeTheSameTask() throws Exception {
        beating("o-1", LIVE);
        beating("o-2", LIVE);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 3; round++) {
                int first = round * 60;
                List<String> tasks = queued(IntStream.range(first, first + 60)
                        .mapToObj(i -> "T-%03d".formatted(i)).toArray(String[]::new));
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<List<String>>> claimers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String orchestratorId = t % 2 == 0 ? "o-1" : "o-2";
                    claimers.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        List<String> mine = new ArrayList<>();
                        for (List<String> batch = claims().claimTasks(orchestratorId, 3, clock.instant());
                                !batch.isEmpty(); batch = claims().claimTasks(orchestratorId, 3, clock.instant())) {
                            mine.addAll(batch);
                        }
                        return mine;
                    }));
                }
                List<String> o1 = new ArrayList<>();
                List<String> o2 = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    (t % 2 == 0 ? o1 : o2).addAll(claimers.get(t).get(60, TimeUnit.SECONDS));
                }

                List<String> all = new ArrayList<>(o1);
                all.addAll(o2);
                assertThat(all).as("round %s", round).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(tasks);
                // Each is held by the orchestrator it was handed to: the other one cannot take it.
                for (String task : o1) {
                    assertThat(claims().claimTask(task, "o-2")).as(task).isFalse();
                }
                for (String task : o2) {
                    assertThat(claims().claimTask(task, "o-1")).as(task).isFalse();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
