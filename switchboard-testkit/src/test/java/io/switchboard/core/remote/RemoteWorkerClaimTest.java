package io.switchboard.core.remote;

import static io.switchboard.testkit.AgentBuilder.anAgent;
import static io.switchboard.testkit.FakeAgentRunner.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.config.Budgets;
import io.switchboard.core.config.ExecutionSettings;
import io.switchboard.core.config.RetryPolicy;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.execution.AgentEnvironment;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.port.RemoteAttempts;
import io.switchboard.core.routing.RoutingPolicy;
import io.switchboard.core.routing.Rule;
import io.switchboard.testkit.FakeAgentRunner;
import io.switchboard.testkit.MutableClock;
import io.switchboard.testkit.store.InMemoryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** How a worker decides a claim the store may have committed without its answer reaching the worker. */
class RemoteWorkerClaimTest {
    private static final String WORKER = "w-1";
    private static final AttemptKey KEY = new AttemptKey("T-1", 1);

    private final MutableClock clock = new MutableClock();
    private final FakeAgentRunner runner = new FakeAgentRunner(clock);
    private final Attempts attempts = new Attempts();

    @Test
    void aClaimCommittedWhoseAnswerWasLostIsThisWorkersToRun() throws Exception {
        // The first try commits the claim, then the connection drops before the answer comes back.
        attempts.loseTheFirstAnswer = true;
        RemoteWorker worker = worker();

        worker.accept(message());

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> attempts.reports.size() == 1);
        assertThat(runner.agentsRun()).containsExactly("fake");
        assertThat(attempts.reports).containsExactly(KEY + " succeeded");
        assertThat(attempts.rung).containsExactly(KEY + " to o-1");
    }

    @Test
    void anAttemptClaimedByThisWorkerAlreadyIsADuplicateWhenNoTryFailed() throws Exception {
        // Claimed by this worker before (a delivery the broker hands over again): refused at the first try.
        attempts.claimedBy = WORKER;
        RemoteWorker worker = worker();

        worker.accept(message());

        assertThat(runner.agentsRun()).isEmpty();
        assertThat(attempts.reports).isEmpty();
        assertThat(attempts.claims).isEqualTo(1);
    }

    @Test
    void aClaimThisWorkerHoldsInTheStoreButDoesNotRunIsHandedBackAtTheNextRenewal() throws Exception {
        // The claim committed while its delivery was given up: the store says this worker holds it, nothing runs it.
        attempts.claimedBy = WORKER;
        RemoteWorker worker = worker();

        worker.renew();

        assertThat(runner.agentsRun()).isEmpty();
        assertThat(attempts.reports).containsExactly(KEY + " failed");
        assertThat(attempts.reasons).singleElement().satisfies(reason -> assertThat(reason)
                .contains("held a claim on it without running it"));
        // Handed back once: the store holds no claim of this worker's any more.
        worker.renew();
        assertThat(attempts.reports).hasSize(1);
    }

    @Test
    void aRunThatReportedAfterTheRenewalReadItsLeasesIsNotHandedBack() throws Exception {
        RemoteWorker worker = worker();
        worker.accept(message());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> worker.runningCount() == 0);
        assertThat(attempts.reports).containsExactly(KEY + " succeeded");
        // The renewal read the leases while the run still held its claim, and looks at its runs once it has ended.
        attempts.readBeforeTheReport = true;

        worker.renew();

        assertThat(attempts.reports).containsExactly(KEY + " succeeded");
        assertThat(attempts.reasons).isEmpty();
    }

    @Test
    void aClaimThisWorkerRunsIsRenewedNotHandedBack() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        RemoteWorker worker = worker();
        runner.script("fake", ok().onStart(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        worker.accept(message());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> runner.agentsRun().size() == 1);

        worker.renew();

        assertThat(attempts.reports).isEmpty();
        release.countDown();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> attempts.reports.size() == 1);
        assertThat(attempts.reports).containsExactly(KEY + " succeeded");
    }

    private RemoteWorker worker() {
        AgentProfile fake = anAgent("fake").profile();
        runner.script("fake", ok());
        SwitchboardConfig config = new SwitchboardConfig(List.of(fake), RoutingPolicy.defaults(), Rule.defaults(),
                RetryPolicy.defaults(), Budgets.UNLIMITED, Map.of(), SwitchboardConfig.DEFAULT_TASK_FOLDERS, List.of(),
                Map.of(), Map.of(), Map.of(), ExecutionSettings.defaults());
        return new RemoteWorker(WORKER, attempts, new InMemoryStore(), runner, config, List.of(fake),
                new AgentEnvironment(config, Map.of(), Map.of()), Path.of("/work/project"), Duration.ofMinutes(1),
                clock, (key, orchestrator) -> attempts.rung.add(key + " to " + orchestrator),
                RemoteWorker.WorkerListener.NONE);
    }

    private static WorkMessage message() {
        return WorkMessage.of(KEY.taskId(), KEY.number(), "fake", Mode.AUTO, new WorkMessage.Inline("Do it."), null,
                WorkPriority.NORMAL);
    }

    /** One attempt, sent by o-1: claimed at most once, by whoever comes first, as the store's guarded update does. */
    private final class Attempts implements RemoteAttempts {
        volatile boolean loseTheFirstAnswer;
        volatile String claimedBy;
        volatile int claims;
        volatile boolean reported;
        volatile boolean readBeforeTheReport;
        final List<String> reports = Collections.synchronizedList(new ArrayList<>());
        final List<String> reasons = Collections.synchronizedList(new ArrayList<>());
        final List<String> rung = Collections.synchronizedList(new ArrayList<>());

        @Override
        public synchronized Claim claim(AttemptKey attempt, String workerId, Duration lease) {
            claims++;
            if (claimedBy != null) {
                return Claim.refused(attempt + (claimedBy.equals(workerId) ? " is already claimed by worker "
                        : " is claimed by worker ") + claimedBy);
            }
            claimedBy = workerId;
            if (loseTheFirstAnswer) {
                loseTheFirstAnswer = false;
                throw new IllegalStateException("The database failed: Connection is closed");
            }
            return Claim.granted("o-1");
        }

        @Override
        public synchronized Optional<RemoteAttempt> remoteAttempt(AttemptKey attempt) {
            return Optional.of(new RemoteAttempt(attempt, "fake", "o-1",
                    claimedBy == null ? RemoteState.SENT : reported ? RemoteState.REPORTED : RemoteState.CLAIMED,
                    claimedBy,
                    clock.instant().plus(Duration.ofMinutes(1)), null));
        }

        @Override
        public synchronized Report report(AttemptKey attempt, String workerId, RunResult result) {
            reports.add(attempt + (result.succeeded() ? " succeeded" : " failed"));
            if (result.failure() != null) {
                reasons.add(result.failure().message());
            }
            reported = true;
            return Report.acceptedReport();
        }

        /**
         * The attempt while this worker's claim on it stands: claimed by it and not reported; or, with {@link
         * #readBeforeTheReport}, as a renewal that read the leases just before the report committed.
         */
        @Override
        public synchronized Set<AttemptKey> renew(String workerId, Duration lease) {
            return workerId.equals(claimedBy) && (!reported || readBeforeTheReport) ? Set.of(KEY) : Set.of();
        }

        @Override
        public List<RemoteAttempt> expire(String orchestratorId) {
            return List.of();
        }

        @Override
        public Optional<RemoteAttempt> revoke(AttemptKey attempt) {
            return Optional.empty();
        }

        @Override
        public List<ReportedResult> reportedResults(String taskId) {
            return List.of();
        }
    }
}
