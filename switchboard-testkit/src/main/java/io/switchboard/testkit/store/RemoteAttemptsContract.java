package io.switchboard.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptStart;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.execution.CapturedOutput;
import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.execution.Usage;
import io.switchboard.core.port.Outbox;
import io.switchboard.core.port.RemoteAttempts;
import io.switchboard.core.port.RemoteAttempts.Claim;
import io.switchboard.core.port.RemoteAttempts.Report;
import io.switchboard.core.remote.AttemptKey;
import io.switchboard.core.remote.RemoteAttempt;
import io.switchboard.core.remote.RemoteState;
import io.switchboard.core.remote.ReportedResult;
import io.switchboard.core.remote.WorkMessage;
import io.switchboard.core.remote.WorkPriority;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RemoteAttempts} does, written once and run against each store: the lease of an attempt sent to
 * remote workers, claimed once, renewed, reported or expired, each move one guarded update; and every reported
 * result kept, accepted or superseded with its reason.
 *
 * <p>Leases are the database's clock, which no test can move: a lease that must pass is a fraction of a second, waited
 * out with a bounded poll of {@link io.switchboard.core.port.WorkerRegistry#databaseNow()}; a lease of a minute
 * stands for one that holds. The races run many writers at once: on PostgreSQL they race for the attempt's row; on
 * SQLite, whose one writer takes them in turn, they check the same outcome.
 */
public abstract class RemoteAttemptsContract extends StoreContract {
    private static final Duration HOLDS = Duration.ofMinutes(1);
    private static final Duration SHORT = Duration.ofMillis(200);
    /** Long enough for a claim and a report to land in it, short enough to wait out. */
    private static final Duration MEDIUM = Duration.ofSeconds(1);
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final String ORCHESTRATOR = "o-1";

    /** The outbox of the store {@link #newStore()} returned for this test. */
    protected abstract Outbox outbox();

    /** Its remote attempts. */
    protected abstract RemoteAttempts remote();

    /** Starts the task's next attempt on codex, sent with its message, with a claim window. */
    private AttemptKey sent(String taskId, String orchestratorId, Duration claimWithin) {
        RegisteredAgent codex = store.agents().find("codex").orElseGet(() -> registered("codex"));
        if (store.tasks().findTask(taskId).isEmpty()) {
            storedTask(taskId);
        }
        Attempt attempt = outbox().startAttempt(new AttemptStart(taskId, codex.id(), "codex", Mode.AUTO, "implement",
                null, orchestratorId, null, ""), clock.instant(), claimWithin,
                started -> WorkMessage.of(started.taskId(), started.number(), "codex", Mode.AUTO,
                        WorkMessage.Reference.toTask(started.taskId()), null, WorkPriority.NORMAL));
        return new AttemptKey(attempt.taskId(), attempt.number());
    }

    private AttemptKey sent(String taskId) {
        return sent(taskId, ORCHESTRATOR, HOLDS);
    }

    /** Sent and claimed by the worker with a lease. */
    private AttemptKey claimed(String taskId, String orchestratorId, String workerId, Duration lease) {
        AttemptKey key = sent(taskId, orchestratorId, HOLDS);
        assertThat(remote().claim(key, workerId, lease).claimed()).isTrue();
        return key;
    }

    private RemoteAttempt remoteAttempt(AttemptKey key) {
        return remote().remoteAttempt(key).orElseThrow();
    }

    private Instant databaseNow() {
        return store.workers().databaseNow();
    }

    /** Waits, polling the database's clock, until every one of these leases has passed. */
    private void awaitPassed(AttemptKey... keys) {
        Instant latest = Instant.MIN;
        for (AttemptKey key : keys) {
            Instant until = remoteAttempt(key).leaseUntil();
            latest = until.isAfter(latest) ? until : latest;
        }
        Instant last = latest;
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> databaseNow().isAfter(last));
    }

    private void abandon(AttemptKey key) {
        assertThat(store.tasks().finishAttempt(key.taskId(), key.number(), AttemptState.ABANDONED, clock.instant()))
                .isTrue();
    }

    /** A failed run with every field set: a failure with a reset time, no exit status, a reported cost. */
    private static RunResult failedRun() {
        return new RunResult(
                new FailureInfo(FailureType.QUOTA, "usage limit reached", false, "resets at 5pm",
                        Instant.parse("2026-03-01T17:00:00.123Z")),
                null,
                Duration.ofMillis(61_234),
                new Usage(12_000, 3_400, 0.42),
                "session-7",
                "I could not finish: the quota ran out.",
                "codex-cli 0.50.1",
                new CapturedOutput("head\n… 1,200 bytes left out …\ntail", 9_876_543_210L, true),
                new CapturedOutput("Réessayez « plus tard » ✓", 27, false));
    }

    /** A run that succeeded: no failure, exit status 0, tokens but no reported cost. */
    private static RunResult succeededRun() {
        return new RunResult(null, 0, Duration.ofSeconds(42), new Usage(100, 20, null), null, "Done.", "",
                new CapturedOutput("ok", 2, false), CapturedOutput.EMPTY);
    }

    @Test
    void anAttemptStartedWithItsMessageIsSentWithAClaimWindowOfTheDatabasesClock() {
        Instant before = databaseNow();

        AttemptKey key = sent("T-1");

        Instant after = databaseNow();
        RemoteAttempt sent = remoteAttempt(key);
        assertThat(sent.key()).isEqualTo(new AttemptKey("T-1", 1));
        assertThat(sent.agent()).isEqualTo("codex");
        assertThat(sent.orchestratorId()).isEqualTo(ORCHESTRATOR);
        assertThat(sent.state()).isEqualTo(RemoteState.SENT);
        assertThat(sent.workerId()).isNull();
        assertThat(sent.result()).isNull();
        assertThat(sent.leaseUntil()).isBetween(before.plus(HOLDS), after.plus(HOLDS));
    }

    @Test
    void anAttemptRunLocallyOrUnknownHasNoRemoteSideAndIsNotClaimed() {
        RegisteredAgent codex = registered("codex");
        storedTask("T-1");
        store.tasks().startAttempt("T-1", codex.id(), "codex", Mode.AUTO, "implement", clock.instant());
        AttemptKey local = new AttemptKey("T-1", 1);
        AttemptKey unknown = new AttemptKey("T-9", 1);

        assertThat(remote().remoteAttempt(local)).isEmpty();
        assertThat(remote().remoteAttempt(unknown)).isEmpty();
        assertThat(remote().claim(local, "w-1", HOLDS))
                .isEqualTo(Claim.refused("T-1 attempt 1 was not sent to a remote worker: it runs locally"));
        assertThat(remote().claim(unknown, "w-1", HOLDS)).isEqualTo(Claim.refused("no T-9 attempt 1 is stored"));
        assertThat(remote().remoteAttempt(local)).isEmpty();
    }

    @Test
    void aSentAttemptIsClaimedOnceWithALeaseAndASecondClaimNamesTheWorkerThatHasIt() {
        AttemptKey key = sent("T-1");
        Instant before = databaseNow();

        // Granted, naming the orchestrator that sent it: the one the worker tells when the result is in.
        assertThat(remote().claim(key, "w-1", HOLDS)).isEqualTo(Claim.granted(ORCHESTRATOR));

        Instant after = databaseNow();
        RemoteAttempt claimed = remoteAttempt(key);
        assertThat(claimed.state()).isEqualTo(RemoteState.CLAIMED);
        assertThat(claimed.workerId()).isEqualTo("w-1");
        assertThat(claimed.leaseUntil()).isBetween(before.plus(HOLDS), after.plus(HOLDS));
        // A message delivered twice, to another worker or to the same one, is claimed once.
        Claim second = remote().claim(key, "w-2", HOLDS);
        assertThat(second.claimed()).isFalse();
        assertThat(second.reason()).isEqualTo("T-1 attempt 1 is claimed by worker w-1");
        assertThat(remote().claim(key, "w-1", HOLDS).reason()).isEqualTo(
                "T-1 attempt 1 is already claimed by worker w-1");
        assertThat(second.orchestratorId()).isNull();
        assertThat(remoteAttempt(key)).isEqualTo(claimed);
        // Another orchestrator's attempt names that one.
        assertThat(remote().claim(sent("T-2", "o-2", HOLDS), "w-1", HOLDS)).isEqualTo(Claim.granted("o-2"));
    }

    @Test
    void anAttemptNoLongerInFlightOrNoLongerCurrentIsNotClaimed() {
        AttemptKey first = sent("T-1");
        abandon(first);

        assertThat(remote().claim(first, "w-1", HOLDS))
                .isEqualTo(Claim.refused("T-1 attempt 1 is no longer in flight (abandoned)"));

        AttemptKey second = sent("T-1");
        assertThat(second.number()).isEqualTo(2);
        assertThat(remote().claim(first, "w-1", HOLDS))
                .isEqualTo(Claim.refused("T-1 attempt 1 is not the current attempt: attempt 2 is current"));
        assertThat(remote().claim(second, "w-1", HOLDS).claimed()).isTrue();
        assertThat(remoteAttempt(first).state()).isEqualTo(RemoteState.SENT);
    }

    @Test
    void anAttemptWhoseClaimWindowPassedIsNotClaimedAndOnceExpiredSaysSo() {
        AttemptKey key = sent("T-1", ORCHESTRATOR, SHORT);
        Instant window = remoteAttempt(key).leaseUntil();
        awaitPassed(key);

        assertThat(remote().claim(key, "w-1", HOLDS)).isEqualTo(Claim.refused(
                "T-1 attempt 1 was not claimed in time: its claim window passed at " + window));
        assertThat(remote().expire(ORCHESTRATOR)).extracting(RemoteAttempt::key).containsExactly(key);
        assertThat(remote().claim(key, "w-1", HOLDS))
                .isEqualTo(Claim.refused("T-1 attempt 1 expired: its lease passed at " + window));
        assertThat(remoteAttempt(key).state()).isEqualTo(RemoteState.EXPIRED);
    }

    @Test
    void leasesAndWindowsAreLongerThanZero() {
        AttemptKey key = sent("T-1");

        for (Duration lease : List.of(Duration.ZERO, Duration.ofMillis(-5))) {
            assertThatThrownBy(() -> remote().claim(key, "w-1", lease))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was " + lease);
            assertThatThrownBy(() -> remote().renew("w-1", lease))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was " + lease);
        }
        assertThat(remoteAttempt(key).state()).isEqualTo(RemoteState.SENT);
    }

    @Test
    void renewingExtendsTheLeasesTheWorkerStillHoldsAndLeavesOutTheOnesItLost() {
        AttemptKey held = claimed("T-1", ORCHESTRATOR, "w-1", HOLDS);
        AttemptKey abandoned = claimed("T-2", ORCHESTRATOR, "w-1", HOLDS);
        AttemptKey passed = claimed("T-3", ORCHESTRATOR, "w-1", SHORT);
        AttemptKey others = claimed("T-4", ORCHESTRATOR, "w-2", HOLDS);
        abandon(abandoned);
        awaitPassed(passed);
        Instant heldUntil = remoteAttempt(held).leaseUntil();
        RemoteAttempt othersBefore = remoteAttempt(others);
        RemoteAttempt passedBefore = remoteAttempt(passed);

        assertThat(remote().renew("w-1", HOLDS.multipliedBy(2))).containsExactly(held);

        assertThat(remoteAttempt(held).leaseUntil()).isAfter(heldUntil);
        assertThat(remoteAttempt(others)).isEqualTo(othersBefore);
        assertThat(remoteAttempt(passed)).isEqualTo(passedBefore);
        assertThat(remote().renew("w-unknown", HOLDS)).isEmpty();
        // A lease that passed is not brought back by a later renewal.
        assertThat(remote().renew("w-1", HOLDS)).containsExactly(held);
    }

    @Test
    void aReportByTheWorkerHoldingTheLeaseIsTheAttemptsResultAndReadsBackWhole() {
        AttemptKey key = claimed("T-1", ORCHESTRATOR, "w-1", HOLDS);
        Instant before = databaseNow();

        assertThat(remote().report(key, "w-1", failedRun())).isEqualTo(Report.acceptedReport());

        Instant after = databaseNow();
        RemoteAttempt reported = remoteAttempt(key);
        assertThat(reported.state()).isEqualTo(RemoteState.REPORTED);
        assertThat(reported.workerId()).isEqualTo("w-1");
        assertThat(reported.result()).isEqualTo(failedRun());
        assertThat(remote().reportedResults("T-1")).singleElement().satisfies(result -> {
            assertThat(result.key()).isEqualTo(key);
            assertThat(result.workerId()).isEqualTo("w-1");
            assertThat(result.accepted()).isTrue();
            assertThat(result.reason()).isEmpty();
            assertThat(result.reportedAt()).isBetween(before, after);
            assertThat(result.result()).isEqualTo(failedRun());
        });
        // Reported is final: no renewal, claim or expiry moves it.
        assertThat(remote().renew("w-1", HOLDS)).isEmpty();
        assertThat(remote().claim(key, "w-2", HOLDS))
                .isEqualTo(Claim.refused("T-1 attempt 1 was reported already, by worker w-1"));
    }

    @Test
    void anAttemptTheOrchestratorGivesUpExpiresAtOnceAndALaterReportIsSuperseded() {
        AttemptKey unclaimed = sent("T-1");
        AttemptKey running = claimed("T-2", ORCHESTRATOR, "w-1", HOLDS);

        assertThat(remote().revoke(unclaimed)).map(RemoteAttempt::state).contains(RemoteState.EXPIRED);
        assertThat(remote().revoke(running)).map(RemoteAttempt::state).contains(RemoteState.EXPIRED);

        assertThat(remote().claim(unclaimed, "w-1", HOLDS).claimed()).isFalse();
        assertThat(remote().report(running, "w-1", succeededRun()).accepted()).isFalse();
        assertThat(remote().renew("w-1", HOLDS)).isEmpty();
    }

    @Test
    void anAttemptItsWorkerReportedFirstStaysReportedWhenTheOrchestratorGivesItUp() {
        AttemptKey key = claimed("T-1", ORCHESTRATOR, "w-1", HOLDS);
        assertThat(remote().report(key, "w-1", failedRun()).accepted()).isTrue();

        RemoteAttempt after = remote().revoke(key).orElseThrow();

        assertThat(after.state()).isEqualTo(RemoteState.REPORTED);
        assertThat(after.result()).isEqualTo(failedRun());
        assertThat(remote().revoke(new AttemptKey("T-9", 1))).isEmpty();
    }

    @Test
    void aSuccessfulRunReadsBackWholeAndADurationIsKeptToTheMillisecond() {
        AttemptKey success = claimed("T-1", ORCHESTRATOR, "w-1", HOLDS);
        AttemptKey precise = claimed("T-2", ORCHESTRATOR, "w-1", HOLDS);
        RunResult run = succeededRun();
        RunResult nanos = new RunResult(null, 0, Duration.ofNanos(1_234_567_891), Usage.NONE, null, "", "", null,
                null);

        assertThat(remote().report(success, "w-1", run).accepted()).isTrue();
        assertThat(remote().report(precise, "w-1", nanos).accepted()).isTrue();

        assertThat(remoteAttempt(success).result()).isEqualTo(run);
        assertThat(remoteAttempt(precise).result().duration()).isEqualTo(Duration.ofMillis(1_234));
    }

    @Test
    void aReportByAWorkerNotHoldingTheLeaseIsKeptAsSupersededAndChangesNothing() {
        AttemptKey key = claimed("T-1", ORCHESTRATOR, "w-1", HOLDS);
        RemoteAttempt claimed = remoteAttempt(key);

        assertThat(remote().report(key, "w-2", succeededRun()))
                .isEqualTo(Report.superseded("T-1 attempt 1 is claimed by worker w-1"));

        assertThat(remoteAttempt(key)).isEqualTo(claimed);
        assertThat(remote().report(key, "w-1", failedRun()).accepted()).isTrue();
        assertThat(remote().reportedResults("T-1")).extracting(ReportedResult::workerId, ReportedResult::accepted,
                ReportedResult::reason).containsExactly(
                        tuple("w-2", false, "T-1 attempt 1 is claimed by worker w-1"),
                        tuple("w-1", true, ""));
        assertThat(remoteAttempt(key).result()).isEqualTo(failedRun());
    }

    @Test
    void aReportForAnAttemptNobodyClaimedIsSuperseded() {
        AttemptKey key = sent("T-1");

        assertThat(remote().report(key, "w-1", succeededRun()))
                .isEqualTo(Report.superseded("T-1 attempt 1 is not claimed by any worker"));
        assertThat(remoteAttempt(key).state()).isEqualTo(RemoteState.SENT);
    }

    @Test
    void aReportAfterTheLeasePassedIsSupersededWithTheTimeItPassed() {
        AttemptKey key = claimed("T-1", ORCHESTRATOR, "w-1", SHORT);
        Instant leaseUntil = remoteAttempt(key).leaseUntil();
        awaitPassed(key);

        Report report = remote().report(key, "w-1", succeededRun());

        assertThat(report).isEqualTo(Report.superseded("T-1 attempt 1: the lease passed at " + leaseUntil));
        RemoteAttempt after = remoteAttempt(key);
        assertThat(after.state()).isEqualTo(RemoteState.CLAIMED);
        assertThat(after.result()).isNull();
        assertThat(remote().reportedResults("T-1")).singleElement().satisfies(result -> {
            assertThat(result.accepted()).isFalse();
            assertThat(result.reason()).isEqualTo(report.reason());
            assertThat(result.result()).isEqualTo(succeededRun());
        });
    }

    @Test
    void aReportForAnAbandonedOrAnOlderAttemptIsSupersededAndKept() {
        AttemptKey first = claimed("T-1", ORCHESTRATOR, "w-1", HOLDS);
        abandon(first);

        assertThat(remote().report(first, "w-1", succeededRun()))
                .isEqualTo(Report.superseded("T-1 attempt 1 is no longer in flight (abandoned)"));

        AttemptKey second = claimed("T-1", ORCHESTRATOR, "w-2", HOLDS);
        assertThat(remote().report(first, "w-3", failedRun()))
                .isEqualTo(Report.superseded("T-1 attempt 1 is not the current attempt: attempt 2 is current"));
        assertThat(remote().report(second, "w-2", succeededRun()).accepted()).isTrue();

        assertThat(remote().reportedResults("T-1")).extracting(ReportedResult::key, ReportedResult::workerId,
                ReportedResult::accepted).containsExactly(
                        tuple(first, "w-1", false),
                        tuple(first, "w-3", false),
                        tuple(second, "w-2", true));
        assertThat(remoteAttempt(first).result()).isNull();
        assertThat(remoteAttempt(second).result()).isEqualTo(succeededRun());
        assertThat(remote().report(new AttemptKey("T-9", 1), "w-1", succeededRun()))
                .isEqualTo(Report.superseded("no T-9 attempt 1 is stored"));
    }

    @Test
    void reportingAgainStoresNothingNewAndReturnsTheFirstVerdict() {
        AttemptKey key = claimed("T-1", ORCHESTRATOR, "w-1", HOLDS);
        Report refused = remote().report(key, "w-2", succeededRun());
        assertThat(remote().report(key, "w-1", failedRun()).accepted()).isTrue();
        List<ReportedResult> before = remote().reportedResults("T-1");

        // A retry after a lost reply, whatever it carries and whatever happened since.
        assertThat(remote().report(key, "w-1", succeededRun())).isEqualTo(Report.acceptedReport());
        assertThat(remote().report(key, "w-2", failedRun())).isEqualTo(refused);

        assertThat(remote().reportedResults("T-1")).isEqualTo(before);
        assertThat(remoteAttempt(key).result()).isEqualTo(failedRun());
    }

    @Test
    void expiringMarksOnlyThisOrchestratorsInFlightAttemptsWhoseLeasePassedAndNeverAReportedOne() {
        AttemptKey neverClaimed = sent("T-1", ORCHESTRATOR, SHORT);
        AttemptKey silent = claimed("T-2", ORCHESTRATOR, "w-1", SHORT);
        AttemptKey held = claimed("T-3", ORCHESTRATOR, "w-1", HOLDS);
        AttemptKey reported = claimed("T-4", ORCHESTRATOR, "w-1", MEDIUM);
        assertThat(remote().report(reported, "w-1", succeededRun()).accepted()).isTrue();
        AttemptKey othersOrchestrator = claimed("T-5", "o-2", "w-1", SHORT);
        AttemptKey finished = claimed("T-6", ORCHESTRATOR, "w-1", SHORT);
        abandon(finished);
        RemoteAttempt neverClaimedBefore = remoteAttempt(neverClaimed);
        RemoteAttempt silentBefore = remoteAttempt(silent);
        awaitPassed(neverClaimed, silent, reported, othersOrchestrator, finished);

        List<RemoteAttempt> expired = remote().expire(ORCHESTRATOR);

        // As they were just before: whether anyone had claimed them shows.
        assertThat(expired).containsExactlyInAnyOrder(neverClaimedBefore, silentBefore);
        assertThat(expired).extracting(RemoteAttempt::workerId).containsExactlyInAnyOrder(null, "w-1");
        assertThat(remoteAttempt(neverClaimed).state()).isEqualTo(RemoteState.EXPIRED);
        assertThat(remoteAttempt(silent).state()).isEqualTo(RemoteState.EXPIRED);
        assertThat(remoteAttempt(held).state()).isEqualTo(RemoteState.CLAIMED);
        assertThat(remoteAttempt(reported).state()).isEqualTo(RemoteState.REPORTED);
        assertThat(remoteAttempt(reported).result()).isEqualTo(succeededRun());
        assertThat(remoteAttempt(othersOrchestrator).state()).isEqualTo(RemoteState.CLAIMED);
        assertThat(remoteAttempt(finished).state()).isEqualTo(RemoteState.CLAIMED);
        assertThat(remote().expire(ORCHESTRATOR)).isEmpty();
        // Its worker's late result is kept, superseded.
        assertThat(remote().report(silent, "w-1", succeededRun())).isEqualTo(Report.superseded(
                "T-2 attempt 1 expired: its lease passed at " + silentBefore.leaseUntil()));
        assertThat(remote().expire("o-2")).extracting(RemoteAttempt::key).containsExactly(othersOrchestrator);
    }

    @Test
    void manyWorkersClaimingOneAttemptAtOnceClaimItOnce() throws Exception {
        int workers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            for (int round = 0; round < 20; round++) {
                AttemptKey key = sent("T-" + round);
                CyclicBarrier start = new CyclicBarrier(workers);
                List<Future<Claim>> claims = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    String workerId = "w-" + w;
                    claims.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return remote().claim(key, workerId, HOLDS);
                    }));
                }
                List<Claim> done = new ArrayList<>();
                for (Future<Claim> claim : claims) {
                    done.add(claim.get(30, TimeUnit.SECONDS));
                }

                assertThat(done).filteredOn(Claim::claimed).as("round %s", round).hasSize(1);
                String winner = remoteAttempt(key).workerId();
                assertThat(winner).isEqualTo("w-" + done.indexOf(Claim.granted(ORCHESTRATOR)));
                assertThat(done).filteredOn(claim -> !claim.claimed()).extracting(Claim::reason)
                        .containsOnly(key + " is claimed by worker " + winner);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reportsAndExpiriesRacingAtTheEndOfTheLeasesNeverBothWin() throws Exception {
        // Many leases ending a millisecond or so apart; each worker reports at the end of its lease while the
        // orchestrator sweeps without pause, so reports and sweeps meet at the moment a lease passes, over and over.
        int attempts = 60;
        int reporters = 3;
        List<RemoteAttempt> leases = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            leases.add(remoteAttempt(claimed("T-%02d".formatted(i), ORCHESTRATOR, "w-1", Duration.ofMillis(500))));
        }
        Set<AttemptKey> reported = ConcurrentHashMap.newKeySet();
        Set<AttemptKey> superseded = ConcurrentHashMap.newKeySet();
        Set<AttemptKey> expired = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(reporters + 1);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int r = 0; r < reporters; r++) {
                int first = r;
                running.add(pool.submit(() -> {
                    for (int i = first; i < attempts; i += reporters) {
                        RemoteAttempt lease = leases.get(i);
                        Instant aim = lease.leaseUntil().minusMillis(1);
                        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(1))
                                .until(() -> !databaseNow().isBefore(aim));
                        boolean accepted = remote().report(lease.key(), "w-1", succeededRun()).accepted();
                        (accepted ? reported : superseded).add(lease.key());
                    }
                    return null;
                }));
            }
            running.add(pool.submit(() -> {
                Instant deadline = Instant.now().plus(PATIENCE.multipliedBy(3));
                while (reported.size() + expired.size() < attempts && Instant.now().isBefore(deadline)) {
                    remote().expire(ORCHESTRATOR).forEach(attempt -> assertThat(expired.add(attempt.key()))
                            .as("%s expired twice", attempt.key()).isTrue());
                }
                return null;
            }));
            for (Future<?> done : running) {
                done.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(reported).as("won by both the report and the expiry").doesNotContainAnyElementsOf(expired);
        assertThat(reported.size() + expired.size()).isEqualTo(attempts);
        for (RemoteAttempt lease : leases) {
            boolean reportWon = reported.contains(lease.key());
            assertThat(remoteAttempt(lease.key()).state()).as("%s", lease.key())
                    .isEqualTo(reportWon ? RemoteState.REPORTED : RemoteState.EXPIRED);
            assertThat(remote().reportedResults(lease.key().taskId())).singleElement()
                    .extracting(ReportedResult::accepted).as("%s", lease.key()).isEqualTo(reportWon);
        }
        assertThat(superseded).isEqualTo(expired);
    }
}
