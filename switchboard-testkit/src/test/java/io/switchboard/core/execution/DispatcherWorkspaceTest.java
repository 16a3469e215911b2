package io.switchboard.core.execution;

import static io.switchboard.testkit.AgentBuilder.anAgent;
import static io.switchboard.testkit.FakeAgentRunner.ok;
import static io.switchboard.testkit.TaskBuilder.aTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.config.Budgets;
import io.switchboard.core.config.ExecutionSettings;
import io.switchboard.core.config.RetryPolicy;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.routing.Router;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.routing.RoutingPolicy;
import io.switchboard.core.routing.RoutingService;
import io.switchboard.core.routing.Rule;
import io.switchboard.core.task.PlanRun;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskStatus;
import io.switchboard.testkit.FakeAgentRunner;
import io.switchboard.testkit.FakeAttemptWorkspaces;
import io.switchboard.testkit.MutableClock;
import io.switchboard.testkit.store.InMemoryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher with workspaces of its own for each attempt (against the fake workspaces and the in-memory store),
 * and several threads sharing agents that have a max concurrency.
 */
@org.junit.jupiter.api.Timeout(20)
class DispatcherWorkspaceTest {
    private static final Path PROJECT = Path.of("/work/project");
    private static final TaskOptions ISOLATED = new TaskOptions(PROJECT.toString(), null, null, null, Set.of(), null,
            null).withPlanRun(new PlanRun("sprint-3", List.of("T-0"), 2, true));

    private final MutableClock clock = new MutableClock();
    private final InMemoryStore store = new InMemoryStore();
    private final FakeAgentRunner runner = new FakeAgentRunner(clock);
    private final FakeAttemptWorkspaces workspaces = new FakeAttemptWorkspaces();
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private List<AgentProfile> agents = List.of(anAgent("alpha").specializedIn("implement").profile(),
            anAgent("beta").profile());
    private RetryPolicy retry = new RetryPolicy(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(60), 3, null);

    @Test
    void anIsolatedTasksAttemptIsStartedThenRunsInItsOwnWorkspaceAndRecordsWhatChanged() throws Exception {
        Task task = aTask().withId("T-1").verifiedBy("make check").build();
        List<AttemptState> atPrepare = new ArrayList<>();
        workspaces.onPrepare(() -> store.attemptRecords("T-1").forEach(r -> atPrepare.add(r.attempt().state())));

        TaskStatus status = run(task, ISOLATED);

        assertThat(status.state()).isEqualTo(TaskState.SUCCEEDED);
        // The attempt was in the store, running, before its workspace was asked for.
        assertThat(atPrepare).containsExactly(AttemptState.RUNNING);
        assertThat(workspaces.calls()).containsExactly("prepare T-1 1 in /work/project after [T-0]",
                "finish T-1 1 by alpha");
        assertThat(runner.requests().getFirst().workingDirectory())
                .isEqualTo(FakeAttemptWorkspaces.directoryOf("T-1", 1));
        assertThat(runner.verifyRequests().getFirst().workingDirectory())
                .isEqualTo(FakeAttemptWorkspaces.directoryOf("T-1", 1));
        assertThat(store.attemptRecords("T-1").getFirst().changes())
                .isEqualTo(FakeAttemptWorkspaces.changesOf("T-1", 1));
    }

    @Test
    void aTaskNotRunInAnIsolatedPlanRunsInItsWorkingDirectoryAsBefore() throws Exception {
        Task task = aTask().withId("T-1").build();

        run(task, ISOLATED.withPlanRun(new PlanRun("sprint-3", List.of(), 1, false)));
        run(aTask().withId("T-2").build(), new TaskOptions(PROJECT.toString(), null, null, null, Set.of(), null, null));

        assertThat(workspaces.calls()).isEmpty();
        assertThat(runner.requests()).extracting(RunRequest::workingDirectory).containsOnly(PROJECT);
        assertThat(store.attemptRecords("T-1").getFirst().changes()).isNull();
    }

    @Test
    void aWorkspaceThatCannotBeMadeForGoodFailsTheTaskWithoutRunningTheAgentOrBlamingIt() throws Exception {
        workspaces.failingToPrepare("T-1", false, "task T-1: the branches of its dependencies do not merge: "
                + "switchboard/b (task b) conflicts with HEAD (3f2a) in: README.md");

        TaskStatus status = run(aTask().withId("T-1").build(), ISOLATED);

        assertThat(status.state()).isEqualTo(TaskState.FAILED);
        assertThat(status.reason()).startsWith("cannot be run as given: its workspace could not be prepared: task T-1: "
                + "the branches of its dependencies do not merge");
        assertThat(runner.requests()).isEmpty();
        AttemptRecord attempt = store.attemptRecords("T-1").getFirst();
        assertThat(attempt.failure().type()).isEqualTo(FailureType.WORKSPACE);
        assertThat(attempt.failure().nonRetryable()).isTrue();
        assertThat(attempt.changes()).isNull();
        // The agent did nothing wrong: its record is untouched.
        assertThat(store.forWorkType("implement")).isEmpty();
    }

    @Test
    void aWorkspaceThatFailsForAPassingReasonIsTriedAgainAtTheNextAttempt() throws Exception {
        workspaces.failingToPrepare("T-1", true, "git worktree add failed: could not lock config file");

        TaskStatus status = run(aTask().withId("T-1").build(), ISOLATED);

        assertThat(status.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(store.attemptRecords("T-1")).extracting(r -> r.failure() == null ? "ok" : r.failure().type()
                .configName()).containsExactly("workspace", "ok");
        // The failure did not exclude alpha, which takes the retry.
        assertThat(runner.agentsRun()).containsExactly("alpha");
        assertThat(workspaces.calls()).containsExactly("prepare T-1 1 in /work/project after [T-0]",
                "prepare T-1 2 in /work/project after [T-0]", "finish T-1 2 by alpha");
    }

    @Test
    void changesThatCannotBeRecordedFailTheAttemptAndSaySo() throws Exception {
        workspaces.failingToFinish("T-1", true, "the worktree of task T-1 attempt 1 is on refs/heads/main instead "
                + "of switchboard/T-1");
        retry = new RetryPolicy(Duration.ZERO, 1.0, Duration.ZERO, 1, null);

        TaskStatus status = run(aTask().withId("T-1").build(), ISOLATED);

        assertThat(status.state()).isEqualTo(TaskState.FAILED);
        AttemptRecord attempt = store.attemptRecords("T-1").getFirst();
        assertThat(attempt.failure().type()).isEqualTo(FailureType.WORKSPACE);
        assertThat(attempt.changes().branch()).isEqualTo("switchboard/T-1");
        assertThat(attempt.changes().diffStat()).startsWith("its changes could not be recorded: the worktree of task");
    }

    /**
     * One agent that takes one attempt at a time, two threads: the second task waits in the process for the first
     * one's attempt to end, writes no waiting state, and never runs beside it.
     */
    @Test
    void aTaskWhoseAgentIsBusyWithThisDispatchersOtherAttemptWaitsInProcessUntilItEnds() throws Exception {
        agents = List.of(anAgent("solo").withMaxConcurrency(1).profile());
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch secondWaiting = new CountDownLatch(1);
        runner.script("solo", ok().onStart(() -> {
            firstRunning.countDown();
            await(secondWaiting);
        }));
        Dispatcher dispatcher = dispatcher(new SwitchboardListener() {
            @Override
            public void waitingForAgent(String taskId, String reason) {
                events.add("waiting for an agent " + taskId + ": " + reason);
                secondWaiting.countDown();
            }
        });
        store.submit(aTask().withId("T-1").build(), TaskOptions.DEFAULTS, false, clock.instant());
        store.submit(aTask().withId("T-2").build(), TaskOptions.DEFAULTS, false, clock.instant());
        AtomicReference<TaskStatus> first = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                first.set(dispatcher.run("T-1"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await(firstRunning);

        TaskStatus second = dispatcher.run("T-2");
        thread.join();

        assertThat(first.get().state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(second.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(events).containsExactly("waiting for an agent T-2: every capable agent is busy with this run's "
                + "other tasks; it starts when one of them ends");
        AttemptRecord one = store.attemptRecords("T-1").getFirst();
        AttemptRecord two = store.attemptRecords("T-2").getFirst();
        assertThat(two.attempt().startedAt()).isAfterOrEqualTo(one.attempt().finishedAt());
        assertThat(store.transitions("T-2")).extracting(t -> t.to()).doesNotContain("waiting");
        // Finding its agent busy decided nothing: the one decision on record is the one that started its attempt.
        assertThat(store.find(io.switchboard.core.port.DecisionLog.DecisionQuery.all().forTask("T-2")))
                .singleElement().satisfies(decision -> {
                    assertThat(decision.id()).isEqualTo(two.decisionId());
                    assertThat(decision.decision().chosenAgent()).contains("solo");
                });
    }

    /**
     * Two threads routing at once: each, once its decision is made, waits (up to a bound) for the other to decide
     * too before starting its attempt. Were routing and starting not one step, both would take the agent's one
     * slot; as they are, the second decision is only made once the first attempt has started, and finds it busy.
     */
    @Test
    void twoTasksRoutedAtOnceNeverTakeMoreThanTheAgentsSlots() throws Exception {
        agents = List.of(anAgent("solo").withMaxConcurrency(1).profile());
        CyclicBarrier bothDecided = new CyclicBarrier(2);
        List<Integer> inFlightAtStart = Collections.synchronizedList(new ArrayList<>());
        runner.script("solo", ok().onStart(() -> inFlightAtStart.add(store.inFlightAttempts().size())));
        Dispatcher dispatcher = dispatcher(new SwitchboardListener() {
            @Override
            public void decided(String taskId, long decisionId, RoutingDecision decision) {
                if (decision.chosen().isPresent()) {
                    try {
                        bothDecided.await(300, TimeUnit.MILLISECONDS);
                    } catch (BrokenBarrierException | TimeoutException e) {
                        // The other thread could not decide meanwhile: what the lock is for.
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        List<Thread> threads = new ArrayList<>();
        for (String id : List.of("T-1", "T-2")) {
            store.submit(aTask().withId(id).build(), TaskOptions.DEFAULTS, false, clock.instant());
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    dispatcher.run(id);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(inFlightAtStart).containsExactly(1, 1);
        assertThat(store.taskStatus("T-1").orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(store.taskStatus("T-2").orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private TaskStatus run(Task task, TaskOptions options) throws InterruptedException {
        store.submit(task, options, false, clock.instant());
        return dispatcher(SwitchboardListener.NONE).run(task.id());
    }

    private Dispatcher dispatcher(SwitchboardListener listener) {
        SwitchboardConfig config = new SwitchboardConfig(agents, RoutingPolicy.defaults(), Rule.defaults(), retry,
                Budgets.UNLIMITED, Map.of(), List.of(), List.of(), Map.of(), Map.of(), Map.of(),
                ExecutionSettings.defaults());
        store.sync(agents, clock.instant());
        RoutingService routing = new RoutingService(store, store, store, store, store,
                new Router(config.policy(), config.rules()), clock);
        return new Dispatcher(routing, store, store, store, runner, due -> {
            if (clock.instant().isBefore(due)) {
                clock.set(due);
            }
        }, clock, listener, config, new Dispatcher.Settings("orch-1", PROJECT, Map.of(), Map.of(), null,
                RoutingPolicy.defaults().halfLife(), workspaces));
    }
}
