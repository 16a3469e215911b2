package io.switchboard.bench;

import static io.switchboard.testkit.TaskBuilder.aTask;

import io.switchboard.core.agent.Adapter;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Availability;
import io.switchboard.core.config.Budgets;
import io.switchboard.core.config.ExecutionSettings;
import io.switchboard.core.config.RetryPolicy;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.execution.Dispatcher;
import io.switchboard.core.execution.SwitchboardListener;
import io.switchboard.core.port.AgentRunner;
import io.switchboard.core.routing.Router;
import io.switchboard.core.routing.RoutingPolicy;
import io.switchboard.core.routing.RoutingService;
import io.switchboard.core.routing.Rule;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskStatus;
import io.switchboard.core.task.TaskType;
import io.switchboard.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * Tasks accepted and run one after another, each to its end, as {@code switchboard orchestrate} runs them:
 * {@code store.submit}, then a {@link Dispatcher} wired as the CLI wires it (routing service, the store, the
 * runner, the system clock, the configuration's defaults) routes the task, records the decision, starts the
 * attempt, runs the agent and records the outcome with the agent's performance. One agent is declared, a
 * {@code command} agent that runs {@code true}, so every task goes to it and succeeds at its first attempt; it
 * takes up to {@value #MAX_CONCURRENCY} tasks at once.
 */
final class TaskLoop {
    /** As many at once as the benchmark's threads: a task never waits for the agent to be free. */
    static final int MAX_CONCURRENCY = 8;

    /** The agent every task goes to: the {@code command} adapter running {@code true}. */
    static final AgentProfile AGENT_DOING_NOTHING = new AgentProfile("noop", Adapter.COMMAND,
            AgentProfile.DEFAULT_AGENT_TYPE, null, List.of(), List.of(), List.of(), List.of(), 0.0,
            AgentProfile.DEFAULT_CONTEXT_LIMIT, Availability.LOCAL, MAX_CONCURRENCY, Map.of(),
            List.of("true"));

    private final Store store;
    private final Dispatcher dispatcher;
    private final String prefix;
    private final InstantSource clock = InstantSource.system();
    private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * @param name tells this loop's tasks and orchestrator apart from another's on the same store
     * @param workingDirectory where the agent runs
     */
    TaskLoop(Store store, AgentRunner runner, String name, Path workingDirectory) {
        this.store = store;
        this.prefix = name.toUpperCase(java.util.Locale.ROOT) + "-";
        SwitchboardConfig config = new SwitchboardConfig(List.of(AGENT_DOING_NOTHING), RoutingPolicy.defaults(),
                Rule.defaults(), RetryPolicy.defaults(), Budgets.UNLIMITED, Map.of(),
                SwitchboardConfig.DEFAULT_TASK_FOLDERS, List.of(), Map.of(), Map.of(), Map.of(),
                ExecutionSettings.defaults());
        store.sync(config.agents(), clock.instant());
        RoutingService routing = new RoutingService(store, store, store, store, store,
                new Router(config.policy(), config.rules()), clock);
        this.dispatcher = new Dispatcher(routing, store, store, store, runner, TaskLoop::sleepUntil, clock,
                SwitchboardListener.NONE, config, new Dispatcher.Settings("o-bench-" + name, workingDirectory,
                        System.getenv(), Map.of(), null, config.policy().halfLife(), null));
    }

    /** What this loop's task ids begin with. */
    String prefix() {
        return prefix;
    }

    /** Accepts one new task and runs it to its end; it must succeed. Several threads may call it at once. */
    void runOne() throws InterruptedException {
        run(submit());
    }

    /** Accepts one new task; returns its id. */
    String submit() {
        String id = prefix + next.getAndIncrement();
        store.submit(aTask().withId(id).titled("Do nothing").withPrompt("Do nothing.").ofType(TaskType.IMPLEMENT)
                .withEstimatedTokens(1_000).build(), TaskOptions.DEFAULTS, false, clock.instant());
        return id;
    }

    /** Runs a task accepted before to its end; it must succeed. Several threads may call it at once. */
    void run(String id) throws InterruptedException {
        TaskStatus status = dispatcher.run(id);
        if (status.state() != TaskState.SUCCEEDED) {
            throw new IllegalStateException("task " + id + " ended " + status.state() + ": " + status.reason());
        }
    }

    /** Nothing here waits (every task succeeds at once); the CLI's waiter sleeps on the real clock too. */
    private static void sleepUntil(Instant due) throws InterruptedException {
        long millis = Duration.between(Instant.now(), due).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}
