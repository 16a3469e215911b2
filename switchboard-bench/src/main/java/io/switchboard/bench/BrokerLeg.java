package io.switchboard.bench;

import com.rabbitmq.client.Connection;
import io.switchboard.broker.BrokerEndpoint;
import io.switchboard.broker.ConsumerListener;
import io.switchboard.broker.Relay;
import io.switchboard.broker.RelayListener;
import io.switchboard.broker.RelayOptions;
import io.switchboard.broker.Topology;
import io.switchboard.broker.WorkConsumer;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.remote.WorkMessage;
import io.switchboard.store.Database;
import io.switchboard.store.Store;
import io.switchboard.store.StoreConnection;
import java.io.IOException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;

/**
 * Switchboard's RabbitMQ leg alone, the part of remote dispatch the bare {@link RabbitMqLoop} stands beside: the
 * outbox rows the dispatcher commits, the {@link Relay} that publishes them ({@code mandatory}, under asynchronous
 * confirms, claiming rows and removing the confirmed ones a batch at a time), and the workers' {@link WorkConsumer}s
 * that take each delivery, decode it as a {@link WorkMessage} and acknowledge it, two of them on an agent's queue
 * each, with the prefetch a worker gives its agent (its max concurrency). Wired as {@code serve --amqp} and {@code worker --amqp}
 * wire them, on a schema and queues of its own.
 *
 * <p>A task is submitted when its outbox row is committed, as the dispatcher commits it with the attempt: one at a
 * time, each row in its own transaction ({@link Store#enqueue}); in bulk, {@link DistributedThroughput#BATCH} rows to
 * a transaction. Each commit wakes the relay, as the dispatcher's does. A task completes when a consumer's handler has
 * it, just before the acknowledgement; its latency runs from the commit's start to then. What the consumer's handler
 * does on a worker (claim the attempt in the store, run the agent) is not this leg's: {@link SwitchboardLeg} measures
 * the whole way.
 *
 * <p>After each round, outside its timing: every task was delivered exactly once, and the relay removed every row (it
 * does so once the confirms are in); the outbox is then vacuumed.
 */
final class BrokerLeg implements DistributedLeg {
    static final String NAME = "Switchboard, RabbitMQ leg";
    static final int CONSUMERS = SwitchboardLeg.WORKERS;
    static final int PREFETCH = SwitchboardLeg.MAX_CONCURRENCY;
    private static final String INSERT = """
            INSERT INTO outbox (agent, priority, message_version, task_id, attempt_number, mode, prompt, prompt_ref,
                deadline, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private final InstantSource clock = InstantSource.system();
    private final String relayId = "o-bench-" + UUID.randomUUID().toString().substring(0, 8);
    private final Topology topology = new Topology("sb-bench-" + UUID.randomUUID().toString().substring(0, 8),
            Topology.DEFAULT_DELIVERY_LIMIT, 0);
    private final BrokerEndpoint broker;
    private final Database database;
    private final Store store;
    private final List<Connection> connections = new ArrayList<>();
    private final List<WorkConsumer> consumers = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final Thread deleteOnShutdown = new Thread(this::deleteQueues, "broker-leg-cleanup");
    private final Relay relay;
    private volatile Current current;
    private int rounds;

    /** One round's tasks: how many times each was delivered. */
    private record Current(String prefix, DistributedLeg.Tally tally, AtomicIntegerArray deliveries) {
    }

    /**
     * @param postgresUrl a schema of its own on the server (dropped by whoever made it)
     * @param broker the RabbitMQ its queues are declared on (and deleted from at the end)
     */
    BrokerLeg(String postgresUrl, BrokerEndpoint broker) throws InterruptedException {
        this.broker = broker;
        this.database = Database.open(postgresUrl);
        this.store = database.store();
        this.relay = new Relay(relayId, store, broker, topology, RelayOptions.DEFAULTS, clock, new RelayProblems());
        Runtime.getRuntime().addShutdownHook(deleteOnShutdown);
        try {
            for (int i = 1; i <= CONSUMERS; i++) {
                Connection connection = broker.connect("bench-broker-leg-worker-" + i);
                connections.add(connection);
                consumers.add(WorkConsumer.start(connection, topology, agent(i), PREFETCH,
                        BrokerEndpoint.DEFAULT_TIMEOUT, this::delivered, new ConsumerProblems()));
            }
            relay.start();
            SwitchboardLeg.awaitUntil(NAME, "the relay to connect to " + broker, relay::connected);
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private static String agent(int index) {
        return SwitchboardLeg.AGENT_PREFIX + index;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String configuration() {
        return ("outbox rows committed (one at a time: each its own transaction; in bulk %d to a transaction), the "
                + "relay (batch %d, up to %,d unconfirmed), %d workers' consumers, an agent's queue each, prefetch %d; "
                + "done when a consumer has the message").formatted(DistributedThroughput.BATCH,
                RelayOptions.DEFAULTS.batchSize(), RelayOptions.DEFAULTS.maxUnconfirmed(), CONSUMERS, PREFETCH);
    }

    @Override
    public Round round(int tasks, Submission submission) throws Exception {
        printProblems();
        int batch = submission == Submission.BULK ? DistributedThroughput.BATCH : 1;
        Current round = new Current("BL-" + (++rounds) + "-", new Tally(tasks, submission),
                new AtomicIntegerArray(tasks));
        current = round;
        for (int first = 0; first < tasks; first += batch) {
            int end = Math.min(tasks, first + batch);
            if (batch == 1) {
                round.tally().submitting(first);
                store.enqueue(message(round, first), clock.instant());
            } else {
                insert(round, first, end);
            }
            relay.wake();
        }
        round.tally().submittedAll();
        Round result = round.tally().await(NAME, submission);
        check(round);
        return result;
    }

    private WorkMessage message(Current round, int index) {
        return new WorkMessage(WorkMessage.VERSION, round.prefix() + index, 1, agent(index % CONSUMERS + 1), Mode.AUTO,
                new WorkMessage.Reference("task:" + round.prefix() + index), null, 0);
    }

    /**
     * Rows {@code first} to {@code end} (exclusive) in one transaction, as the store writes a row (fewer rows than
     * {@link History#insert} puts in a transaction or a batch).
     */
    private void insert(Current round, int first, int end) {
        History.insert(database, end - first, INSERT, (statement, dialect, row) -> {
            int i = first + row;
            round.tally().submitting(i);
            WorkMessage message = message(round, i);
            statement.setString(1, message.agent());
            statement.setInt(2, message.priority());
            statement.setInt(3, message.version());
            statement.setString(4, message.taskId());
            statement.setInt(5, message.attempt());
            statement.setString(6, message.mode().configName());
            statement.setString(7, null);
            statement.setString(8, ((WorkMessage.Reference) message.prompt()).location());
            dialect.setInstant(statement, 9, null);
            dialect.setInstant(statement, 10, clock.instant());
        });
    }

    /** A consumer's handler: the task's message has arrived, decoded; the consumer acknowledges it on return. */
    private void delivered(WorkMessage message) {
        Current round = current;
        if (round == null || !message.taskId().startsWith(round.prefix())) {
            problems.add("a message of no current round: " + message.taskId());
            return;
        }
        int index = Integer.parseInt(message.taskId().substring(round.prefix().length()));
        if (round.deliveries().incrementAndGet(index) == 1) {
            round.tally().started(index);
            round.tally().completed();
        }
    }

    /** Every task delivered once; every row removed once confirmed; then the outbox vacuumed. */
    private void check(Current round) throws InterruptedException {
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < round.tally().tasks(); i++) {
            if (round.deliveries().get(i) != 1) {
                wrong.add(round.prefix() + i + " delivered " + round.deliveries().get(i) + " times");
            }
        }
        long until = System.nanoTime() + SwitchboardLeg.SETTLE.toNanos();
        long pending;
        while ((pending = store.countPending()) > 0 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        if (pending > 0) {
            wrong.add(pending + " outbox rows still pending " + SwitchboardLeg.SETTLE.toSeconds() + " s after the last "
                    + "delivery");
        }
        wrong.addAll(problems);
        problems.clear();
        if (!wrong.isEmpty()) {
            throw new IllegalStateException(NAME + ": a round of " + round.tally().tasks() + " tasks is wrong: "
                    + String.join("; ", wrong.subList(0, Math.min(10, wrong.size()))));
        }
        StoreConnection.use(database, connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("VACUUM ANALYZE outbox");
            }
            return null;
        });
    }

    private void printProblems() {
        for (String problem = problems.poll(); problem != null; problem = problems.poll()) {
            System.err.println("bench: " + NAME + ": " + problem);
        }
    }

    private final class ConsumerProblems implements ConsumerListener {
        @Override
        public void deadLettered(String queue, String reason) {
            problems.add("dead-lettered from " + queue + ": " + reason);
        }

        @Override
        public void handlerFailed(String queue, WorkMessage message, String failure) {
            problems.add("the handler failed on " + message.taskId() + ": " + failure);
        }
    }

    private final class RelayProblems implements RelayListener {
        @Override
        public void returned(long rowId, String agent, String replyText) {
            problems.add("the broker returned row " + rowId + " for " + agent + ": " + replyText);
        }

        @Override
        public void refused(int rows) {
            problems.add("the broker refused " + rows + " rows");
        }

        @Override
        public void unconfirmed(int rows, Duration after) {
            problems.add(rows + " rows unconfirmed after " + after);
        }

        @Override
        public void failed(String reason) {
            problems.add("the relay failed: " + reason);
        }

        @Override
        public void storeFailed(String reason) {
            problems.add("the relay could not use the store: " + reason);
        }
    }

    private void deleteQueues() {
        SwitchboardLeg.deleteQueues(broker, topology, IntStream.rangeClosed(1, CONSUMERS).mapToObj(BrokerLeg::agent)
                .toList(), NAME);
    }

    @Override
    public void close() {
        current = null;
        if (relay != null) {
            relay.close();
        }
        consumers.forEach(WorkConsumer::close);
        try {
            Runtime.getRuntime().removeShutdownHook(deleteOnShutdown);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running or has run.
        }
        for (Connection connection : connections) {
            if (connection.isOpen()) {
                try {
                    connection.close();
                } catch (IOException | RuntimeException e) {
                    System.err.println("bench: could not close a RabbitMQ connection: " + e.getMessage());
                }
            }
        }
        database.close();
        deleteQueues();
        printProblems();
    }
}
