package io.switchboard.bench;

import static io.switchboard.testkit.TaskBuilder.aTask;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.switchboard.broker.BrokerEndpoint;
import io.switchboard.broker.BrokerSession;
import io.switchboard.broker.ConsumerListener;
import io.switchboard.broker.Relay;
import io.switchboard.broker.RelayListener;
import io.switchboard.broker.RelayOptions;
import io.switchboard.broker.ResultNotices;
import io.switchboard.broker.Topology;
import io.switchboard.broker.WorkConsumer;
import io.switchboard.core.agent.Adapter;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Availability;
import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptOutcome;
import io.switchboard.core.attempt.OrchestratorRecord;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.execution.AgentEnvironment;
import io.switchboard.core.execution.Dispatcher;
import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.execution.RunningAgent;
import io.switchboard.core.execution.SwitchboardListener;
import io.switchboard.core.execution.VerifyRequest;
import io.switchboard.core.port.AgentRunner;
import io.switchboard.core.port.RemoteAttempts;
import io.switchboard.core.port.WorkerRegistry;
import io.switchboard.core.remote.AttemptKey;
import io.switchboard.core.remote.RemoteRunner;
import io.switchboard.core.remote.RemoteWorker;
import io.switchboard.core.remote.WorkMessage;
import io.switchboard.core.remote.WorkerSettings;
import io.switchboard.core.routing.Router;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.routing.RoutingService;
import io.switchboard.core.task.Handoff;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskStatus;
import io.switchboard.core.task.TaskType;
import io.switchboard.store.Database;
import io.switchboard.store.Store;
import io.switchboard.store.StoreConnection;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * Switchboard's remote dispatch end to end, in this JVM so that every latency is read on one clock: one orchestrator
 * and two workers on the PostgreSQL server (a schema of its own) and RabbitMQ (queues under a prefix of their own),
 * wired as {@code switchboard serve --amqp} and {@code switchboard worker --amqp} wire them, with a no-op agent.
 *
 * <ul>
 *   <li><b>Workers.</b> Two, each registered with {@code registerWorker} with one agent of its own
 *       ({@value #AGENT_PREFIX}1, {@value #AGENT_PREFIX}2, max concurrency {@value #MAX_CONCURRENCY}): a
 *       {@link RemoteWorker} consuming its agent's queue with a {@link WorkConsumer} (prefetch = max concurrency) on a
 *       {@link BrokerSession} of its own, ringing the orchestrator's doorbell through {@link ResultNotices},
 *       beating and renewing its leases every {@link #BEAT}. Its runner does nothing: {@code start} marks the start of the task's
 *       work and returns a run that has already succeeded.
 *   <li><b>The orchestrator.</b> A {@link Dispatcher} with the configuration's defaults and no agents of its own,
 *       routing to the workers' agents ({@link RoutingService} with workers reachable), claiming each task
 *       ({@code withClaims}), starting remote attempts with their outbox row ({@code withRemote}); a {@link Relay}
 *       publishing the outbox; a {@link RemoteRunner} woken by the result notices on a connection of its own and by a
 *       check every {@link #BEAT}; registered, and beating every {@link #BEAT}.
 *   <li><b>A round.</b> One thread stores the tasks ({@code store.submit}, each its own transaction: the store has no
 *       batch submit) and hands each to a pool of {@value #DISPATCHING} dispatching threads (twice the agents' total
 *       max concurrency), each calling {@code dispatcher.run(task)}. One at a time, each task is handed over as soon
 *       as it is stored; in bulk, {@link DistributedThroughput#BATCH} are stored, then handed over together. A task
 *       completes when {@code dispatcher.run} returns it {@code SUCCEEDED}.
 * </ul>
 *
 * <p>The submitting client, the orchestrator and each worker open the database on their own ({@link Database#open}),
 * each with the store's own pool, as four processes would. Every store call is timed ({@link StoreTimes}), and every
 * task is marked as it passes each stage of its way ({@link Mark}): the round's {@link Breakdown}.
 *
 * <p>After each round, outside its timing: every task {@code SUCCEEDED}, returned so by {@code dispatcher.run} exactly
 * once, its work started exactly once, exactly one attempt and one accepted result in the store, and the outbox empty
 * (the relay removes the last rows once their confirms are in, so this waits for that, a few seconds at most).
 * Anything else fails the round. Then the schema's tables are vacuumed and analysed (the server may run without
 * autovacuum, whose analyses a deployment would have; tasks are kept, as history).
 */
final class SwitchboardLeg implements DistributedLeg {
    static final String NAME = "Switchboard";
    static final String AGENT_PREFIX = "noop-";
    static final int WORKERS = 2;
    static final int MAX_CONCURRENCY = 8;
    /**
     * Dispatching threads: twice the agents' total max concurrency, so that an agent never waits for a thread;
     * {@code -Dswitchboard.bench.dispatching=N} sets another number, to see what it changes.
     */
    static final int DISPATCHING = Integer.getInteger("switchboard.bench.dispatching", 2 * WORKERS * MAX_CONCURRENCY);
    /** Counted events: a task routed while every agent was busy, waiting in the dispatcher for one of its attempts. */
    static final String AWAITED_OWN_ATTEMPT = "routed while every agent was busy, waited for one of this dispatcher's "
            + "attempts to end";
    /** Counted events: the same, the busy slots read from the store, so the task went WAITING for a recheck. */
    static final String WAITED_RECHECK = "routed while every agent was busy, waited " + Dispatcher.BUSY_RECHECK
            .toSeconds() + " s in the store (WAITING) for a recheck";
    /** Counted events: a renewal that called an attempt lost after its result was accepted. */
    static final String LOST_AFTER_REPORT = "attempts a worker's renewal called lost after their result was accepted";
    /** How often workers and the orchestrator beat, workers renew, and the orchestrator checks its leases. */
    static final Duration BEAT = Duration.ofSeconds(1);
    /** Beats a worker may miss before its agents read offline and its leases pass. */
    static final int MISSED_BEATS = 5;
    /** How long the servers have to be connected to at the start, and the relay to remove its last rows. */
    static final Duration SETTLE = Duration.ofSeconds(15);

    /**
     * The orchestrator's store calls made while the dispatcher holds its dispatch lock: one read of the routing state
     * per batch of the tasks that queued for it ({@code Dispatcher.planAll}), one batch at a time, whatever the
     * dispatching threads. The batch's transaction of decisions and attempt starts comes after the lock is let go.
     */
    static final List<String> UNDER_DISPATCH_LOCK = List.of("agents", "forWorkType", "inFlightByAgentOfOthers",
            "lastSuccessByAgent", "active");

    private static final WorkerSettings WORKER_SETTINGS = new WorkerSettings(BEAT, MISSED_BEATS);
    static final String ROUND_PREFIX = "SB-";

    /** The marks a task passes on its way, in order; each but the first ends the stage it names. */
    enum Mark {
        SUBMITTING(""),
        SUBMITTED("client: store.submit (one transaction)"),
        PICKED("waiting for a dispatching thread"),
        DECIDED("orchestrator: read and claim the task, wait for a slot and the dispatch lock, route the batch, commit "
                + "its decisions and attempt starts with their outbox rows (one transaction)"),
        ATTEMPT_STARTED("orchestrator: tell the task's thread its attempt started (its decision was told first)"),
        DELIVERED("relay: read and publish the row; broker: deliver it to the worker"),
        CLAIMED("worker: a free slot, claim the attempt (one transaction)"),
        WORK_STARTED("worker: read the attempt's orchestrator, start the run's thread"),
        REPORTED("worker: report the result (one transaction)"),
        NOTIFIED("broker: the result notice to the orchestrator"),
        FINISHED("orchestrator: read the result, finish the attempt (one transaction)"),
        RETURNED("orchestrator: read the task's status, return");

        final String stage;

        Mark(String stage) {
            this.stage = stage;
        }

        static List<String> stages() {
            return Arrays.stream(values()).skip(1).map(mark -> mark.stage).toList();
        }
    }

    private final InstantSource clock = InstantSource.system();
    private final String orchestratorId = "o-bench-" + UUID.randomUUID().toString().substring(0, 8);
    private final String queuePrefix = "sb-bench-" + UUID.randomUUID().toString().substring(0, 8);
    private final Topology topology = new Topology(queuePrefix, Topology.DEFAULT_DELIVERY_LIMIT, 0);
    private final BrokerEndpoint broker;
    private final String postgresUrl;
    private final StoreTimes times = new StoreTimes();
    private final List<Database> databases = new ArrayList<>();
    private final List<BrokerSession> sessions = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread deleteOnShutdown = new Thread(this::deleteQueues, "switchboard-leg-cleanup");
    private final ConcurrentLinkedQueue<String> outside = new ConcurrentLinkedQueue<>();
    private Database orchestratorDatabase;
    private Store client;
    private Store orchestrator;
    private Relay relay;
    private Dispatcher dispatcher;
    private ExecutorService dispatching;
    private volatile Current current;
    private int rounds;

    /**
     * @param postgresUrl a schema of its own on the server (dropped by whoever made it)
     * @param broker the RabbitMQ the queues are declared on (and deleted from at the end)
     */
    SwitchboardLeg(String postgresUrl, BrokerEndpoint broker) throws InterruptedException {
        this.postgresUrl = postgresUrl;
        this.broker = broker;
        Runtime.getRuntime().addShutdownHook(deleteOnShutdown);
        try {
            start();
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void start() throws InterruptedException {
        orchestratorDatabase = open();
        orchestrator = times.timed(orchestratorDatabase.store(), "orchestrator");
        client = times.timed(open().store(), "client");
        for (int i = 1; i <= WORKERS; i++) {
            startWorker("w-bench-" + i, AGENT_PREFIX + i, times.timed(open().store(), "workers"));
        }
        startOrchestrator();
        awaitUntil("the workers, the result notices and the relay to connect to " + broker,
                () -> relay.connected() && sessions.stream().allMatch(BrokerSession::connected));
    }

    private Database open() {
        Database database = Database.open(postgresUrl);
        databases.add(database);
        return database;
    }

    /** A worker as {@code switchboard worker --amqp} wires it, with an agent of its own and the no-op runner. */
    private void startWorker(String id, String agentName, Store store) {
        AgentProfile agent = new AgentProfile(agentName, Adapter.COMMAND, AgentProfile.DEFAULT_AGENT_TYPE, null,
                List.of(), List.of(), List.of(), List.of(), 0.0, AgentProfile.DEFAULT_CONTEXT_LIMIT,
                Availability.LOCAL, MAX_CONCURRENCY, Map.of(), List.of("true"));
        WorkerRegistry.Registration registration = store.registerWorker(id, List.of(agent),
                WORKER_SETTINGS.staleAfter());
        if (registration.refused()) {
            throw new IllegalStateException(NAME + ": worker " + id + " was refused: " + registration.clashes());
        }
        SwitchboardConfig config = SwitchboardConfig.empty();
        AtomicReference<Channel> notices = new AtomicReference<>();
        RemoteWorker worker = new RemoteWorker(id, store, store, new WorkStarts(), config, List.of(agent),
                new AgentEnvironment(config, Map.of(), Map.of()), Path.of(System.getProperty("java.io.tmpdir")),
                WORKER_SETTINGS.lease(), clock, (key, orchestratorId) -> {
                    Channel channel = notices.get();
                    if (channel != null && channel.isOpen()) {
                        try {
                            ResultNotices.publish(channel, topology, orchestratorId, key);
                        } catch (IOException e) {
                            // Only a doorbell: the orchestrator finds the result in the store at its next look.
                        }
                    }
                }, new WorkerMarks(id));
        sessions.add(new BrokerSession(broker, "bench-worker-" + id, connection -> {
            Channel channel = connection.createChannel();
            ResultNotices.declare(channel, topology);
            notices.set(channel);
            WorkConsumer consumer = WorkConsumer.start(connection, topology, agent.name(), agent.maxConcurrency(),
                    BrokerEndpoint.DEFAULT_TIMEOUT, message -> {
                        mark(Mark.DELIVERED, message.taskId());
                        worker.accept(message);
                    }, new ConsumerProblems(id));
            return consumer::close;
        }, BrokerSession.Listener.printing("bench: " + NAME + " worker " + id, outside::add), Duration.ofMillis(100),
                Duration.ofSeconds(5)).start());
        every(BEAT, "worker " + id + " heartbeat", () -> {
            store.beat(id);
            worker.renew();
        });
    }

    /** The orchestrator as {@code switchboard serve --amqp} wires it (its Orchestration and RemoteDispatch). */
    private void startOrchestrator() {
        SwitchboardConfig config = SwitchboardConfig.empty();
        orchestrator.registerOrchestrator(new OrchestratorRecord(orchestratorId, "bench", ProcessHandle.current()
                .pid(), clock.instant(), null));
        orchestrator.beatOrchestrator(orchestratorId, WORKER_SETTINGS.staleAfter());
        every(BEAT, "orchestrator heartbeat", () -> orchestrator.beatOrchestrator(orchestratorId,
                WORKER_SETTINGS.staleAfter()));
        relay = new Relay(orchestratorId, orchestrator, broker, topology, RelayOptions.DEFAULTS, clock,
                new RelayProblems()).start();
        RemoteRunner runner = new RemoteRunner(orchestrator, orchestratorId, BEAT);
        sessions.add(new BrokerSession(broker, "bench-results-" + orchestratorId,
                connection -> ResultNotices.listen(connection, topology, orchestratorId, key -> {
                    mark(Mark.NOTIFIED, key.taskId());
                    runner.reported(key);
                }), BrokerSession.Listener.printing("bench: " + NAME + " result notices", outside::add),
                Duration.ofMillis(100), Duration.ofSeconds(5)).start());
        every(BEAT, "lease check", runner::check);
        RoutingService routing = new RoutingService(orchestrator, orchestrator, orchestrator, orchestrator,
                orchestrator, new Router(config.policy(), config.rules()), clock);
        Dispatcher.Settings settings = new Dispatcher.Settings(orchestratorId, Path.of(System.getProperty(
                "java.io.tmpdir")), Map.of(), Map.of(), null, config.policy().halfLife(), null)
                .withRemote(new Dispatcher.Remote(orchestrator, runner, WORKER_SETTINGS.claimWithin(), relay::wake))
                .withClaims(orchestrator);
        dispatcher = new Dispatcher(routing, orchestrator, orchestrator, orchestrator, new NoOpRunner(),
                SwitchboardLeg::sleepUntil, clock, new DispatcherMarks(), config, settings);
        dispatching = Executors.newFixedThreadPool(DISPATCHING, Thread.ofPlatform().name("bench-dispatch-", 1)
                .daemon().factory());
    }

    /** Runs {@code work} every {@code period} on a daemon thread until the leg is closed; reports failures once. */
    private void every(Duration period, String what, Runnable work) {
        threads.add(Thread.ofPlatform().daemon().name("bench-" + what.replace(' ', '-')).start(() -> {
            boolean failing = false;
            try {
                while (!closed.await(period.toMillis(), TimeUnit.MILLISECONDS)) {
                    try {
                        work.run();
                        failing = false;
                    } catch (RuntimeException e) {
                        if (!failing) {
                            outside.add("bench: " + NAME + " " + what + " failed: " + e.getMessage());
                            failing = true;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String configuration() {
        return ("one orchestrator, %d dispatching threads; %d workers, an agent each, max concurrency %d; "
                + "heartbeats, lease renewals and lease checks every %d s; relay batch %d, up to %,d unconfirmed; "
                + "in bulk, %d stored (one transaction each: no batch submit), then handed over together").formatted(
                DISPATCHING, WORKERS, MAX_CONCURRENCY, BEAT.toSeconds(), RelayOptions.DEFAULTS.batchSize(),
                RelayOptions.DEFAULTS.maxUnconfirmed(), DistributedThroughput.BATCH);
    }

    @Override
    public Round round(int tasks, Submission submission) throws Exception {
        int batch = submission == Submission.BULK ? DistributedThroughput.BATCH : 1;
        printOutside();
        Current round = new Current(++rounds, tasks, submission);
        times.reset();
        current = round;
        for (int first = 0; first < tasks; first += batch) {
            int end = Math.min(tasks, first + batch);
            for (int i = first; i < end; i++) {
                round.tally.submitting(i);
                round.mark(Mark.SUBMITTING, i);
                client.submit(task(round.id(i)), TaskOptions.DEFAULTS, false, clock.instant());
                round.mark(Mark.SUBMITTED, i);
            }
            for (int i = first; i < end; i++) {
                int index = i;
                dispatching.execute(() -> dispatch(round, index));
            }
        }
        round.tally.submittedAll();
        Round result;
        try {
            result = round.tally.await(NAME, submission);
        } catch (IllegalStateException e) {
            round.failIfProblems(e);
            throw e;
        }
        round.failIfProblems(null);
        Map<String, Double> events = new java.util.LinkedHashMap<>();
        events.put(AWAITED_OWN_ATTEMPT, (double) round.awaitedOwnAttempt.get());
        events.put(WAITED_RECHECK, (double) round.waitedRecheck.get());
        events.put(LOST_AFTER_REPORT, (double) round.lost.get());
        Breakdown breakdown = new Breakdown(Breakdown.stages(Mark.stages(), round.marks()), times.perTask(tasks),
                events);
        // The lost ones count as lost after their report only once the store says every task succeeded once.
        check(round);
        vacuum();
        return result.with(breakdown);
    }

    /** The time the orchestrator's calls under the dispatch lock took per task, in ms. */
    static double millisUnderDispatchLock(Breakdown breakdown) {
        return breakdown.calls().stream().filter(call -> call.side().equals("orchestrator")
                && UNDER_DISPATCH_LOCK.contains(call.method())).mapToDouble(Breakdown.Call::millisPerTask).sum();
    }

    private static Task task(String id) {
        return aTask().withId(id).titled("Do nothing").withPrompt("Do nothing.").ofType(TaskType.IMPLEMENT)
                .withEstimatedTokens(1_000).build();
    }

    /** One dispatching thread's work on one task: run it to its end, which must be a success. */
    private void dispatch(Current round, int index) {
        String id = round.id(index);
        round.mark(Mark.PICKED, index);
        try {
            TaskStatus status = dispatcher.run(id);
            round.mark(Mark.RETURNED, index);
            if (status.state() != TaskState.SUCCEEDED) {
                round.problem(id + " ended " + status.state() + ": " + status.reason());
            } else if (round.starts.get(index) != 1) {
                round.problem(id + " succeeded, but its work started " + round.starts.get(index) + " times");
            } else {
                round.completions.incrementAndGet(index);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            round.problem(id + ": the dispatching thread was interrupted");
        } catch (RuntimeException e) {
            round.problem(id + ": dispatcher.run failed: " + e);
        } finally {
            round.tally.completed();
        }
    }

    /**
     * What the store says after the round, and what the round saw: every task succeeded once, with one attempt and
     * one accepted result, and nothing is left in the outbox.
     */
    private void check(Current round) throws InterruptedException {
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < round.tasks(); i++) {
            if (round.completions.get(i) != 1 || round.starts.get(i) != 1) {
                wrong.add(round.id(i) + " returned SUCCEEDED " + round.completions.get(i) + " times, its work started "
                        + round.starts.get(i) + " times");
            }
        }
        String pattern = round.prefix + "%";
        long[] counts = StoreConnection.use(orchestratorDatabase, connection -> new long[] {
            count(connection, "SELECT count(*) FROM tasks WHERE task_id LIKE ?", pattern),
            count(connection, "SELECT count(*) FROM tasks WHERE task_id LIKE ? AND state = 'succeeded'", pattern),
            count(connection, "SELECT count(*) FROM attempts WHERE task_id LIKE ?", pattern),
            count(connection, "SELECT count(DISTINCT task_id) FROM attempts WHERE task_id LIKE ? AND state = "
                    + "'succeeded'", pattern),
            count(connection, "SELECT count(*) FROM attempt_results WHERE task_id LIKE ? AND accepted", pattern),
            count(connection, "SELECT count(*) FROM attempt_results WHERE task_id LIKE ?", pattern)});
        String[] what = {"tasks stored", "tasks SUCCEEDED", "attempts", "tasks with a succeeded attempt",
            "accepted results", "results reported"};
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != round.tasks()) {
                wrong.add(what[i] + ": " + counts[i]);
            }
        }
        long pending;
        long until = System.nanoTime() + SETTLE.toNanos();
        while ((pending = orchestrator.countPending()) > 0 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        if (pending > 0) {
            wrong.add(pending + " outbox rows still pending " + SETTLE.toSeconds() + " s after the last completion");
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException(NAME + ": round " + round.number + " of " + round.tasks() + " tasks is "
                    + "wrong: " + String.join("; ", wrong.subList(0, Math.min(10, wrong.size())))
                    + (wrong.size() > 10 ? "; and " + (wrong.size() - 10) + " more" : ""));
        }
    }

    private static long count(java.sql.Connection connection, String sql, String pattern) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, pattern);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** {@code VACUUM ANALYZE}s every table of the schema, outside the timing. */
    private void vacuum() {
        StoreConnection.use(orchestratorDatabase, connection -> {
            List<String> tables = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(
                            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            try (Statement statement = connection.createStatement()) {
                for (String table : tables) {
                    statement.execute("VACUUM ANALYZE " + table);
                }
            }
            return null;
        });
    }

    /** Marks the task passing {@code mark} in the current round; a task of another round is a problem. */
    private void mark(Mark mark, String taskId) {
        Current round = current;
        if (round == null) {
            outside.add("bench: " + NAME + ": " + taskId + " passed " + mark + " outside any round");
            return;
        }
        int index = round.indexOf(taskId);
        if (index < 0) {
            round.problem(taskId + " passed " + mark + " during round " + round.number);
            return;
        }
        round.mark(mark, index);
    }

    /** The no-op agent on the workers: its run has succeeded when {@code start} returns. */
    private final class WorkStarts implements AgentRunner {
        @Override
        public RunningAgent start(RunRequest request, RunObserver observer) {
            Current round = current;
            int index = round == null ? -1 : round.indexOf(request.taskId());
            if (index < 0) {
                mark(Mark.WORK_STARTED, request.taskId());
                return NoOpRunner.FINISHED;
            }
            round.tally.started(index);
            round.mark(Mark.WORK_STARTED, index);
            // After the start: a dispatching thread reads this before counting the task complete.
            round.starts.incrementAndGet(index);
            return NoOpRunner.FINISHED;
        }

        @Override
        public RunningAgent verify(VerifyRequest request) {
            return NoOpRunner.FINISHED;
        }

        @Override
        public int sweep(String markerPrefix) {
            return 0;
        }
    }

    /** The dispatcher's events: marks, and anything a no-op task should never meet. */
    private final class DispatcherMarks implements SwitchboardListener {
        @Override
        public void decided(String taskId, long decisionId, RoutingDecision decision) {
            mark(Mark.DECIDED, taskId);
        }

        @Override
        public void attemptStarted(Attempt attempt) {
            mark(Mark.ATTEMPT_STARTED, attempt.taskId());
        }

        @Override
        public void attemptFinished(Attempt attempt, AttemptOutcome outcome) {
            mark(Mark.FINISHED, attempt.taskId());
        }

        /**
         * With more dispatching threads than slots, a task may be routed while every agent is busy: it waits for a
         * recheck, which is the dispatcher's way and no problem (it is counted). Any other wait is one.
         */
        @Override
        public void waiting(String taskId, Instant until, String reason) {
            Current round = current;
            if (round != null && reason.startsWith("every capable agent is busy")) {
                round.waitedRecheck.incrementAndGet();
            } else {
                problem(taskId + " waits until " + until + ": " + reason);
            }
        }

        @Override
        public void waitingForAgent(String taskId, String reason) {
            Current round = current;
            if (round != null) {
                round.awaitedOwnAttempt.incrementAndGet();
            }
        }

        @Override
        public void handedOff(String taskId, Handoff handoff) {
            problem(taskId + " was handed off");
        }

        @Override
        public void claimedElsewhere(String taskId) {
            problem(taskId + " is claimed by another orchestrator");
        }
    }

    /** A worker's events: marks, and anything a no-op task should never meet. */
    private final class WorkerMarks implements RemoteWorker.WorkerListener {
        private final String worker;

        WorkerMarks(String worker) {
            this.worker = worker;
        }

        @Override
        public void claimed(AttemptKey attempt, String agent) {
            mark(Mark.CLAIMED, attempt.taskId());
        }

        @Override
        public void finished(AttemptKey attempt, RunResult result, RemoteAttempts.Report report) {
            mark(Mark.REPORTED, attempt.taskId());
            if (!report.accepted()) {
                problem("worker " + worker + ": the result of " + attempt + " was superseded: " + report.reason());
            }
        }

        @Override
        public void dropped(AttemptKey attempt, String reason) {
            problem("worker " + worker + " dropped " + attempt + ": " + reason);
        }

        /**
         * Not a problem in itself: a renewal that runs between a report's commit and the run's end reads the attempt
         * as no longer held (it is reported, not claimed) and says it is lost, although its result was accepted. The
         * round's checks tell whether anything was really lost; these are counted and told.
         */
        @Override
        public void lost(AttemptKey attempt) {
            Current round = current;
            if (round != null) {
                round.lost.incrementAndGet();
            }
        }

        @Override
        public void storeFailed(AttemptKey attempt, String failure) {
            problem("worker " + worker + " could not report " + attempt + ": " + failure);
        }
    }

    private final class ConsumerProblems implements ConsumerListener {
        private final String worker;

        ConsumerProblems(String worker) {
            this.worker = worker;
        }

        @Override
        public void deadLettered(String queue, String reason) {
            problem("worker " + worker + " dead-lettered a message of " + queue + ": " + reason);
        }

        @Override
        public void handlerFailed(String queue, WorkMessage message, String failure) {
            problem("worker " + worker + " failed on " + message.taskId() + " attempt " + message.attempt() + ": "
                    + failure);
        }
    }

    private final class RelayProblems implements RelayListener {
        @Override
        public void brokerUnavailable(String reason) {
            problem("relay: the broker is unavailable: " + reason);
        }

        @Override
        public void returned(long rowId, String agent, String replyText) {
            problem("relay: row " + rowId + " for " + agent + " was returned: " + replyText);
        }

        @Override
        public void refused(int rows) {
            problem("relay: the broker refused " + rows + " rows");
        }

        @Override
        public void unconfirmed(int rows, Duration after) {
            problem("relay: " + rows + " rows unconfirmed after " + after.toMillis() + " ms");
        }

        @Override
        public void failed(String reason) {
            problem("relay failed: " + reason);
        }

        @Override
        public void storeFailed(String reason) {
            problem("relay: the store failed: " + reason);
        }
    }

    /** Something that must not happen in a round: it fails the round, or is printed when no round runs. */
    private void problem(String what) {
        Current round = current;
        if (round == null) {
            outside.add("bench: " + NAME + ": " + what);
        } else {
            round.problem(what);
        }
    }

    /** One round's tasks: their ids, their marks, and what went wrong. */
    private static final class Current {
        final int number;
        final String prefix;
        final Tally tally;
        final AtomicLongArray[] marks = new AtomicLongArray[Mark.values().length];
        /** Per task, how many times its work started on a worker. */
        final AtomicIntegerArray starts;
        /** Per task, how many times {@code dispatcher.run} returned it {@code SUCCEEDED}. */
        final AtomicIntegerArray completions;
        final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        final AtomicInteger problemCount = new AtomicInteger();
        /** Attempts a worker's renewal called lost. */
        final AtomicInteger lost = new AtomicInteger();
        final AtomicInteger awaitedOwnAttempt = new AtomicInteger();
        final AtomicInteger waitedRecheck = new AtomicInteger();

        Current(int number, int tasks, Submission submission) {
            this.number = number;
            this.prefix = ROUND_PREFIX + number + "-";
            this.tally = new Tally(tasks, submission);
            for (int i = 0; i < marks.length; i++) {
                marks[i] = new AtomicLongArray(tasks);
            }
            starts = new AtomicIntegerArray(tasks);
            completions = new AtomicIntegerArray(tasks);
        }

        int tasks() {
            return tally.tasks();
        }

        String id(int index) {
            return prefix + index;
        }

        /** The task's index in this round, or -1 for a task of another round. */
        int indexOf(String taskId) {
            if (!taskId.startsWith(prefix)) {
                return -1;
            }
            try {
                int index = Integer.parseInt(taskId.substring(prefix.length()));
                return index >= 0 && index < tasks() ? index : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /** The first time the task passes the mark counts. */
        void mark(Mark mark, int index) {
            marks[mark.ordinal()].compareAndSet(index, 0, System.nanoTime());
        }

        long[][] marks() {
            long[][] copy = new long[marks.length][];
            for (int mark = 0; mark < marks.length; mark++) {
                copy[mark] = new long[tasks()];
                for (int i = 0; i < tasks(); i++) {
                    copy[mark][i] = marks[mark].get(i);
                }
            }
            return copy;
        }

        void problem(String what) {
            if (problemCount.incrementAndGet() <= 20) {
                problems.add(what);
            }
        }

        /** Fails the round, naming what went wrong, when anything did. */
        void failIfProblems(Exception cause) {
            if (problemCount.get() > 0) {
                throw new IllegalStateException(NAME + ": round " + number + " went wrong (" + problemCount.get()
                        + " problems): " + String.join("; ", problems), cause);
            }
        }
    }

    /** Waits until the condition holds, checking every 20 ms, for {@link #SETTLE} at most. */
    private static void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        awaitUntil(NAME, what, condition);
    }

    /** Waits until the condition holds, checking every 20 ms, for {@link #SETTLE} at most; {@code leg} names who. */
    static void awaitUntil(String leg, String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + SETTLE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException(leg + ": waited " + SETTLE.toSeconds() + " s for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Nothing here waits (every task succeeds at its first attempt); the CLI's waiter sleeps on the real clock too. */
    private static void sleepUntil(Instant due) throws InterruptedException {
        long millis = Duration.between(Instant.now(), due).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    /** Prints what went wrong outside any round (a lost connection between rounds), once, to standard error. */
    private void printOutside() {
        String line;
        while ((line = outside.poll()) != null) {
            System.err.println(line);
        }
    }

    private void deleteQueues() {
        deleteQueues(broker, topology, IntStream.rangeClosed(1, WORKERS).mapToObj(i -> AGENT_PREFIX + i).toList(),
                NAME);
    }

    /** Deletes the agents' queues and the topology's shared queues and exchanges; a failure is printed, named. */
    static void deleteQueues(BrokerEndpoint broker, Topology topology, List<String> agents, String leg) {
        try (Connection connection = broker.connect("bench-cleanup"); Channel channel = connection.createChannel()) {
            for (String agent : agents) {
                channel.queueDelete(topology.agentQueue(agent));
            }
            channel.queueDelete(topology.deadLetterQueue());
            channel.queueDelete(topology.resultsQueue());
            channel.exchangeDelete(topology.workExchange());
            channel.exchangeDelete(topology.deadLetterExchange());
            channel.exchangeDelete(topology.resultsExchange());
        } catch (IOException | TimeoutException | RuntimeException e) {
            System.err.println("bench: could not delete the queues of " + leg + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        current = null;
        closed.countDown();
        if (dispatching != null) {
            dispatcher.stopTakingWork();
            dispatching.shutdownNow();
        }
        threads.forEach(Thread::interrupt);
        for (BrokerSession session : sessions.reversed()) {
            session.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (orchestrator != null) {
            try {
                orchestrator.endOrchestrator(orchestratorId, clock.instant());
            } catch (RuntimeException e) {
                System.err.println("bench: could not end orchestrator " + orchestratorId + ": " + e.getMessage());
            }
        }
        for (Database database : databases.reversed()) {
            database.close();
        }
        deleteQueues();
        try {
            Runtime.getRuntime().removeShutdownHook(deleteOnShutdown);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running or has run.
        }
        printOutside();
    }
}
