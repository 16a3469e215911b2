package io.switchboard.testkit.store;

import static io.switchboard.testkit.DecisionBuilder.aDecision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptStart;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.attempt.DecidedStart;
import io.switchboard.core.attempt.OrchestratorRecord;
import io.switchboard.core.attempt.StartResult;
import io.switchboard.core.port.DecisionLog.DecisionQuery;
import io.switchboard.core.port.Outbox;
import io.switchboard.core.port.TaskClaims;
import io.switchboard.core.remote.OutboxRow;
import io.switchboard.core.remote.WorkMessage;
import io.switchboard.core.remote.WorkPriority;
import io.switchboard.core.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Outbox} does, written once and run against each store: messages kept whole until sent, the
 * relays' claims, reads and marks, and the start of an attempt written with its message in one transaction.
 *
 * <p>Claims are held by the database's clock, which no test can move: a claim's passing is waited for (bounded,
 * polled) with a hold of a fraction of a second, and a hold of a minute stands for "held".
 */
public abstract class OutboxContract extends StoreContract {
    private static final Duration CLAIM_WITHIN = Duration.ofMinutes(1);
    private static final Duration HELD = Duration.ofMinutes(1);
    private static final Duration SHORT = Duration.ofMillis(200);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** The outbox of the store {@link #newStore()} returned for this test. */
    protected abstract Outbox outbox();

    /** The orchestrators' claims of the same store: relays are named after orchestrators, whose beats they follow. */
    protected abstract TaskClaims claims();

    /** The start of an attempt on the agent, by orchestrator {@code o-1}: a remote attempt names its orchestrator. */
    private static AttemptStart remoteStart(String taskId, RegisteredAgent agent) {
        return new AttemptStart(taskId, agent.id(), agent.name(), Mode.AUTO, "implement", null, "o-1", null, "");
    }

    private static WorkMessage message(String taskId, int attempt, String agent) {
        return WorkMessage.of(taskId, attempt, agent, Mode.AUTO, new WorkMessage.Inline("Fix the login test"), null,
                WorkPriority.NORMAL);
    }

    @Test
    void anEmptyOutboxHasNothingPending() {
        assertThat(outbox().pending(10)).isEmpty();
        assertThat(outbox().countPending()).isZero();
    }

    @Test
    void messagesArePendingOldestFirstAndReadBackWhole() {
        Instant deadline = Instant.parse("2026-03-01T10:15:30.123456Z");
        WorkMessage inline = WorkMessage.of("T-1", 1, "codex", Mode.FULL_AUTO,
                new WorkMessage.Inline("Réparer le test « login » ✓\nline two"), deadline, WorkPriority.HIGHEST);
        WorkMessage referenced = WorkMessage.of("T-2", 3, "claude-code", Mode.PLAN,
                WorkMessage.Reference.toTask("T-2"), null, WorkPriority.LOWEST);
        WorkMessage third = message("T-3", 1, "codex");

        long first = outbox().enqueue(inline, clock.instant());
        clock.tick(Duration.ofSeconds(1));
        long second = outbox().enqueue(referenced, clock.instant());
        long last = outbox().enqueue(third, clock.instant());

        assertThat(first).isLessThan(second);
        assertThat(second).isLessThan(last);
        List<OutboxRow> pending = outbox().pending(10);
        assertThat(pending).extracting(OutboxRow::id).containsExactly(first, second, last);
        // The deadline is kept to the millisecond, as every instant in the store.
        assertThat(pending.getFirst().message()).isEqualTo(WorkMessage.of("T-1", 1, "codex", Mode.FULL_AUTO,
                new WorkMessage.Inline("Réparer le test « login » ✓\nline two"),
                Instant.parse("2026-03-01T10:15:30.123Z"), WorkPriority.HIGHEST));
        assertThat(pending.get(1).message()).isEqualTo(referenced);
        assertThat(pending.get(1).agent()).isEqualTo("claude-code");
        assertThat(pending.get(1).priority()).isEqualTo(WorkPriority.LOWEST);
        assertThat(pending.get(1).createdAt()).isEqualTo(clock.instant());
        assertThat(pending).extracting(OutboxRow::publishAttempts).containsOnly(0);
        assertThat(outbox().countPending()).isEqualTo(3);
    }

    @Test
    void pendingReturnsAtMostTheLimitOldestFirst() {
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(outbox().enqueue(message("T-" + i, 1, "codex"), clock.instant()));
        }

        assertThat(outbox().pending(2)).extracting(OutboxRow::id).containsExactly(ids.get(0), ids.get(1));
        assertThatThrownBy(() -> outbox().pending(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 0");
    }

    @Test
    void removingSentRowsTakesThemOutAndCountsOnlyThoseThatWereThere() {
        long a = outbox().enqueue(message("T-1", 1, "codex"), clock.instant());
        long b = outbox().enqueue(message("T-2", 1, "codex"), clock.instant());
        long c = outbox().enqueue(message("T-3", 1, "gemini"), clock.instant());

        assertThat(outbox().removeSent(List.of(a, c, c + 1_000))).isEqualTo(2);

        assertThat(outbox().pending(10)).extracting(OutboxRow::id).containsExactly(b);
        assertThat(outbox().countPending()).isEqualTo(1);
        // Gone is gone: removing again changes nothing, and no ids is nothing to do.
        assertThat(outbox().removeSent(List.of(a, c))).isZero();
        assertThat(outbox().removeSent(List.of())).isZero();
        assertThat(outbox().countPending()).isEqualTo(1);
    }

    @Test
    void aTurnRemovesWhatWasSentAndClaimsTheNextRowsInOneTransaction() {
        List<Long> ids = enqueued(5);
        assertThat(claimed("r-1", 2, HELD)).containsExactly(ids.get(0), ids.get(1));

        assertThat(outbox().removeSentAndClaim(List.of(ids.get(0), ids.get(1)), "r-1", 2, HELD, clock.instant()))
                .extracting(OutboxRow::id).containsExactly(ids.get(2), ids.get(3));

        assertThat(outbox().pending(10)).extracting(OutboxRow::id).containsExactly(ids.get(2), ids.get(3), ids.get(4));
        // Nothing left to claim still removes; a claim refused for its arguments removes nothing.
        assertThat(outbox().removeSentAndClaim(List.of(ids.get(2)), "r-2", 1, HELD, clock.instant()))
                .extracting(OutboxRow::id).containsExactly(ids.get(4));
        assertThat(outbox().removeSentAndClaim(List.of(ids.get(3)), "r-2", 1, HELD, clock.instant())).isEmpty();
        assertThatThrownBy(() -> outbox().removeSentAndClaim(List.of(ids.get(4)), "r-2", 0, HELD, clock.instant()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
        assertThatThrownBy(() -> outbox().removeSentAndClaim(List.of(ids.get(4)), " ", 1, HELD, clock.instant()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(outbox().pending(10)).extracting(OutboxRow::id).containsExactly(ids.get(4));
    }

    @Test
    void aBatchOfMoreIdsThanOneStatementTakesIsRemovedWhole() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            ids.add(outbox().enqueue(message("T-" + i, 1, "codex"), clock.instant()));
        }
        List<Long> allButTheLast = ids.subList(0, 149);

        assertThat(outbox().removeSent(allButTheLast)).isEqualTo(149);

        assertThat(outbox().pending(200)).extracting(OutboxRow::id).containsExactly(ids.getLast());
    }

    @Test
    void eachPublishAttemptIsCountedOnPendingRows() {
        long a = outbox().enqueue(message("T-1", 1, "codex"), clock.instant());
        long b = outbox().enqueue(message("T-2", 1, "codex"), clock.instant());
        long sent = outbox().enqueue(message("T-3", 1, "codex"), clock.instant());
        outbox().removeSent(List.of(sent));

        outbox().publishing(List.of(a, b, sent), clock.instant());
        outbox().publishing(List.of(a), clock.instant());
        outbox().publishing(List.of(), clock.instant());

        assertThat(outbox().pending(10)).extracting(OutboxRow::id, OutboxRow::publishAttempts)
                .containsExactly(Tuple.tuple(a, 2), Tuple.tuple(b, 1));
    }

    @Test
    void startingAnAttemptWritesItsMessageInTheSameTransaction() {
        RegisteredAgent codex = registered("codex");
        storedTask("T-1");

        Attempt attempt = outbox().startAttempt(remoteStart("T-1", codex), clock.instant(), CLAIM_WITHIN,
                started -> message(started.taskId(), started.number(), started.agentName()));

        assertThat(attempt.number()).isEqualTo(1);
        assertThat(attempt.state()).isEqualTo(AttemptState.RUNNING);
        assertThat(store.tasks().taskStatus("T-1").orElseThrow().state()).isEqualTo(TaskState.RUNNING);
        assertThat(store.tasks().attempts("T-1")).containsExactly(attempt);
        assertThat(outbox().pending(10)).extracting(OutboxRow::message)
                .containsExactly(message("T-1", 1, "codex"));
    }

    @Test
    void anAttemptThatCannotStartWritesNoMessage() {
        RegisteredAgent codex = registered("codex");
        storedTask("T-1");
        AttemptStart start = remoteStart("T-1", codex);
        outbox().startAttempt(start, clock.instant(), CLAIM_WITHIN,
                started -> message("T-1", started.number(), "codex"));

        // The first attempt is still in flight; an unknown task has none to start.
        assertThatThrownBy(() -> outbox().startAttempt(start, clock.instant(), CLAIM_WITHIN,
                started -> message("T-1", started.number(), "codex"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> outbox().startAttempt(remoteStart("T-9", codex), clock.instant(), CLAIM_WITHIN,
                started -> message("T-9", 1, "codex"))).isInstanceOf(IllegalStateException.class);

        assertThat(outbox().pending(10)).extracting(OutboxRow::message)
                .containsExactly(message("T-1", 1, "codex"));
        assertThat(store.tasks().attempts("T-1")).hasSize(1);
    }

    @Test
    void aMessageThatCannotBeMadeLeavesTheAttemptUnstarted() {
        RegisteredAgent codex = registered("codex");
        storedTask("T-1");

        assertThatThrownBy(() -> outbox().startAttempt(remoteStart("T-1", codex), clock.instant(), CLAIM_WITHIN,
                started -> {
                    throw new IllegalArgumentException("no prompt for " + started.taskId());
                })).isInstanceOf(IllegalArgumentException.class).hasMessage("no prompt for T-1");

        assertThat(store.tasks().attempts("T-1")).isEmpty();
        assertThat(store.tasks().taskStatus("T-1").orElseThrow().state()).isEqualTo(TaskState.QUEUED);
        assertThat(store.tasks().transitions("T-1")).hasSize(1);
        assertThat(outbox().countPending()).isZero();
        // And the task starts normally afterwards, as attempt 1.
        assertThat(outbox().startAttempt(remoteStart("T-1", codex), clock.instant(), CLAIM_WITHIN,
                started -> message("T-1", started.number(), "codex")).number()).isEqualTo(1);
    }

    @Test
    void aBatchStartsRemoteAttemptsWithTheirMessagesAndLocalOnesWithout() {
        RegisteredAgent codex = registered("codex");
        RegisteredAgent local = registered("local");
        storedTask("T-1");
        storedTask("T-2");
        storedTask("T-3");
        store.tasks().startAttempt("T-3", local.id(), "local", Mode.AUTO, "implement", clock.instant());

        List<StartResult> results = outbox().startAttempts(List.of(
                new DecidedStart(aDecision().forTask("T-1").candidate("codex", codex.id()).build(),
                        remoteStart("T-1", codex), sendTo("codex")),
                new DecidedStart(aDecision().forTask("T-2").candidate("local", local.id()).build(),
                        remoteStart("T-2", local), null),
                new DecidedStart(aDecision().forTask("T-3").candidate("codex", codex.id()).build(),
                        remoteStart("T-3", codex), sendTo("codex"))), clock.instant());

        assertThat(results.get(0).attempt().number()).isEqualTo(1);
        assertThat(results.get(1).attempt().number()).isEqualTo(1);
        // T-3's first attempt is still in flight: refused, and no message for it.
        assertThat(results.get(2).refused()).isInstanceOf(IllegalStateException.class);
        assertThat(outbox().pending(10)).extracting(OutboxRow::message).containsExactly(message("T-1", 1, "codex"));
        assertThat(store.tasks().attemptRecords("T-1").getFirst().decisionId()).isEqualTo(results.get(0).decisionId());
        assertThat(store.decisions().find(DecisionQuery.all().forTask("T-3"))).hasSize(1);
    }

    @Test
    void aBatchWhoseMessageCannotBeMadeOrWhoseRemoteStartIsUnfitWritesNothing() {
        RegisteredAgent codex = registered("codex");
        storedTask("T-1");
        storedTask("T-2");
        DecidedStart fine = new DecidedStart(aDecision().forTask("T-1").candidate("codex", codex.id()).build(),
                remoteStart("T-1", codex), sendTo("codex"));

        assertThatThrownBy(() -> outbox().startAttempts(List.of(fine, new DecidedStart(
                aDecision().forTask("T-2").candidate("codex", codex.id()).build(), remoteStart("T-2", codex),
                new DecidedStart.Send(CLAIM_WITHIN, started -> {
                    throw new IllegalArgumentException("no prompt for " + started.taskId());
                }))), clock.instant())).isInstanceOf(IllegalArgumentException.class).hasMessage("no prompt for T-2");
        assertThatThrownBy(() -> outbox().startAttempts(List.of(fine, new DecidedStart(
                aDecision().forTask("T-2").candidate("codex", codex.id()).build(),
                AttemptStart.of("T-2", codex.id(), "codex", Mode.AUTO, "implement"), sendTo("codex"))),
                clock.instant())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names none");

        assertThat(store.tasks().attempts("T-1")).isEmpty();
        assertThat(store.decisions().find(DecisionQuery.all())).isEmpty();
        assertThat(outbox().countPending()).isZero();
    }

    private static DecidedStart.Send sendTo(String agent) {
        return new DecidedStart.Send(CLAIM_WITHIN, started -> message(started.taskId(), started.number(), agent));
    }

    @Test
    void aRemoteAttemptNamesItsOrchestratorAndAClaimWindowOrNothingIsWritten() {
        RegisteredAgent codex = registered("codex");
        storedTask("T-1");

        // The orchestrator that starts a remote attempt is the one that expires its lease: it must be named.
        assertThatThrownBy(() -> outbox().startAttempt(AttemptStart.of("T-1", codex.id(), "codex", Mode.AUTO,
                "implement"), clock.instant(), CLAIM_WITHIN, started -> message("T-1", started.number(), "codex")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names none");
        for (Duration window : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
            assertThatThrownBy(() -> outbox().startAttempt(remoteStart("T-1", codex), clock.instant(), window,
                    started -> message("T-1", started.number(), "codex")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was " + window);
        }

        assertThat(store.tasks().attempts("T-1")).isEmpty();
        assertThat(outbox().countPending()).isZero();
    }

    @Test
    void rowsRemovedInAnyOrderLeaveTheRestInOrder() {
        List<Long> ids = LongStream.range(0, 10)
                .mapToObj(i -> outbox().enqueue(message("T-" + i, 1, "codex"), clock.instant())).toList();

        outbox().removeSent(List.of(ids.get(7), ids.get(2), ids.get(5)));

        assertThat(outbox().pending(3)).extracting(OutboxRow::id)
                .containsExactly(ids.get(0), ids.get(1), ids.get(3));
        assertThat(outbox().countPending()).isEqualTo(7);
    }

    private List<Long> enqueued(int count) {
        return IntStream.range(0, count).mapToObj(i -> outbox().enqueue(message("T-" + i, 1, "codex"),
                clock.instant())).toList();
    }

    private List<Long> claimed(String relayId, int limit, Duration hold) {
        return outbox().claimPending(relayId, limit, hold, clock.instant()).stream().map(OutboxRow::id).toList();
    }

    @Test
    void relaysClaimTheOldestRowsNobodyHoldsAndAreNeverGivenTheirOwnAgain() {
        List<Long> ids = enqueued(5);

        // The rows read back whole.
        assertThat(outbox().claimPending("r-1", 2, HELD, clock.instant())).extracting(OutboxRow::message)
                .containsExactly(message("T-0", 1, "codex"), message("T-1", 1, "codex"));
        assertThat(claimed("r-2", 2, HELD)).containsExactly(ids.get(2), ids.get(3));
        // A relay keeps what it claimed: it is given only what nobody holds, oldest first, up to the limit.
        assertThat(claimed("r-1", 10, HELD)).containsExactly(ids.get(4));
        assertThat(claimed("r-1", 10, HELD)).isEmpty();
        assertThat(claimed("r-2", 10, HELD)).isEmpty();
        assertThat(claimed("r-3", 10, HELD)).isEmpty();
        // The look at the backlog claims nothing and shows every pending row.
        assertThat(outbox().pending(10)).extracting(OutboxRow::id).containsExactlyElementsOf(ids);
    }

    @Test
    void aClaimCountsAPublishAttemptAndPublishingAgainCountsAnother() {
        List<Long> ids = enqueued(3);

        assertThat(outbox().claimPending("r-1", 2, HELD, clock.instant())).extracting(OutboxRow::publishAttempts)
                .containsExactly(1, 1);
        outbox().publishing(List.of(ids.get(0)), clock.instant());

        assertThat(outbox().pending(10)).extracting(OutboxRow::id, OutboxRow::publishAttempts).containsExactly(
                Tuple.tuple(ids.get(0), 2), Tuple.tuple(ids.get(1), 1), Tuple.tuple(ids.get(2), 0));
    }

    @Test
    void aClaimNamesItsRelayALimitAndAHold() {
        enqueued(1);

        assertThatThrownBy(() -> claimed(" ", 1, HELD)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was ' '");
        assertThatThrownBy(() -> claimed("r-1", 0, HELD)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 0");
        assertThatThrownBy(() -> outbox().renewClaims(" ", HELD)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was ' '");
        for (Duration hold : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
            assertThatThrownBy(() -> claimed("r-1", 1, hold))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was " + hold);
            assertThatThrownBy(() -> outbox().renewClaims("r-1", hold))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was " + hold);
        }
        // Nothing was claimed by the refused calls.
        assertThat(claimed("r-2", 1, HELD)).hasSize(1);
    }

    @Test
    void sentRowsAreNeverClaimedAndRemovingWorksWhoeverHoldsTheRow() {
        List<Long> ids = enqueued(3);
        assertThat(claimed("r-1", 2, HELD)).containsExactly(ids.get(0), ids.get(1));

        // The broker confirmed what r-1 published; removing is by id, and again is nothing.
        assertThat(outbox().removeSent(List.of(ids.get(0)))).isEqualTo(1);
        assertThat(outbox().removeSent(List.of(ids.get(0)))).isZero();

        assertThat(claimed("r-1", 10, HELD)).containsExactly(ids.get(2));
        assertThat(outbox().removeSent(List.of(ids.get(1), ids.get(2)))).isEqualTo(2);
        assertThat(claimed("r-1", 10, HELD)).isEmpty();
        assertThat(claimed("r-2", 10, HELD)).isEmpty();
        assertThat(outbox().countPending()).isZero();
    }

    @Test
    void aRelaysRowsGoToTheOthersOnceItsClaimHasPassedByTheDatabasesClock() {
        List<Long> ids = enqueued(3);
        assertThat(claimed("r-dead", 2, SHORT)).containsExactly(ids.get(0), ids.get(1));
        Instant claimedBy = store.workers().databaseNow();
        assertThat(claimed("r-2", 10, HELD)).containsExactly(ids.get(2));

        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> store.workers().databaseNow().isAfter(claimedBy.plus(SHORT)));

        assertThat(claimed("r-2", 10, HELD)).containsExactly(ids.get(0), ids.get(1));
        // They are r-2's now: the relay that went silent gets none of them back.
        assertThat(claimed("r-dead", 10, HELD)).isEmpty();
    }

    @Test
    void theRowsOfARelayWhoseOrchestratorEndedOrStoppedBeatingGoToTheOthersAtOnce() {
        List<Long> ids = enqueued(4);
        Instant registered = clock.instant();
        for (String orchestrator : List.of("o-ended", "o-silent", "o-live", "o-never-beat")) {
            store.tasks().registerOrchestrator(new OrchestratorRecord(orchestrator, "host", 1, registered, null));
        }
        claims().beatOrchestrator("o-silent", SHORT);
        claims().beatOrchestrator("o-live", HELD);
        Instant beaten = store.workers().databaseNow();
        // Each holds one row for a minute.
        assertThat(claimed("o-ended", 1, HELD)).containsExactly(ids.get(0));
        assertThat(claimed("o-silent", 1, HELD)).containsExactly(ids.get(1));
        assertThat(claimed("o-live", 1, HELD)).containsExactly(ids.get(2));
        assertThat(claimed("o-never-beat", 1, HELD)).containsExactly(ids.get(3));
        store.tasks().endOrchestrator("o-ended", clock.instant());

        // Ended: its row is free at once; the others' orchestrators may still be alive.
        assertThat(claimed("o-other", 10, HELD)).containsExactly(ids.get(0));

        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> store.workers().databaseNow().isAfter(beaten.plus(SHORT)));
        // Silent past its window: free. Live, or never having beaten (nothing says it is gone): still held.
        assertThat(claimed("o-other", 10, HELD)).containsExactly(ids.get(1));
        assertThat(claimed("r-unregistered", 10, HELD)).isEmpty();
    }

    @Test
    void aRelayKeepsItsRowsByRenewingItsClaimsBeforeTheyPass() {
        List<Long> ids = enqueued(3);
        assertThat(claimed("r-1", 2, SHORT)).containsExactly(ids.get(0), ids.get(1));
        assertThat(claimed("r-2", 1, SHORT)).containsExactly(ids.get(2));

        // Renewed for a minute: long after the first hold they are still r-1's; r-2's claim passes.
        assertThat(outbox().renewClaims("r-1", HELD)).isEqualTo(2);
        Instant renewed = store.workers().databaseNow();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> store.workers().databaseNow().isAfter(renewed.plus(SHORT)));

        assertThat(claimed("r-3", 10, HELD)).containsExactly(ids.get(2));
        // Sent rows are not held any more; a relay that holds nothing renews nothing.
        outbox().removeSent(List.of(ids.get(0)));
        assertThat(outbox().renewClaims("r-1", HELD)).isEqualTo(1);
        assertThat(outbox().renewClaims("r-2", HELD)).isZero();
        assertThat(outbox().renewClaims("r-unknown", HELD)).isZero();
    }

    @Test
    void releasingGivesUpOnlyTheRelaysPendingRowsAtOnce() {
        List<Long> ids = enqueued(5);
        assertThat(claimed("r-1", 3, HELD)).containsExactly(ids.get(0), ids.get(1), ids.get(2));
        assertThat(claimed("r-2", 1, HELD)).containsExactly(ids.get(3));
        outbox().removeSent(List.of(ids.get(1)));

        assertThat(outbox().releaseClaims("r-1")).isEqualTo(2);

        assertThat(claimed("r-3", 10, HELD)).containsExactly(ids.get(0), ids.get(2), ids.get(4));
        assertThat(outbox().releaseClaims("r-1")).isZero();
        assertThat(outbox().releaseClaims("r-unknown")).isZero();
        assertThat(claimed("r-1", 10, HELD)).isEmpty();
    }

    @Test
    void relaysClaimingFromEightThreadsAtOnceNeverGetTheSameRow() throws Exception {
        int relays = 4;
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 3; round++) {
                List<Long> rows = enqueued(120);
                // By relay: every row a claim gave it. A relay's threads share its claims, as a relay's steps do.
                Map<String, Set<Long>> given = new ConcurrentHashMap<>();
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<?>> claimers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String relayId = "r-" + t % relays;
                    Set<Long> mine = given.computeIfAbsent(relayId, id -> ConcurrentHashMap.newKeySet());
                    claimers.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        // As a relay does: ask for a few at a time, until a claim is not full (so no row was left
                        // that nobody else was claiming at that moment). It is never given a row twice.
                        while (true) {
                            List<Long> got = claimed(relayId, 3, HELD);
                            for (Long row : got) {
                                if (!mine.add(row)) {
                                    throw new AssertionError(relayId + " was given row " + row + " twice");
                                }
                            }
                            if (got.size() < 3) {
                                return null;
                            }
                        }
                    }));
                }
                for (Future<?> claimer : claimers) {
                    claimer.get(60, TimeUnit.SECONDS);
                }

                List<Long> all = new ArrayList<>();
                given.values().forEach(all::addAll);
                assertThat(all).as("round %s", round).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(rows);
                // Each row is held by the relay it was given to: no other relay is given it now.
                for (String relayId : given.keySet()) {
                    assertThat(outbox().renewClaims(relayId, HELD)).as(relayId).isEqualTo(given.get(relayId).size());
                }
                assertThat(claimed("r-late", rows.size(), HELD)).isEmpty();
                outbox().removeSent(rows);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
