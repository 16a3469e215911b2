package io.switchboard.core.plan;

import static io.switchboard.testkit.AgentBuilder.anAgent;
import static io.switchboard.testkit.FakeAgentRunner.fails;
import static io.switchboard.testkit.FakeAgentRunner.ok;
import static io.switchboard.testkit.TaskBuilder.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.config.Budgets;
import io.switchboard.core.config.ExecutionSettings;
import io.switchboard.core.config.RetryPolicy;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.execution.Dispatcher;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.SwitchboardListener;
import io.switchboard.core.routing.Router;
import io.switchboard.core.routing.RoutingPolicy;
import io.switchboard.core.routing.RoutingService;
import io.switchboard.core.routing.Rule;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.testkit.FakeAgentRunner;
import io.switchboard.testkit.MutableClock;
import io.switchboard.testkit.store.InMemoryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A plan run on threads, against the scripted runner and the in-memory store. */
@org.junit.jupiter.api.Timeout(20)
class PlanExecutionTest {
    private final MutableClock clock = new MutableClock();
    private final InMemoryStore store = new InMemoryStore();
    private final FakeAgentRunner runner = new FakeAgentRunner(clock);
    private final List<String> finished = Collections.synchronizedList(new ArrayList<>());
    private final SwitchboardListener listener = new SwitchboardListener() {
        @Override
        public void taskFinished(String taskId, TaskState state, String reason) {
            finished.add(taskId + " " + state.configName() + ": " + reason);
        }
    };
    // "worker" does everything but the work type "broken", which only "breaker" takes, and fails.
    private final List<AgentProfile> agents = List.of(
            anAgent("worker").capableOf("implement").withMaxConcurrency(8).profile(),
            anAgent("breaker").capableOf("broken").profile());

    /**
     * Each run, once started, waits (up to a bound) until a third is running beside it. With two at a time that
     * never happens; were the limit not kept, it would at once.
     */
    @Test
    void neverMoreThanParallelTasksRunAtOnce() {
        int[] running = {0};
        int[] most = {0};
        Object monitor = new Object();
        runner.script("worker", ok().onStart(() -> {
            synchronized (monitor) {
                running[0]++;
                most[0] = Math.max(most[0], running[0]);
                monitor.notifyAll();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(150);
                while (running[0] < 3 && System.nanoTime() < until) {
                    waitOn(monitor, until);
                }
                running[0]--;
            }
        }));
        List<Task> tasks = List.of(task("a"), task("b"), task("c"), task("d"), task("e"));

        Map<String, TaskState> states = execution(tasks, 2).run(Map.of());

        assertThat(most[0]).isEqualTo(2);
        assertThat(states).containsOnlyKeys("a", "b", "c", "d", "e").allSatisfy((id, state) ->
                assertThat(state).isEqualTo(TaskState.SUCCEEDED));
    }

    @Test
    void aFailedTaskSkipsOnlyTheTasksThatWaitForIt() {
        runner.script("breaker", fails(FailureType.EXIT_CODE, "exited with status 1"));
        List<Task> tasks = List.of(broken("a"), task("b", "a"), task("c", "b"), task("d"), task("e", "d"));

        Map<String, TaskState> states = execution(tasks, 3).run(Map.of());

        assertThat(states).isEqualTo(Map.of("a", TaskState.FAILED, "b", TaskState.CANCELLED,
                "c", TaskState.CANCELLED, "d", TaskState.SUCCEEDED, "e", TaskState.SUCCEEDED));
        assertThat(store.taskStatus("b").orElseThrow().reason()).isEqualTo("skipped: depends on a, which failed");
        assertThat(store.taskStatus("c").orElseThrow().reason())
                .isEqualTo("skipped: depends on b, which was skipped because a failed");
        assertThat(finished).contains("b cancelled: skipped: depends on a, which failed");
        // Nothing ran for the skipped tasks.
        assertThat(store.attempts("b")).isEmpty();
        assertThat(store.attempts("c")).isEmpty();
        assertThat(runner.requests()).extracting(r -> r.taskId()).containsExactlyInAnyOrder("a", "d", "e");
    }

    @Test
    void tasksThatEndedBeforeAreNotRunAndCountAsTheyEnded() {
        List<Task> tasks = List.of(task("a"), task("b", "a"), task("c"), task("d", "c"));

        Map<String, TaskState> states = execution(tasks, 2).run(Map.of("a", TaskState.SUCCEEDED,
                "c", TaskState.FAILED));

        assertThat(states).containsEntry("b", TaskState.SUCCEEDED).containsEntry("d", TaskState.CANCELLED);
        assertThat(runner.requests()).extracting(r -> r.taskId()).containsExactly("b");
    }

    @Test
    void aTaskRunByAnotherOrchestratorHoldsItsDependentsWithoutSkippingThem() {
        List<Task> tasks = List.of(task("a"), task("b", "a"), task("c"));
        PlanExecution execution = execution(tasks, 2);

        Map<String, TaskState> states = execution.run(Map.of("a", TaskState.RUNNING));

        assertThat(states).containsEntry("c", TaskState.SUCCEEDED).doesNotContainKey("b");
        assertThat(execution.held()).containsExactly("b");
        assertThat(store.taskStatus("b").orElseThrow().state()).isEqualTo(TaskState.QUEUED);
    }

    @Test
    void afterStopNoTaskStartsAndTheRunningOnesEnd() {
        List<Task> tasks = List.of(task("a"), task("b", "a"), task("c", "b"));
        PlanExecution[] execution = new PlanExecution[1];
        runner.script("worker", ok().onStart(() -> execution[0].stop()));
        execution[0] = execution(tasks, 1);

        Map<String, TaskState> states = execution[0].run(Map.of());

        assertThat(states).isEqualTo(Map.of("a", TaskState.SUCCEEDED));
        assertThat(store.taskStatus("b").orElseThrow().state()).isEqualTo(TaskState.QUEUED);
    }

    @Test
    void anErrorInATasksRunStopsThePlanAndIsThrownOnceTheRunningTasksEnded() {
        List<Task> tasks = List.of(task("a"), task("b", "a"), task("c"));
        PlanExecution execution = execution(tasks, 1);
        // Another orchestrator has an attempt of "a" in flight: the dispatcher refuses to run it.
        store.startAttempt("a", store.find("worker").orElseThrow().id(), "worker", Mode.AUTO, "implement",
                clock.instant());

        assertThatThrownBy(() -> execution.run(Map.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("task a has an attempt in flight");
        assertThat(runner.requests()).isEmpty();
        assertThat(store.taskStatus("c").orElseThrow().state()).isEqualTo(TaskState.QUEUED);
    }

    private PlanExecution execution(List<Task> tasks, int parallel) {
        SwitchboardConfig config = new SwitchboardConfig(agents, RoutingPolicy.defaults(), Rule.defaults(),
                new RetryPolicy(Duration.ZERO, 1.0, Duration.ZERO, 1, null), Budgets.UNLIMITED, Map.of(), List.of(),
                List.of(), Map.of(), Map.of(), Map.of(), ExecutionSettings.defaults());
        store.sync(agents, clock.instant());
        for (Task task : tasks) {
            store.submit(task, TaskOptions.DEFAULTS, false, clock.instant());
        }
        RoutingService routing = new RoutingService(store, store, store, store, store,
                new Router(config.policy(), config.rules()), clock);
        Dispatcher dispatcher = new Dispatcher(routing, store, store, store, runner, due -> { }, clock, listener,
                config, new Dispatcher.Settings("orch-1", Path.of("/work"), Map.of(), Map.of(), null,
                        RoutingPolicy.defaults().halfLife(), null));
        PlanGraph graph = PlanGraph.of(tasks.stream().map(PlanTask::of).toList(),
                dependency -> Optional.of("is missing"));
        return new PlanExecution(graph, parallel, dispatcher, false, store, clock, listener,
                Thread.ofPlatform().factory());
    }

    private static Task task(String id, String... dependencies) {
        return aTask().withId(id).ofWorkType("implement").dependingOn(dependencies).build();
    }

    private static Task broken(String id) {
        return aTask().withId(id).ofWorkType("broken").build();
    }

    private static void waitOn(Object monitor, long untilNanos) {
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(untilNanos - System.nanoTime()));
        try {
            monitor.wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
