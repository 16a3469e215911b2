package io.switchboard.core.execution;

import static io.switchboard.testkit.AgentBuilder.anAgent;
import static io.switchboard.testkit.AgentBuilder.idOf;
import static io.switchboard.testkit.FakeAgentRunner.fails;
import static io.switchboard.testkit.FakeAgentRunner.ok;
import static io.switchboard.testkit.TaskBuilder.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptOutcome;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.config.AgentLimits;
import io.switchboard.core.config.Budgets;
import io.switchboard.core.config.CooldownPolicy;
import io.switchboard.core.config.ExecutionSettings;
import io.switchboard.core.config.RetryPolicy;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.performance.AgentPerformance;
import io.switchboard.core.performance.Difficulty;
import io.switchboard.core.port.DecisionLog;
import io.switchboard.core.port.TaskClaims;
import io.switchboard.core.port.TaskStore;
import io.switchboard.core.routing.Cooldown;
import io.switchboard.core.routing.ExclusionReason;
import io.switchboard.core.routing.Placement;
import io.switchboard.core.routing.Router;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.routing.RoutingPolicy;
import io.switchboard.core.routing.RoutingService;
import io.switchboard.core.routing.Rule;
import io.switchboard.core.task.Handoff;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskStatus;
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
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The dispatcher against the in-memory store and a scripted runner, on a clock moved by hand: retries,
 * fallbacks, cooldowns, budgets, verification and learning, each asserted from what the store recorded.
 */
@org.junit.jupiter.api.Timeout(20)
class DispatcherTest {
    private static final Duration HALF_LIFE = RoutingPolicy.defaults().halfLife();

    private final MutableClock clock = new MutableClock();
    private final InMemoryStore store = new InMemoryStore();
    private final FakeAgentRunner runner = new FakeAgentRunner(clock);
    private final Recording listener = new Recording();

    // Three agents for implement work; "alpha" is the specialist the router picks first, then "beta".
    private List<AgentProfile> agents = List.of(
            anAgent("alpha").specializedIn("implement").strongAt("implement").costing(0.01).profile(),
            anAgent("beta").strongAt("implement").costing(0.002).profile(),
            anAgent("gamma").costing(0.001).profile());
    private RetryPolicy retry = new RetryPolicy(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(60), 3, null);
    private Budgets budgets = Budgets.UNLIMITED;
    private Map<String, List<String>> fallbacks = Map.of();
    private ExecutionSettings execution = ExecutionSettings.defaults();
    private Map<String, List<String>> agentEnv = Map.of();
    private Map<String, AgentLimits> agentLimits = Map.of();
    private Map<String, String> hostEnv = Map.of("PATH", "/usr/bin", "HOME", "/home/u", "SECRET_THING", "not-for-agents");
    private Double runBudget;
    /** Runs when the dispatcher waits for a due time, before the clock moves there. */
    private Runnable onWait = () -> { };
    /** Runs each time the dispatcher hands a batch of attempt starts to the store, before the store has it. */
    private Runnable beforeStarts = () -> { };
    /** Runs each time routing reads the attempts in flight for a batch, before the store has the read. */
    private Runnable beforeRouting = () -> { };
    /** Runs each time the dispatcher moves a task it could not start, before the store has the move. */
    private Runnable beforeMove = () -> { };
    /** The claims of orchestrators sharing the store, when a test has some; each task claimed is listed here. */
    private final List<String> claimed = Collections.synchronizedList(new ArrayList<>());
    private TaskClaims claims;
    /** The number of starts in each batch the dispatcher handed to the store, in order. */
    private final List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
    /** Each read of a task and of its attempts the dispatcher made, as "taskRun ID" and "attemptRecords ID". */
    private final List<String> reads = Collections.synchronizedList(new ArrayList<>());

    @Test
    void a_task_that_succeeds_first_time_is_recorded_with_its_outcome_and_the_agents_record() throws Exception {
        runner.script("alpha", ok().usage(1_000, 500, null).taking(Duration.ofSeconds(30)));
        Task task = aTask().ofType(io.switchboard.core.task.TaskType.IMPLEMENT).build();

        TaskStatus status = run(task);

        assertThat(status.state()).isEqualTo(TaskState.SUCCEEDED);
        List<AttemptRecord> attempts = store.attemptRecords(task.id());
        assertThat(attempts).singleElement().satisfies(record -> {
            assertThat(record.attempt().agentName()).isEqualTo("alpha");
            assertThat(record.attempt().state()).isEqualTo(AttemptState.SUCCEEDED);
            assertThat(record.inputTokens()).isEqualTo(1_000);
            // Tokens only: the cost is computed from the profile's price, 1.5k tokens at $0.01 per 1k.
            assertThat(record.cost()).isCloseTo(0.015, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(record.durationMs()).isEqualTo(30_000);
            assertThat(record.difficulty()).isEqualTo(Difficulty.STRAIGHTFORWARD);
            assertThat(record.agentVersion()).isEqualTo("alpha 1.0 (fake)");
            assertThat(record.decisionId()).isNotNull();
        });
        AgentPerformance alpha = store.forWorkType("implement").get(id("alpha"));
        assertThat(alpha.successes()).isEqualTo(1);
        assertThat(alpha.tokens()).isEqualTo(1_500);
        assertThat(listener.events).containsExactly("decided " + task.id() + " alpha", "started 1 alpha",
                "finished 1 succeeded", "task " + task.id() + " succeeded");
    }

    @Test
    void a_task_read_with_no_attempt_stored_is_routed_without_a_read_of_its_attempts() throws Exception {
        runner.script("alpha", ok());
        Task task = aTask().build();

        assertThat(run(task).state()).isEqualTo(TaskState.SUCCEEDED);

        assertThat(reads).containsExactly("taskRun " + task.id());
        assertThat(store.attemptRecords(task.id())).singleElement()
                .satisfies(record -> assertThat(record.attempt().state()).isEqualTo(AttemptState.SUCCEEDED));
    }

    @Test
    void a_reported_cost_is_recorded_as_reported() throws Exception {
        runner.script("alpha", ok().usage(1_000, 500, 0.42));
        Task task = aTask().build();

        run(task);

        assertThat(store.attemptRecords(task.id()).getFirst().cost()).isEqualTo(0.42);
    }

    @Test
    void a_failed_attempt_moves_the_task_to_the_next_best_agent_after_the_back_off() throws Exception {
        runner.script("alpha", fails(FailureType.EXIT_CODE, "exited with status 1"));
        Task task = aTask().build();
        Instant start = clock.instant();

        TaskStatus status = run(task);

        assertThat(status.state()).isEqualTo(TaskState.SUCCEEDED);
        List<AttemptRecord> attempts = store.attemptRecords(task.id());
        assertThat(attempts).extracting(record -> record.attempt().agentName()).containsExactly("alpha", "beta");
        assertThat(attempts).extracting(record -> record.attempt().number()).containsExactly(1, 2);
        assertThat(attempts.get(0).failure().type()).isEqualTo(FailureType.EXIT_CODE);
        assertThat(attempts.get(1).difficulty()).isEqualTo(Difficulty.TRICKY);
        // alpha ran 1 s, then the 2 s back-off was waited out before beta started.
        assertThat(attempts.get(1).attempt().startedAt()).isEqualTo(start.plusSeconds(3));
        List<RoutingDecision> decisions = decisionsFor(task.id());
        assertThat(decisions).extracting(RoutingDecision::retried).containsExactly(false, true);
        assertThat(decisions.get(1).exclusions()).anySatisfy(exclusion -> {
            assertThat(exclusion.agent()).isEqualTo("alpha");
            assertThat(exclusion.reason()).isEqualTo(io.switchboard.core.routing.ExclusionReason.FAILED_THIS_TASK);
        });
        assertThat(store.transitions(task.id())).extracting(t -> t.attempt() == null ? "task " + t.to()
                : "attempt " + t.attempt() + " " + t.to()).containsExactly("task queued", "task running",
                "attempt 1 running", "attempt 1 failed", "task waiting", "task running", "attempt 2 running",
                "attempt 2 succeeded", "task succeeded");
    }

    @Test
    void attempts_are_exhausted_after_the_policy_maximum_even_with_agents_left() throws Exception {
        agents = List.of(anAgent("a1").profile(), anAgent("a2").profile(), anAgent("a3").profile(),
                anAgent("a4").profile());
        for (String name : List.of("a1", "a2", "a3", "a4")) {
            runner.script(name, fails(FailureType.EXIT_CODE, "exited with status 1"));
        }
        Task task = aTask().build();

        TaskStatus status = run(task);

        assertThat(status.state()).isEqualTo(TaskState.FAILED);
        assertThat(status.reason()).contains("failed 3 of 3 attempts allowed");
        assertThat(runner.requests()).hasSize(3);
    }

    @Test
    void the_status_a_run_returns_is_the_one_its_last_attempt_stored() throws Exception {
        runner.script("alpha", ok(), fails(FailureType.INVALID_TASK, "the prompt holds a NUL byte"));
        Task succeeding = aTask().build();
        Task failing = aTask().build();

        TaskStatus succeeded = run(succeeding);
        clock.tick(Duration.ofSeconds(5));
        TaskStatus failed = run(failing);

        // The run returns what it committed rather than reading the task again: it must be what a read gives.
        assertThat(succeeded).isEqualTo(store.taskStatus(succeeding.id()).orElseThrow());
        assertThat(succeeded.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(failed).isEqualTo(store.taskStatus(failing.id()).orElseThrow());
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.updatedAt()).isAfter(succeeded.updatedAt());
    }

    @Test
    void an_invalid_task_fails_at_once_without_a_retry() throws Exception {
        runner.script("alpha", fails(FailureType.INVALID_TASK, "the prompt holds a NUL byte"));
        Task task = aTask().build();

        TaskStatus status = run(task);

        assertThat(status.state()).isEqualTo(TaskState.FAILED);
        assertThat(status.reason()).contains("cannot be run as given", "NUL byte");
        assertThat(runner.requests()).hasSize(1);
        // Not the agent's fault: its record is untouched.
        assertThat(store.forWorkType("implement")).doesNotContainKey(id("alpha"));
    }

    @Test
    void an_empty_pool_fails_at_once_with_a_clear_message_and_no_attempt() throws Exception {
        Task task = aTask().inPool("infra").build();

        TaskStatus status = run(task);

        assertThat(status.state()).isEqualTo(TaskState.FAILED);
        assertThat(status.reason()).contains("No agent can take task " + task.id(), "infra");
        assertThat(runner.requests()).isEmpty();
        assertThat(store.attempts(task.id())).isEmpty();
    }

    @Test
    void a_missing_binary_cools_the_agent_until_its_config_changes_and_does_not_use_up_an_attempt() throws Exception {
        agents = List.of(anAgent("a1").specializedIn("implement").profile(), anAgent("a2").profile(),
                anAgent("a3").profile(), anAgent("a4").profile());
        runner.script("a1", fails(FailureType.BINARY_MISSING, "program 'claude' not found on PATH"));
        runner.script("a2", fails(FailureType.EXIT_CODE, "exited with status 1"));
        runner.script("a3", fails(FailureType.EXIT_CODE, "exited with status 1"));
        Task task = aTask().build();

        TaskStatus status = run(task);

        // a1's failure did not count: a2 and a3 used two of three attempts, so a4 still got the third.
        assertThat(status.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(runner.agentsRun()).containsExactly("a1", "a2", "a3", "a4");
        Cooldown cooldown = store.active(clock.instant()).get(id("a1"));
        assertThat(cooldown.untilConfigChanges()).isTrue();
        assertThat(cooldown.configFingerprint()).isEqualTo(agents.getFirst().fingerprint());
        assertThat(cooldown.reason()).contains("binary_missing", "until its configuration changes");
    }

    @Test
    void a_quota_failure_cools_the_agent_until_its_reset_and_the_task_waits_for_it_when_no_one_else_can()
            throws Exception {
        agents = List.of(anAgent("solo").profile());
        Instant reset = clock.instant().plus(Duration.ofMinutes(45));
        runner.script("solo", fails(FailureType.QUOTA, "usage limit reached").resettingAt(reset), ok());
        Task task = aTask().build();

        TaskStatus status = run(task);

        assertThat(status.state()).isEqualTo(TaskState.SUCCEEDED);
        List<AttemptRecord> attempts = store.attemptRecords(task.id());
        assertThat(attempts).extracting(record -> record.attempt().agentName()).containsExactly("solo", "solo");
        // The second attempt started when the cooldown ended, not before.
        assertThat(attempts.get(1).attempt().startedAt()).isEqualTo(reset);
        assertThat(listener.events).anyMatch(event -> event.startsWith("waiting " + task.id() + " until " + reset
                + ": every capable agent is cooling down"));
    }

    @Test
    void a_quota_without_a_reset_time_cools_down_for_the_configured_default() throws Exception {
        execution = withCooldowns(new CooldownPolicy(Duration.ofMinutes(7), Duration.ofHours(1), 5,
                Duration.ofMinutes(10)));
        runner.script("alpha", fails(FailureType.RATE_LIMIT, "429"));
        Task task = aTask().build();
        Instant start = clock.instant();

        run(task);

        // alpha's run took 1 s; its cooldown runs 7 minutes from the end of that run.
        Cooldown cooldown = store.active(start.plusSeconds(1)).get(id("alpha"));
        assertThat(cooldown.until()).isEqualTo(start.plusSeconds(1).plus(Duration.ofMinutes(7)));
    }

    @Test
    void waiting_for_a_cooldown_gives_up_when_it_ends_after_the_deadline() throws Exception {
        agents = List.of(anAgent("solo").profile());
        runner.script("solo", fails(FailureType.QUOTA, "usage limit reached")
                .resettingAt(clock.instant().plus(Duration.ofHours(5))));
        Task task = aTask().build();
        Instant deadline = clock.instant().plus(Duration.ofHours(1));

        TaskStatus status = run(task, new TaskOptions(null, null, deadline, null, Set.of(), null, null));

        assertThat(status.state()).isEqualTo(TaskState.FAILED);
        assertThat(status.reason()).contains("after the deadline");
        assertThat(runner.requests()).hasSize(1);
    }

    @Test
    void an_agent_failing_more_than_half_of_its_recent_attempts_is_cooled_down() throws Exception {
        agents = List.of(anAgent("flaky").specializedIn("implement").profile(), anAgent("steady").profile());
        // flaky: ok, fail, ok, fail, fail over five tasks: 3 of 5 failed.
        runner.script("flaky", ok(), fails(FailureType.EXIT_CODE, "1"), ok(), fails(FailureType.EXIT_CODE, "1"),
                fails(FailureType.EXIT_CODE, "1"));
        List<Cooldown> seen = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            run(aTask().build());
            Cooldown cooldown = store.active(clock.instant()).get(id("flaky"));
            if (cooldown != null) {
                seen.add(cooldown);
            }
        }

        assertThat(seen).isNotEmpty();
        assertThat(seen.getFirst().reason()).isEqualTo("failed 3 of its last 5 attempts in 1h");
    }

    @Test
    void fallbacks_from_config_are_tried_when_routing_finds_no_candidate() throws Exception {
        agents = List.of(anAgent("alpha").capableOf("implement").profile(),
                anAgent("docs-bot").capableOf("documentation").profile());
        fallbacks = Map.of("alpha", List.of("docs-bot"));
        runner.script("alpha", fails(FailureType.EXIT_CODE, "exited with status 1"));
        Task task = aTask().build();

        TaskStatus status = run(task);

        assertThat(status.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(runner.agentsRun()).containsExactly("alpha", "docs-bot");
        RoutingDecision last = decisionsFor(task.id()).getLast();
        assertThat(last.chosenAgent()).contains("docs-bot");
        assertThat(last.reason()).startsWith("Fallback to docs-bot (config fallbacks): alpha failed attempt 1");
        assertThat(last.rule()).isEqualTo("fallback: alpha failed attempt 1");
    }

    @Test
    void a_failing_verification_fails_the_attempt_and_keeps_its_output() throws Exception {
        runner.verifications(fails(FailureType.VERIFY_FAILED, "exited with status 2").printing("3 tests failed"),
                ok().printing("all tests passed"));
        Task task = aTask().verifiedBy("mvn -q test").build();

        TaskStatus status = run(task);

        assertThat(status.state()).isEqualTo(TaskState.SUCCEEDED);
        List<AttemptRecord> attempts = store.attemptRecords(task.id());
        assertThat(attempts.get(0).failure().type()).isEqualTo(FailureType.VERIFY_FAILED);
        assertThat(attempts.get(0).failure().message()).contains("verification 'mvn -q test' failed");
        assertThat(attempts.get(0).verifyOutput()).contains("3 tests failed");
        assertThat(attempts.get(1).verifyOutput()).contains("all tests passed");
        assertThat(runner.verifyRequests()).extracting(VerifyRequest::argv)
                .containsOnly(List.of("mvn", "-q", "test"));
    }

    @Test
    void the_verify_command_of_the_work_type_is_used_when_the_task_names_none() throws Exception {
        execution = new ExecutionSettings(ExecutionSettings.DEFAULT_ENV_ALLOW_LIST, Duration.ofMinutes(5),
                Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofMinutes(2), Map.of("implement", "make check"),
                CooldownPolicy.defaults(), Set.of());

        run(aTask().build());

        assertThat(runner.verifyRequests()).singleElement().satisfies(request -> {
            assertThat(request.argv()).containsExactly("make", "check");
            assertThat(request.timeout()).isEqualTo(Duration.ofMinutes(2));
        });
    }

    @Test
    void the_time_limits_a_task_file_sets_reach_the_runner_over_the_agents_own() throws Exception {
        agentLimits = Map.of("alpha", new AgentLimits(Duration.ofMinutes(10), Duration.ofMinutes(3)));
        Task task = aTask().timingOutAfter(Duration.ofMinutes(45)).idleTimingOutAfter(Duration.ofSeconds(40)).build();

        run(task);

        assertThat(runner.requests()).singleElement().satisfies(request -> {
            assertThat(request.agent().name()).isEqualTo("alpha");
            assertThat(request.timeout()).isEqualTo(Duration.ofMinutes(45));
            assertThat(request.idleTimeout()).isEqualTo(Duration.ofSeconds(40));
        });
    }

    /**
     * Each row states limits at some levels (in seconds, {@code -} for not stated); the attempt gets the first stated
     * of: {@code --timeout} for the run, the task file, the agent's own in config, {@code execution} (5m, idle 1m).
     */
    @ParameterizedTest(name = "run {0}/{1}, task {2}/{3}, agent {4}/{5}: {6}/{7}")
    @CsvSource(nullValues = "-", textBlock = """
            90, 20, 120, 40, 600, 180,  90,  20
            -,  -,  120, 40, 600, 180, 120,  40
            -,  -,  -,   -,  600, 180, 600, 180
            -,  -,  -,   -,  -,   -,   300,  60
            90, -,  -,   40, -,   180,  90,  40
            -,  20, 120, -,  -,   180, 120,  20
            """)
    void an_attempts_limits_come_from_the_run_then_the_task_then_the_agent_then_the_default(Long runTimeout,
            Long runIdle, Long taskTimeout, Long taskIdle, Long agentTimeout, Long agentIdle, long timeout, long idle)
            throws Exception {
        execution = withCooldowns(CooldownPolicy.defaults());
        agentLimits = Map.of("alpha", new AgentLimits(seconds(agentTimeout), seconds(agentIdle)));
        Task task = aTask().timingOutAfter(seconds(taskTimeout)).idleTimingOutAfter(seconds(taskIdle)).build();

        run(task, new TaskOptions(null, null, null, null, Set.of(), seconds(runTimeout), seconds(runIdle)));

        assertThat(runner.requests()).singleElement().satisfies(request -> {
            assertThat(request.timeout()).isEqualTo(Duration.ofSeconds(timeout));
            assertThat(request.idleTimeout()).isEqualTo(Duration.ofSeconds(idle));
        });
    }

    private static Duration seconds(Long value) {
        return value == null ? null : Duration.ofSeconds(value);
    }

    @Test
    void a_spent_per_task_budget_fails_the_task_before_dispatch() throws Exception {
        runner.script("alpha", fails(FailureType.EXIT_CODE, "1").usage(0, 0, 0.60));
        runner.script("beta", fails(FailureType.EXIT_CODE, "1").usage(0, 0, 0.50));
        Task task = aTask().withEstimatedTokens(1_000).build();

        TaskStatus status = run(task, new TaskOptions(null, 1.00, null, null, Set.of(), null, null));

        assertThat(status.state()).isEqualTo(TaskState.FAILED);
        assertThat(status.reason()).startsWith("budget spent");
        assertThat(runner.requests()).hasSize(2);
        // The agent is told how much it may still spend: all of it first, then what alpha left.
        assertThat(runner.requests()).extracting(RunRequest::maxCost).containsExactly(1.00, 0.40);
    }

    @Test
    void a_run_budget_is_shared_by_the_tasks_of_the_run() throws Exception {
        runBudget = 0.50;
        runner.script("alpha", ok().usage(0, 0, 0.30));
        Dispatcher dispatcher = dispatcher();
        Task first = submit(aTask().withEstimatedTokens(1_000).build(), TaskOptions.DEFAULTS);
        Task second = submit(aTask().withEstimatedTokens(1_000).build(), TaskOptions.DEFAULTS);

        dispatcher.run(first.id());
        dispatcher.run(second.id());

        assertThat(runner.requests()).extracting(RunRequest::maxCost)
                .usingElementComparator((a, b) -> Math.abs(a - b) < 1e-9 ? 0 : 1).containsExactly(0.50, 0.20);
        assertThat(dispatcher.spent()).isEqualTo(0.60, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void agents_get_only_allowed_variables_and_their_own_values_are_secrets() throws Exception {
        agentEnv = Map.of("alpha", List.of("ALPHA_API_KEY"));
        hostEnv = Map.of("PATH", "/usr/bin", "ALPHA_API_KEY", "sk-alpha-123456", "BETA_API_KEY", "sk-beta-999999",
                "UNRELATED", "x");
        Task task = aTask().build();

        run(task);

        RunRequest request = runner.requests().getFirst();
        assertThat(request.environment()).containsOnlyKeys("PATH", "ALPHA_API_KEY");
        assertThat(request.secrets()).containsExactly("sk-alpha-123456");
        assertThat(request.marker()).isEqualTo("orch-1:" + task.id() + ":1");
        assertThat(request.workingDirectory()).isEqualTo(Path.of("/work/project"));
    }

    @Test
    void stopping_a_running_agent_cancels_its_attempt_and_puts_the_task_back_in_the_queue() throws Exception {
        Dispatcher dispatcher = dispatcher();
        runner.script("alpha", ok().onStart(dispatcher::stopRunning));
        Task task = submit(aTask().build(), TaskOptions.DEFAULTS);

        TaskStatus status = dispatcher.run(task.id());

        assertThat(status.state()).isEqualTo(TaskState.QUEUED);
        AttemptRecord attempt = store.attemptRecords(task.id()).getFirst();
        assertThat(attempt.attempt().state()).isEqualTo(AttemptState.CANCELLED);
        assertThat(store.inFlightAttempts()).isEmpty();
        // A cancelled run says nothing about the agent.
        assertThat(store.forWorkType("implement")).doesNotContainKey(id("alpha"));
    }

    @Test
    void a_task_with_an_attempt_in_flight_is_not_run_twice() {
        Dispatcher dispatcher = dispatcher();
        Task task = submit(aTask().build(), TaskOptions.DEFAULTS);
        store.startAttempt(task.id(), id("alpha"), "alpha", io.switchboard.core.agent.Mode.AUTO, "implement",
                clock.instant());

        assertThatThrownBy(() -> dispatcher.run(task.id())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("switchboard resume");
        assertThat(runner.requests()).isEmpty();
    }

    @Test
    void routing_moves_away_from_an_agent_that_keeps_failing_and_back_once_its_failures_have_decayed()
            throws Exception {
        agents = List.of(anAgent("alpha").specializedIn("implement").strongAt("implement").profile(),
                anAgent("beta").profile());
        runner.script("alpha", fails(FailureType.EXIT_CODE, "1"));
        List<String> firstChoices = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Task task = aTask().build();
            run(task);
            firstChoices.add(store.attemptRecords(task.id()).getFirst().attempt().agentName());
        }
        // alpha is tried first until its failures outweigh its specialization, then beta is.
        assertThat(firstChoices.getFirst()).isEqualTo("alpha");
        assertThat(firstChoices.getLast()).isEqualTo("beta");

        // alpha recovers; after many half-lives its old failures no longer count against it.
        runner.script("alpha", ok());
        clock.tick(HALF_LIFE.multipliedBy(20));
        Task later = aTask().build();
        run(later);
        assertThat(store.attemptRecords(later.id()).getFirst().attempt().agentName()).isEqualTo("alpha");
    }

    // ---- Packets and handoffs

    @Test
    void a_retry_gets_the_prompt_then_a_packet_with_the_failure_digest_and_a_first_attempt_the_prompt_alone()
            throws Exception {
        runner.script("alpha", fails(FailureType.EXIT_CODE, "exited with status 1")
                .printing("compiling\nerror: cannot find symbol Limiter\nQUESTION: may I add Guava?"));
        Task task = aTask().titled("Add a rate limiter").withPrompt("Add a token-bucket limiter.").build();

        run(task);

        List<RunRequest> requests = runner.requests();
        assertThat(requests).extracting(request -> request.agent().name()).containsExactly("alpha", "beta");
        assertThat(requests.get(0).prompt()).isEqualTo("Add a token-bucket limiter.");
        String second = requests.get(1).prompt();
        assertThat(second).startsWith("Add a token-bucket limiter.\n\n---\n\n# Handoff packet for " + task.id())
                .contains("## Goal\n\nAdd a rate limiter",
                        "## What failed\n\n### Attempt 1 on alpha: failed (exit_code)"
                        + "\n\nexited with status 1\n\n```\nerror: cannot find symbol Limiter\n```",
                        "- Attempt 1 on alpha asked: may I add Guava?", "for attempt 2 on beta, as a retry.");
        // What was given is kept with the attempt: nothing with the first, the packet with the second.
        List<AttemptRecord> attempts = store.attemptRecords(task.id());
        assertThat(attempts.get(0).packet()).isEmpty();
        assertThat(attempts.get(1).packet()).isNotEmpty()
                .isEqualTo(second.substring("Add a token-bucket limiter.\n\n".length()));
    }

    @Test
    void the_agents_final_answer_is_kept_and_told_to_the_next_attempt() throws Exception {
        runner.script("alpha", fails(FailureType.VERIFY_FAILED, "exited with status 2").printing("I wrote half."));
        Task task = aTask().build();

        run(task);

        assertThat(store.attemptRecords(task.id()).getFirst().answer()).isEqualTo("I wrote half.");
        assertThat(runner.requests().get(1).prompt()).contains("Its final answer:\n\n```\nI wrote half.\n```");
    }

    @Test
    void a_task_handed_off_runs_on_that_agent_even_after_it_failed_it_with_the_note_in_its_packet()
            throws Exception {
        retry = new RetryPolicy(Duration.ZERO, 2.0, Duration.ofSeconds(1), 2, null);
        runner.script("alpha", fails(FailureType.EXIT_CODE, "exited with status 1"), ok());
        runner.script("beta", fails(FailureType.EXIT_CODE, "exited with status 3"));
        Task task = aTask().build();
        assertThat(run(task).state()).isEqualTo(TaskState.FAILED);

        store.requestHandoff(task.id(), Handoff.requested("alpha", "Try the other approach.", clock.instant()));
        TaskStatus status = dispatcher().runHandedOff(task.id());

        assertThat(status.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(runner.agentsRun()).containsExactly("alpha", "beta", "alpha");
        assertThat(store.handoff(task.id())).hasValueSatisfying(handoff -> assertThat(handoff.attempt()).isEqualTo(3));
        assertThat(runner.requests().get(2).prompt()).contains(
                "A person handed the task above to you (alpha); yours is attempt 3.",
                "> Try the other approach.", "### Attempt 1 on alpha: failed (exit_code)",
                "### Attempt 2 on beta: failed (exit_code)");
        RoutingDecision last = decisionsFor(task.id()).getLast();
        assertThat(last.exclusions()).extracting(exclusion -> exclusion.agent() + " " + exclusion.reason())
                .containsExactlyInAnyOrder("beta " + ExclusionReason.PINNED_ELSEWHERE,
                        "gamma " + ExclusionReason.PINNED_ELSEWHERE);
        assertThat(last.reason()).endsWith("Pinned to alpha by a handoff: no other agent may take it.");
    }

    @Test
    void a_task_handed_off_stays_with_its_agent_when_that_agent_fails_too() throws Exception {
        fallbacks = Map.of("beta", List.of("gamma"));
        runner.script("beta", fails(FailureType.EXIT_CODE, "exited with status 1"));
        Dispatcher dispatcher = dispatcher();
        Task task = submit(aTask().build(), TaskOptions.DEFAULTS);
        store.requestHandoff(task.id(), Handoff.requested("beta", "", clock.instant()));

        TaskStatus status = dispatcher.runHandedOff(task.id());

        // Neither the next-best agent nor beta's configured fallback takes it.
        assertThat(status.state()).isEqualTo(TaskState.FAILED);
        assertThat(status.reason()).contains("No agent can take task");
        assertThat(runner.agentsRun()).containsExactly("beta");
    }

    @Test
    void an_orchestrator_whose_running_attempt_is_handed_off_records_it_cancelled_and_leaves_the_task()
            throws Exception {
        Dispatcher dispatcher = dispatcher();
        Task task = submit(aTask().build(), TaskOptions.DEFAULTS);
        // Another process hands the task off while alpha runs, and stops alpha by its marker.
        runner.script("alpha", fails(FailureType.SIGNAL, "killed by SIGTERM").onStart(() -> store.requestHandoff(
                task.id(), Handoff.requested("beta", "Pick up from the parser.", clock.instant()))));

        TaskStatus status = dispatcher.run(task.id());

        assertThat(status.state()).isEqualTo(TaskState.QUEUED);
        assertThat(status.reason()).isEqualTo("handed off to beta");
        assertThat(runner.agentsRun()).containsExactly("alpha");
        AttemptRecord cancelled = store.attemptRecords(task.id()).getFirst();
        assertThat(cancelled.attempt().state()).isEqualTo(AttemptState.CANCELLED);
        assertThat(cancelled.failure().message()).isEqualTo("handed off to beta");
        assertThat(cancelled.failure().detail()).isEqualTo("it ended as signal: killed by SIGTERM");
        // Not alpha's failure: no record, no cooldown.
        assertThat(store.forWorkType("implement")).doesNotContainKey(id("alpha"));
        assertThat(store.active(clock.instant())).isEmpty();
        assertThat(listener.events).endsWith("finished 1 cancelled", "handed off " + task.id() + " to beta");

        // Whoever takes the handoff up runs it on beta, with the packet.
        assertThat(dispatcher().runHandedOff(task.id()).state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(runner.agentsRun()).containsExactly("alpha", "beta");
        assertThat(runner.requests().get(1).prompt()).contains("### Attempt 1 on alpha: cancelled (cancelled)",
                "handed off to beta", "> Pick up from the parser.");
    }

    @Test
    void an_orchestrator_waiting_to_retry_leaves_a_task_handed_off_and_taken_up_meanwhile() throws Exception {
        runner.script("alpha", fails(FailureType.EXIT_CODE, "exited with status 1"));
        Dispatcher dispatcher = dispatcher();
        Task task = submit(aTask().build(), TaskOptions.DEFAULTS);
        // While it waits for the back-off, another process hands the task to gamma and starts gamma on it.
        onWait = () -> {
            Handoff handoff = Handoff.requested("gamma", "", clock.instant());
            store.requestHandoff(task.id(), handoff);
            store.startAttempt(new io.switchboard.core.attempt.AttemptStart(task.id(), id("gamma"), "gamma",
                    io.switchboard.core.agent.Mode.AUTO, "implement", null, "other", "other:1", "", "", handoff),
                    clock.instant());
        };

        TaskStatus status = dispatcher.run(task.id());

        assertThat(status.state()).isEqualTo(TaskState.RUNNING);
        assertThat(runner.agentsRun()).containsExactly("alpha");
        assertThat(listener.events).last().isEqualTo("handed off " + task.id() + " to gamma");
    }

    @Test
    void an_attempt_refused_for_a_handoff_asked_for_after_routing_is_not_run() throws Exception {
        runner.script("alpha", fails(FailureType.EXIT_CODE, "exited with status 1"));
        Dispatcher dispatcher = dispatcher();
        Task task = submit(aTask().build(), TaskOptions.DEFAULTS);
        // The handoff is asked for once attempt 2 is routed, just before its start reaches the store.
        beforeStarts = () -> {
            if (store.attempts(task.id()).size() == 1) {
                store.requestHandoff(task.id(), Handoff.requested("gamma", "", clock.instant()));
            }
        };

        TaskStatus status = dispatcher.run(task.id());

        assertThat(status.state()).isEqualTo(TaskState.QUEUED);
        assertThat(runner.agentsRun()).containsExactly("alpha");
        assertThat(store.attempts(task.id())).hasSize(1);
        assertThat(store.handoff(task.id())).hasValueSatisfying(handoff -> assertThat(handoff.pending()).isTrue());
    }

    @Test
    void tasks_that_queue_while_a_batch_is_routed_are_routed_together_and_its_start_does_not_hold_up_the_next()
            throws Exception {
        // Room for two at a time on alpha and on beta, one on gamma: five tasks fit, a sixth would not.
        agents = List.of(
                anAgent("alpha").specializedIn("implement").strongAt("implement").withMaxConcurrency(2).profile(),
                anAgent("beta").strongAt("implement").withMaxConcurrency(2).profile(),
                anAgent("gamma").profile());
        // Each run holds its agent until all five have started, so none of them frees a slot for another.
        java.util.concurrent.CountDownLatch allStarted = new java.util.concurrent.CountDownLatch(5);
        for (String agent : List.of("alpha", "beta", "gamma")) {
            runner.script(agent, ok().onStart(() -> {
                allStarted.countDown();
                awaitQuietly(allStarted);
            }));
        }
        Dispatcher dispatcher = dispatcher();
        List<Task> tasks = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            tasks.add(submit(aTask().withId("T-" + i).build(), TaskOptions.DEFAULTS));
        }
        // T-1's batch is held while it is routed (its read of the attempts in flight), then while its start is
        // recorded (before the store has it).
        java.util.concurrent.CountDownLatch firstRouting = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch releaseRouting = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch releaseStart = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger routings = new java.util.concurrent.atomic.AtomicInteger();
        beforeRouting = () -> {
            if (routings.incrementAndGet() == 1) {
                firstRouting.countDown();
                awaitQuietly(releaseRouting);
            }
        };
        beforeStarts = () -> {
            if (batches.size() == 1) {
                awaitQuietly(releaseStart);
            }
        };
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(5);
        try {
            List<java.util.concurrent.Future<TaskStatus>> ran = new ArrayList<>();
            ran.add(threads.submit(() -> dispatcher.run("T-1")));
            assertThat(firstRouting.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            // While T-1's batch is routed, the four others queue behind it.
            List<Thread> queued = Collections.synchronizedList(new ArrayList<>());
            for (int i = 2; i <= 5; i++) {
                String taskId = "T-" + i;
                ran.add(threads.submit(() -> {
                    queued.add(Thread.currentThread());
                    return dispatcher.run(taskId);
                }));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> queued.size() == 4
                    && queued.stream().allMatch(thread -> thread.getState() == Thread.State.WAITING));
            releaseRouting.countDown();
            // The four are routed as one batch and their agents start while T-1's start is still held: T-1's slot on
            // alpha is counted all the same, so alpha gets one of them, not two.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> allStarted.getCount() == 1);
            assertThat(batches).containsExactly(1, 4);
            assertThat(store.attempts("T-1")).isEmpty();
            releaseStart.countDown();
            for (java.util.concurrent.Future<TaskStatus> status : ran) {
                assertThat(status.get(30, java.util.concurrent.TimeUnit.SECONDS).state())
                        .isEqualTo(TaskState.SUCCEEDED);
            }
        } finally {
            releaseRouting.countDown();
            releaseStart.countDown();
            threads.shutdownNow();
        }

        assertThat(batches).containsExactly(1, 4);
        // One decision per task, each attempt started on the decision recorded with it, and no agent over its limit.
        Map<String, Long> perAgent = new java.util.TreeMap<>();
        for (Task task : tasks) {
            AttemptRecord record = store.attemptRecords(task.id()).getFirst();
            var decisions = store.find(DecisionLog.DecisionQuery.all().forTask(task.id()));
            assertThat(decisions).singleElement().satisfies(decision -> {
                assertThat(decision.id()).isEqualTo(record.decisionId());
                assertThat(decision.decision().chosenAgent()).contains(record.attempt().agentName());
            });
            perAgent.merge(record.attempt().agentName(), 1L, Long::sum);
        }
        assertThat(perAgent).containsExactly(Map.entry("alpha", 2L), Map.entry("beta", 2L), Map.entry("gamma", 1L));
    }

    @Test
    void a_task_that_waited_for_a_slot_held_by_this_dispatcher_is_not_read_again_before_it_is_routed_again()
            throws Exception {
        // One at a time on alpha: T-2 is routed while T-1 holds alpha, waits for it in memory, then runs.
        agents = List.of(anAgent("alpha").withMaxConcurrency(1).profile());
        java.util.concurrent.CountDownLatch secondWaits = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger starts = new java.util.concurrent.atomic.AtomicInteger();
        runner.script("alpha", ok().onStart(() -> {
            if (starts.incrementAndGet() == 1) {
                awaitQuietly(secondWaits);
            }
        }));
        Dispatcher dispatcher = dispatcher();
        submit(aTask().withId("T-1").build(), TaskOptions.DEFAULTS);
        submit(aTask().withId("T-2").build(), TaskOptions.DEFAULTS);
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<TaskStatus> first = threads.submit(() -> dispatcher.run("T-1"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> starts.get() == 1);
            java.util.concurrent.Future<TaskStatus> second = threads.submit(() -> dispatcher.run("T-2"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> listener.events.contains("waiting for an agent T-2"));
            secondWaits.countDown();

            assertThat(first.get(30, java.util.concurrent.TimeUnit.SECONDS).state()).isEqualTo(TaskState.SUCCEEDED);
            assertThat(second.get(30, java.util.concurrent.TimeUnit.SECONDS).state()).isEqualTo(TaskState.SUCCEEDED);
        } finally {
            secondWaits.countDown();
            threads.shutdownNow();
        }

        // Routed twice, read once, its attempts never: none was stored when it was read, nor for it while it waited,
        // so what was read of it held.
        assertThat(store.attemptRecords("T-2")).singleElement()
                .satisfies(record -> assertThat(record.attempt().agentName()).isEqualTo("alpha"));
        assertThat(reads).filteredOn(read -> read.endsWith(" T-2")).containsExactly("taskRun T-2");
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            if (!latch.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let this go on");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_task_is_claimed_before_it_runs_unless_the_orchestrator_claimed_it_already() throws Exception {
        claims = new TaskClaims() {
            @Override
            public boolean beatOrchestrator(String orchestratorId, Duration staleAfter) {
                return true;
            }

            @Override
            public List<String> claimTasks(String orchestratorId, int limit, Instant now) {
                return List.of();
            }

            @Override
            public boolean claimTask(String taskId, String orchestratorId) {
                claimed.add(taskId + " by " + orchestratorId);
                return !taskId.equals("T-elsewhere");
            }

            @Override
            public List<String> claimedTasks(String orchestratorId) {
                return List.of();
            }

            @Override
            public int releaseTasks(String orchestratorId) {
                return 0;
            }

            @Override
            public List<AttemptRecord> orphanedAttempts() {
                return List.of();
            }
        };
        Dispatcher dispatcher = dispatcher();
        submit(aTask().withId("T-1").build(), TaskOptions.DEFAULTS);
        submit(aTask().withId("T-2").build(), TaskOptions.DEFAULTS);
        submit(aTask().withId("T-elsewhere").build(), TaskOptions.DEFAULTS);

        assertThat(dispatcher.run("T-1").state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(dispatcher.runClaimed("T-2").state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(dispatcher.run("T-elsewhere").state()).isEqualTo(TaskState.QUEUED);

        assertThat(claimed).containsExactly("T-1 by orch-1", "T-elsewhere by orch-1");
        assertThat(store.attempts("T-elsewhere")).isEmpty();
        assertThat(listener.events).contains("claimed elsewhere T-elsewhere");
        // Claimed first, then read once; a task claimed elsewhere is not read whole at all.
        assertThat(reads).filteredOn(read -> read.startsWith("taskRun"))
                .containsExactly("taskRun T-1", "taskRun T-2");
        assertThatThrownBy(() -> dispatcher.run("T-missing")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("task T-missing is not stored");
    }

    @Test
    void an_abandoned_attempt_of_a_task_handed_off_leaves_it_queued_for_the_handoff() {
        retry = new RetryPolicy(Duration.ZERO, 2.0, Duration.ofSeconds(1), 1, null);
        Dispatcher dispatcher = dispatcher();
        Task task = submit(aTask().build(), TaskOptions.DEFAULTS);
        store.startAttempt(task.id(), id("alpha"), "alpha", io.switchboard.core.agent.Mode.AUTO, "implement",
                clock.instant());
        store.requestHandoff(task.id(), Handoff.requested("beta", "", clock.instant()));

        assertThat(dispatcher.abandon(store.inFlightAttempts().getFirst(), "its orchestrator is gone")).isTrue();

        // One attempt allowed and used, but the task waits for the handoff rather than failing.
        assertThat(store.taskStatus(task.id()).orElseThrow().state()).isEqualTo(TaskState.QUEUED);
        assertThat(store.attempts(task.id()).getFirst().state()).isEqualTo(AttemptState.ABANDONED);
    }

    @Test
    void an_agent_kept_out_only_by_abandoned_attempts_takes_the_task_again_when_no_other_agent_can() throws Exception {
        agents = List.of(
                anAgent("alpha").specializedIn("implement").strongAt("implement").costing(0.01).profile(),
                anAgent("beta").strongAt("implement").costing(0.002).profile());
        Dispatcher dispatcher = dispatcher();
        Task task = submit(aTask().build(), TaskOptions.DEFAULTS);
        failedOnAlphaThenLostWithBetasWorker(dispatcher, task);

        TaskStatus status = dispatcher.run(task.id());

        // Its attempts were stored before the run: read before it was routed.
        assertThat(reads).containsSequence("taskRun " + task.id(), "attemptRecords " + task.id());
        // Beta, whose only mark is an abandoned attempt, gets the third; alpha, which failed at it, does not.
        assertThat(status.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(store.attempts(task.id())).extracting(Attempt::agentName, Attempt::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("alpha", AttemptState.FAILED),
                org.assertj.core.groups.Tuple.tuple("beta", AttemptState.ABANDONED),
                org.assertj.core.groups.Tuple.tuple("beta", AttemptState.SUCCEEDED));
        var decisions = store.find(DecisionLog.DecisionQuery.all().forTask(task.id()));
        assertThat(decisions.getFirst().decision().reason()).contains("beta only by attempts abandoned");
        assertThat(decisions.getFirst().id()).isEqualTo(store.attemptRecords(task.id()).get(2).decisionId());
        // The decision before it, which found no agent, is on record too.
        assertThat(decisions.get(1).decision().chosen()).isEmpty();
    }

    @Test
    void an_agent_kept_out_only_by_abandoned_attempts_takes_the_task_rather_than_it_waiting_for_an_offline_one()
            throws Exception {
        agents = List.of(
                anAgent("alpha").specializedIn("implement").strongAt("implement").costing(0.01).profile(),
                anAgent("beta").strongAt("implement").costing(0.002).profile(),
                anAgent("gamma").strongAt("implement").profile());
        Dispatcher dispatcher = dispatcher();
        // Gamma's worker is gone, and may never come back.
        assertThat(store.setStatus("gamma", io.switchboard.core.agent.AgentStatus.OFFLINE, clock.instant())).isTrue();
        Task task = submit(aTask().build(), TaskOptions.DEFAULTS);
        failedOnAlphaThenLostWithBetasWorker(dispatcher, task);

        TaskStatus status = dispatcher.run(task.id());

        assertThat(status.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(store.attempts(task.id())).extracting(Attempt::agentName).containsExactly("alpha", "beta", "beta");
        assertThat(runner.agentsRun()).containsExactly("beta");
        var decisions = store.find(DecisionLog.DecisionQuery.all().forTask(task.id()));
        assertThat(decisions.getFirst().decision().reason()).contains("beta only by attempts abandoned");
    }

    @Test
    void a_task_started_elsewhere_while_it_was_routed_is_not_moved_out_of_running_by_that_routing() throws Exception {
        agents = List.of(anAgent("solo").profile());
        Dispatcher dispatcher = dispatcher();
        assertThat(store.setStatus("solo", io.switchboard.core.agent.AgentStatus.OFFLINE, clock.instant())).isTrue();
        Task task = submit(aTask().build(), TaskOptions.DEFAULTS);
        // No agent for it here; meanwhile another run (another orchestrator's) starts its attempt.
        beforeMove = () -> store.startAttempt(task.id(), id("solo"), "solo", io.switchboard.core.agent.Mode.AUTO,
                "implement", clock.instant());

        assertThatThrownBy(() -> dispatcher.run(task.id())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has an attempt in flight");

        // The routing that found no agent did not fail the task under the attempt: its result still applies.
        assertThat(store.taskStatus(task.id()).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
        assertThat(store.finishAttempt(io.switchboard.testkit.OutcomeBuilder.succeeded(task.id(), 1, clock.instant())
                .movingTaskTo(TaskState.SUCCEEDED, "succeeded on solo at attempt 1").build())).isTrue();
        assertThat(store.taskStatus(task.id()).orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(runner.requests()).isEmpty();
    }

    /** Attempt 1 failed on alpha itself; attempt 2 was lost with beta's worker. */
    private void failedOnAlphaThenLostWithBetasWorker(Dispatcher dispatcher, Task task) {
        store.startAttempt(task.id(), id("alpha"), "alpha", io.switchboard.core.agent.Mode.AUTO, "implement",
                clock.instant());
        assertThat(store.finishAttempt(io.switchboard.testkit.OutcomeBuilder.failed(task.id(), 1,
                FailureInfo.of(FailureType.EXIT_CODE, "exited with status 1"), clock.instant())
                .movingTaskTo(TaskState.QUEUED, "retry").build())).isTrue();
        store.startAttempt(task.id(), id("beta"), "beta", io.switchboard.core.agent.Mode.AUTO, "implement",
                clock.instant());
        assertThat(dispatcher.abandon(store.inFlightAttempts().getFirst(), "its worker stopped renewing its lease"))
                .isTrue();
    }

    @Test
    void agents_that_failed_at_the_task_are_not_taken_back_however_few_are_left() throws Exception {
        agents = List.of(anAgent("alpha").specializedIn("implement").strongAt("implement").profile());
        runner.script("alpha", fails(FailureType.EXIT_CODE, "exited with status 1"));
        Task task = aTask().build();

        TaskStatus status = run(task);

        assertThat(status.state()).isEqualTo(TaskState.FAILED);
        assertThat(store.attempts(task.id())).hasSize(1);
    }

    @Test
    void a_task_pinned_to_an_agent_runs_on_it_in_the_mode_it_asks_for() throws Exception {
        Task task = aTask().build();
        Placement pinned = new Placement(null, "gamma", io.switchboard.core.agent.Mode.PLAN, "workflow step 'x'");

        TaskStatus status = run(task, TaskOptions.DEFAULTS.withPlacement(pinned));

        assertThat(status.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(runner.requests()).singleElement().satisfies(request -> {
            assertThat(request.agent().name()).isEqualTo("gamma");
            assertThat(request.mode()).isEqualTo(io.switchboard.core.agent.Mode.PLAN);
        });
    }

    @Test
    void a_task_that_allows_one_attempt_fails_at_its_first_failure() throws Exception {
        runner.script("alpha", fails(FailureType.EXIT_CODE, "exited with status 1"));
        Task task = aTask().build();

        TaskStatus status = run(task, TaskOptions.DEFAULTS.withMaxAttempts(1));

        assertThat(status.state()).isEqualTo(TaskState.FAILED);
        assertThat(status.reason()).contains("failed 1 of 1 attempts allowed");
        assertThat(runner.agentsRun()).containsExactly("alpha");
    }

    @Test
    void the_answer_is_the_agents_output_when_its_adapter_reads_no_summary() throws Exception {
        runner.script("alpha", ok().printing("the plan\nVERDICT: APPROVED"));
        Task task = aTask().build();

        run(task);

        assertThat(store.attemptRecords(task.id()).getFirst().answer()).isEqualTo("the plan\nVERDICT: APPROVED");
    }

    @Test
    void an_abandoned_attempt_does_not_keep_a_pinned_task_from_its_agent() throws Exception {
        Placement pinned = new Placement(null, "gamma", null, "workflow step 'x'");
        Task task = submit(aTask().build(), TaskOptions.DEFAULTS.withPlacement(pinned));
        Dispatcher dispatcher = dispatcher();
        Attempt started = store.startAttempt(new io.switchboard.core.attempt.AttemptStart(task.id(), id("gamma"),
                "gamma", io.switchboard.core.agent.Mode.AUTO, "implement", null, "dead-orchestrator", "m", ""),
                clock.instant());
        dispatcher.abandon(store.attemptRecords(task.id()).getFirst(), "its orchestrator is gone");

        TaskStatus status = dispatcher.run(task.id());

        assertThat(started.number()).isEqualTo(1);
        assertThat(status.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(store.attemptRecords(task.id())).extracting(r -> r.attempt().agentName() + " "
                + r.attempt().state()).containsExactly("gamma ABANDONED", "gamma SUCCEEDED");
    }

    @Test
    void a_task_handed_off_goes_back_to_its_agent_after_an_attempt_there_was_abandoned() throws Exception {
        // beta failed the task before the handoff; then the handoff's own attempt on beta was abandoned.
        Task task = submit(aTask().build(), TaskOptions.DEFAULTS);
        Dispatcher dispatcher = dispatcher();
        store.startAttempt(task.id(), id("beta"), "beta", io.switchboard.core.agent.Mode.AUTO, "implement",
                clock.instant());
        store.finishAttempt(io.switchboard.testkit.OutcomeBuilder.failed(task.id(), 1,
                FailureInfo.of(FailureType.EXIT_CODE, "exited with status 1"), clock.instant())
                .movingTaskTo(TaskState.FAILED, "failed on beta").build());
        Handoff handoff = Handoff.requested("beta", "", clock.instant());
        store.requestHandoff(task.id(), handoff);
        store.startAttempt(new io.switchboard.core.attempt.AttemptStart(task.id(), id("beta"), "beta",
                io.switchboard.core.agent.Mode.AUTO, "implement", null, "dead-orchestrator", "m", "", "", handoff),
                clock.instant());
        dispatcher.abandon(store.inFlightAttempts().getFirst(), "its orchestrator is gone");
        runner.script("beta", ok());

        TaskStatus status = dispatcher.runHandedOff(task.id());

        // Neither the failure before the handoff nor the abandoned attempt keeps the task from beta.
        assertThat(status.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(store.attemptRecords(task.id())).extracting(r -> r.attempt().agentName() + " "
                + r.attempt().state()).containsExactly("beta FAILED", "beta ABANDONED", "beta SUCCEEDED");
    }

    private java.util.UUID id(String agent) {
        return store.find(agent).orElseThrow().id();
    }

    /** The task's decisions, oldest first. */
    private List<RoutingDecision> decisionsFor(String taskId) {
        List<RoutingDecision> decisions = new ArrayList<>(store.find(
                io.switchboard.core.port.DecisionLog.DecisionQuery.all().forTask(taskId)).stream()
                .map(io.switchboard.core.port.DecisionLog.StoredDecision::decision).toList());
        Collections.reverse(decisions);
        return decisions;
    }

    private ExecutionSettings withCooldowns(CooldownPolicy cooldowns) {
        return new ExecutionSettings(ExecutionSettings.DEFAULT_ENV_ALLOW_LIST, Duration.ofMinutes(5),
                Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofMinutes(2), Map.of(), cooldowns, Set.of());
    }

    private TaskStatus run(Task task) throws InterruptedException {
        return run(task, TaskOptions.DEFAULTS);
    }

    private TaskStatus run(Task task, TaskOptions options) throws InterruptedException {
        Dispatcher dispatcher = dispatcher();
        submit(task, options);
        return dispatcher.run(task.id());
    }

    private Task submit(Task task, TaskOptions options) {
        store.submit(task, options, false, clock.instant());
        return task;
    }

    private Dispatcher dispatcher() {
        SwitchboardConfig config = new SwitchboardConfig(agents, RoutingPolicy.defaults(), Rule.defaults(), retry,
                budgets, fallbacks, List.of(), List.of(), Map.of(), agentEnv, agentLimits, execution);
        store.sync(agents, clock.instant());
        Dispatcher.Settings settings = new Dispatcher.Settings("orch-1", Path.of("/work/project"), hostEnv, Map.of(),
                runBudget, HALF_LIFE, null);
        TaskStore tasks = (TaskStore) java.lang.reflect.Proxy.newProxyInstance(TaskStore.class.getClassLoader(),
                new Class<?>[] {TaskStore.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("startAttempts")) {
                        batches.add(((List<?>) arguments[0]).size());
                        beforeStarts.run();
                    }
                    if (method.getName().equals("inFlightByAgentOfOthers")) {
                        beforeRouting.run();
                    }
                    if (method.getName().equals("moveTaskFrom")) {
                        beforeMove.run();
                    }
                    if (method.getName().equals("taskRun") || method.getName().equals("attemptRecords")) {
                        reads.add(method.getName() + " " + arguments[0]);
                    }
                    try {
                        return method.invoke(store, arguments);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        RoutingService routing = new RoutingService(store, store, tasks, store, store,
                new Router(config.policy(), config.rules()), clock);
        return new Dispatcher(routing, tasks, store, store, runner, due -> {
            onWait.run();
            if (clock.instant().isBefore(due)) {
                clock.set(due);
            }
        }, clock, listener, config, claims == null ? settings : settings.withClaims(claims));
    }

    /** Hears every event as one line. */
    private static final class Recording implements SwitchboardListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void decided(String taskId, long decisionId, RoutingDecision decision) {
            events.add("decided " + taskId + " " + decision.chosenAgent().orElse("nobody"));
        }

        @Override
        public void claimedElsewhere(String taskId) {
            events.add("claimed elsewhere " + taskId);
        }

        @Override
        public void handedOff(String taskId, Handoff handoff) {
            events.add("handed off " + taskId + " to " + handoff.toAgent());
        }

        @Override
        public void waitingForAgent(String taskId, String why) {
            events.add("waiting for an agent " + taskId);
        }

        @Override
        public void attemptStarted(Attempt attempt) {
            events.add("started " + attempt.number() + " " + attempt.agentName());
        }

        @Override
        public void attemptFinished(Attempt attempt, AttemptOutcome outcome) {
            events.add("finished " + attempt.number() + " " + outcome.state().name().toLowerCase());
        }

        @Override
        public void waiting(String taskId, Instant until, String reason) {
            events.add("waiting " + taskId + " until " + until + ": " + reason);
        }

        @Override
        public void taskFinished(String taskId, TaskState state, String reason) {
            events.add("task " + taskId + " " + state.configName());
        }
    }
}
