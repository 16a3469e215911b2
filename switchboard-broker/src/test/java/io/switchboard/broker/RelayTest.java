package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.switchboard.broker.TestBrokers.TestBroker;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptStart;
import io.switchboard.core.attempt.DecidedStart;
import io.switchboard.core.attempt.StartResult;
import io.switchboard.core.port.Outbox;
import io.switchboard.core.remote.OutboxRow;
import io.switchboard.core.remote.WorkMessage;
import io.switchboard.store.Database;
import io.switchboard.store.Store;
import io.switchboard.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The relay against real brokers (the local RabbitMQ when it answers, and an embedded Qpid Broker-J), reading a
 * real SQLite store's outbox: what the agents' queues hold at the end is counted, message by message.
 */
@Timeout(120)
class RelayTest {
    private static final Duration RETRY_DELAY = Duration.ofSeconds(5);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path folder;

    private final MutableClock clock = new MutableClock();
    private final RecordingRelayListener listener = new RecordingRelayListener();
    private final WorkMessageCodec codec = new WorkMessageCodec();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Database database;
    private Store store;

    @BeforeEach
    void openStore() {
        database = Database.open(Database.sqliteUrl(folder.resolve("state.db")));
        store = database.store();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
        database.close();
    }

    private Relay relay(String url, Topology topology) {
        RelayOptions options = RelayOptions.DEFAULTS.withPolling(Duration.ofMillis(50))
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .withRetryDelay(RETRY_DELAY)
                .withConfirmTimeout(CONFIRM_TIMEOUT);
        Relay relay = new Relay("relay-1", store, BrokerEndpoint.of(url, Duration.ofSeconds(5)), topology, options,
                clock, listener);
        toClose.add(relay);
        return relay;
    }

    private BrokerQueues queues(TestBroker broker, Topology topology, String... agents) {
        BrokerQueues queues = new BrokerQueues(broker, topology, List.of(agents));
        toClose.add(queues);
        return queues;
    }

    private static WorkMessage message(String taskId, String agent, int priority) {
        return WorkMessage.of(taskId, 1, agent, Mode.AUTO, new WorkMessage.Inline("Do " + taskId), null, priority);
    }

    private long enqueue(String taskId, String agent) {
        return store.enqueue(message(taskId, agent, 4), clock.instant());
    }

    private List<WorkMessage> decoded(List<GetResponse> responses) {
        return responses.stream().map(response -> switch (codec.decode(response.getBody())) {
            case WorkMessageCodec.Decoded.Message message -> message.message();
            case WorkMessageCodec.Decoded.Rejected rejected -> throw new AssertionError(rejected.reason());
        }).toList();
    }

    private static List<String> taskIds(List<WorkMessage> messages) {
        return messages.stream().map(WorkMessage::taskId).toList();
    }

    private void awaitNothingPending() {
        await().atMost(PATIENCE).until(() -> store.countPending() == 0);
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.broker.TestBrokers#all")
    void everyRowIsPublishedExactlyOnceToItsAgentsQueue(TestBroker broker) {
        Topology topology = TestBrokers.newTopology(0);
        List<String> agents = List.of("codex", "gemini", "aider");
        BrokerQueues queues = queues(broker, topology, agents.toArray(String[]::new));
        long seed = new Random().nextLong();
        System.out.println("seed " + seed);
        Random random = new Random(seed);
        Set<WorkMessage> enqueued = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            String agent = agents.get(i % agents.size());
            WorkMessage message = WorkMessage.of("T-" + i, 1 + random.nextInt(3), agent, Mode.AUTO,
                    i % 2 == 0 ? new WorkMessage.Inline("Prompt " + i + " ✓") : WorkMessage.Reference.toTask("T-" + i),
                    i % 3 == 0 ? Instant.parse("2026-03-01T10:00:00Z").plusSeconds(i) : null, random.nextInt(10));
            enqueued.add(message);
            store.enqueue(message, clock.instant());
        }

        relay(broker.url(), topology).start();
        awaitNothingPending();

        List<WorkMessage> received = new ArrayList<>();
        for (String agent : agents) {
            List<GetResponse> responses = queues.takeAll(topology.agentQueue(agent));
            assertThat(responses).allSatisfy(response -> {
                assertThat(response.getProps().getDeliveryMode()).isEqualTo(2);
                assertThat(response.getProps().getContentType()).isEqualTo("application/json");
            });
            List<WorkMessage> messages = decoded(responses);
            assertThat(messages).extracting(WorkMessage::agent).containsOnly(agent);
            // Each message carries its row's priority.
            for (int i = 0; i < responses.size(); i++) {
                assertThat(responses.get(i).getProps().getPriority()).isEqualTo(messages.get(i).priority());
            }
            received.addAll(messages);
        }
        assertThat(received).hasSize(300).doesNotHaveDuplicates();
        assertThat(new HashSet<>(received)).isEqualTo(enqueued);
        assertThat(listener.sent.get()).isEqualTo(300);
        assertThat(listener.count("unavailable")).isZero();
        assertThat(listener.count("available")).isEqualTo(1);
        // The relay says what kind of queues the broker gave the agents.
        assertThat(listener.events.getFirst()).contains(broker.embedded() ? "no quorum queues, so classic queues"
                : "quorum queues per agent");
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.broker.TestBrokers#all")
    void rowsTheBrokerRefusesArePublishedAgainOnceTheQueueHasRoom(TestBroker broker) {
        Topology topology = TestBrokers.newTopology(2);
        BrokerQueues queues = queues(broker, topology, "codex");
        String queue = topology.agentQueue("codex");
        for (int i = 1; i <= 3; i++) {
            enqueue("T-" + i, "codex");
        }
        Relay relay = relay(broker.url(), topology).start();
        // The queue fills (a quorum queue may take a few more than its bound before it starts refusing).
        await().atMost(PATIENCE).until(() -> queues.count(queue) >= 2 && settled(relay, 1)
                && store.countPending() + queues.count(queue) == 3);
        for (int i = 4; i <= 6; i++) {
            enqueue("T-" + i, "codex");
        }
        relay.wake();
        await().atMost(PATIENCE).until(() -> settled(relay, 1) && listener.refused.get() >= 3);
        assertThat(store.countPending()).isGreaterThanOrEqualTo(3);

        // Each time the queue is emptied, the refused rows go again once their retry delay is over.
        List<String> received = new ArrayList<>();
        for (int round = 1; round <= 10 && store.countPending() > 0; round++) {
            received.addAll(taskIds(decoded(queues.takeAll(queue))));
            clock.tick(RETRY_DELAY);
            relay.wake();
            int attempts = 1 + round;
            await().atMost(PATIENCE).until(() -> settled(relay, attempts));
        }
        received.addAll(taskIds(decoded(queues.takeAll(queue))));

        assertThat(received).containsExactlyInAnyOrder("T-1", "T-2", "T-3", "T-4", "T-5", "T-6");
        assertThat(store.countPending()).isZero();
    }

    /** Nothing awaits a confirm, and every pending row has been published at least so many times. */
    private boolean settled(Relay relay, int publishAttempts) {
        return relay.unconfirmed() == 0
                && store.pending(100).stream().allMatch(row -> row.publishAttempts() >= publishAttempts);
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.broker.TestBrokers#all")
    void aRowRoutedNowhereIsReportedKeptAndSentOnceItsQueueIsBack(TestBroker broker) {
        Topology topology = TestBrokers.newTopology(0);
        BrokerQueues queues = queues(broker, topology, "codex");
        enqueue("T-1", "codex");
        Relay relay = relay(broker.url(), topology).start();
        awaitNothingPending();
        assertThat(taskIds(decoded(queues.takeAll(topology.agentQueue("codex"))))).containsExactly("T-1");

        // The agent's queue goes away behind the relay's back; the next message has nowhere to go.
        queues.deleteQueue(topology.agentQueue("codex"));
        long row = enqueue("T-2", "codex");
        relay.wake();
        await().atMost(PATIENCE).until(() -> listener.returned.size() == 1 && relay.unconfirmed() == 0);

        assertThat(listener.returned).containsExactly(row);
        assertThat(store.pending(10)).extracting(OutboxRow::id).containsExactly(row);

        clock.tick(RETRY_DELAY);
        relay.wake();
        awaitNothingPending();
        assertThat(taskIds(decoded(queues.takeAll(topology.agentQueue("codex"))))).containsExactly("T-2");
        assertThat(listener.returned).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.broker.TestBrokers#all")
    void aRelayStartedWhileTheBrokerIsDownPublishesEverythingOnceItIsUp(TestBroker broker) {
        Topology topology = TestBrokers.newTopology(0);
        BrokerQueues queues = queues(broker, topology, "codex");
        TcpProxy proxy = new TcpProxy(broker.port());
        toClose.add(proxy);
        proxy.down();
        for (int i = 1; i <= 20; i++) {
            enqueue("T-" + i, "codex");
        }

        relay(broker.urlOnPort(proxy.port()), topology).start();
        // Several tries, one report.
        await().atMost(PATIENCE).until(() -> proxy.refused() >= 3);
        assertThat(listener.count("unavailable")).isEqualTo(1);
        assertThat(listener.events.getFirst()).contains("127.0.0.1:" + proxy.port()).doesNotContain("guest:guest");
        assertThat(store.countPending()).isEqualTo(20);

        proxy.up();
        awaitNothingPending();

        List<String> received = taskIds(decoded(queues.takeAll(topology.agentQueue("codex"))));
        assertThat(received).hasSize(20).doesNotHaveDuplicates();
        assertThat(listener.count("unavailable")).isEqualTo(1);
        assertThat(listener.count("available")).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.broker.TestBrokers#all")
    void aBrokerLostOnTheWayIsReconnectedToAndNoRowIsLost(TestBroker broker) {
        Topology topology = TestBrokers.newTopology(0);
        BrokerQueues queues = queues(broker, topology, "codex");
        TcpProxy proxy = new TcpProxy(broker.port());
        toClose.add(proxy);
        for (int i = 1; i <= 30; i++) {
            enqueue("T-" + i, "codex");
        }
        Relay relay = relay(broker.urlOnPort(proxy.port()), topology).start();
        awaitNothingPending();

        proxy.down();
        await().atMost(PATIENCE).until(() -> listener.count("unavailable") == 1);
        for (int i = 31; i <= 60; i++) {
            enqueue("T-" + i, "codex");
        }
        relay.wake();
        await().atMost(PATIENCE).until(() -> proxy.refused() >= 2);
        assertThat(store.countPending()).isEqualTo(30);

        proxy.up();
        awaitNothingPending();

        List<String> received = taskIds(decoded(queues.takeAll(topology.agentQueue("codex"))));
        assertThat(received).hasSize(60).doesNotHaveDuplicates();
        assertThat(listener.count("unavailable")).isEqualTo(1);
        assertThat(listener.count("available")).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.broker.TestBrokers#all")
    void aBlockedBrokerDelaysPublishingWithoutLosingOrBlockingAnything(TestBroker broker) throws Exception {
        Topology topology = TestBrokers.newTopology(0);
        BrokerQueues queues = queues(broker, topology, "codex");
        TcpProxy proxy = new TcpProxy(broker.port());
        toClose.add(proxy);
        enqueue("T-0", "codex");
        Relay relay = relay(broker.urlOnPort(proxy.port()), topology).start();
        awaitNothingPending();

        proxy.block("low on memory");
        await().atMost(PATIENCE).until(() -> listener.count("blocked") == 1);
        // Writing to the outbox goes on as before, and the relay leaves the rows alone.
        for (int i = 1; i <= 10; i++) {
            enqueue("T-" + i, "codex");
            relay.wake();
        }
        Thread.sleep(500);
        assertThat(store.pending(20)).hasSize(10).extracting(OutboxRow::publishAttempts).containsOnly(0);

        proxy.unblock();
        awaitNothingPending();

        List<String> received = taskIds(decoded(queues.takeAll(topology.agentQueue("codex"))));
        assertThat(received).hasSize(11).doesNotHaveDuplicates();
        assertThat(listener.count("blocked")).isEqualTo(1);
        assertThat(listener.count("unblocked")).isEqualTo(1);
        assertThat(listener.events.stream().filter(event -> event.startsWith("blocked")).findFirst().orElseThrow())
                .contains("low on memory");
        assertThat(listener.count("unavailable")).isZero();
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.broker.TestBrokers#all")
    void rowsNotConfirmedInTimeArePublishedAgainOnANewConnection(TestBroker broker) {
        Topology topology = TestBrokers.newTopology(0);
        BrokerQueues queues = queues(broker, topology, "codex");
        TcpProxy proxy = new TcpProxy(broker.port());
        toClose.add(proxy);
        enqueue("T-0", "codex");
        Relay relay = relay(broker.urlOnPort(proxy.port()), topology).start();
        awaitNothingPending();

        // The broker's confirms stop coming back on this connection.
        proxy.freezeReplies();
        for (int i = 1; i <= 5; i++) {
            enqueue("T-" + i, "codex");
        }
        relay.wake();
        await().atMost(PATIENCE).until(() -> relay.unconfirmed() == 5);
        assertThat(store.countPending()).isEqualTo(5);

        clock.tick(CONFIRM_TIMEOUT);
        relay.wake();
        awaitNothingPending();

        assertThat(listener.count("unconfirmed: 5")).isEqualTo(1);
        // At least once: the first publish reached the broker too, and it keeps both.
        List<String> received = taskIds(decoded(queues.takeAll(topology.agentQueue("codex"))));
        assertThat(received).contains("T-0", "T-1", "T-2", "T-3", "T-4", "T-5");
        assertThat(new HashSet<>(received)).hasSize(6);
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.broker.TestBrokers#all")
    void aQueueThatCannotBeDeclaredHoldsBackItsRowsAndNoOtherAgents(TestBroker broker) throws Exception {
        Topology topology = TestBrokers.newTopology(0);
        BrokerQueues queues = queues(broker, topology, "codex", "gemini");
        // codex's queue exists already, declared by something else with other arguments.
        try (Connection connection = broker.endpoint().connect("other");
                Channel channel = connection.createChannel()) {
            channel.queueDeclare(topology.agentQueue("codex"), true, false, false, Map.of());
        }
        long nameless = store.enqueue(message("T-1", "no spaces allowed", 4), clock.instant());
        long codex = enqueue("T-2", "codex");
        enqueue("T-3", "gemini");

        relay(broker.url(), topology).start();
        await().atMost(PATIENCE).until(() -> queues.count(topology.agentQueue("gemini")) == 1
                && listener.returned.contains(nameless));

        assertThat(taskIds(decoded(queues.takeAll(topology.agentQueue("gemini"))))).containsExactly("T-3");
        assertThat(listener.events).anyMatch(event -> event.startsWith("returned " + nameless)
                && event.contains("an agent's queue is named after it"));
        if (broker.embedded()) {
            // Qpid keeps the queue as it is and takes the message.
            await().atMost(PATIENCE).until(() -> store.countPending() == 1);
        } else {
            // RabbitMQ refuses to redeclare a queue with other arguments: the row waits, reported, and the rest go.
            await().atMost(PATIENCE).until(() -> listener.returned.contains(codex));
            assertThat(listener.events).anyMatch(event -> event.startsWith("returned " + codex)
                    && event.contains("PRECONDITION_FAILED"));
            assertThat(store.pending(10)).extracting(OutboxRow::id).containsExactly(nameless, codex);
        }
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.broker.TestBrokers#all")
    void aRelayRenewsItsClaimsEveryQuarterOfItsHoldSoNoOtherRelayTakesWhatItHoldsBack(TestBroker broker) {
        Topology topology = TestBrokers.newTopology(0);
        FailingOutbox outbox = new FailingOutbox(store);
        Duration hold = Duration.ofSeconds(3);
        long nameless = store.enqueue(message("T-1", "no spaces allowed", 4), clock.instant());
        Relay relay = new Relay("relay-1", outbox, BrokerEndpoint.of(broker.url(), Duration.ofSeconds(5)), topology,
                RelayOptions.DEFAULTS.withPolling(Duration.ofMillis(20))
                        .withBackoff(Duration.ofMillis(20), Duration.ofMillis(100))
                        .withConfirmTimeout(Duration.ofSeconds(1)).withClaimHold(hold)
                        .withRetryDelay(Duration.ofHours(1)), clock, listener);
        toClose.add(relay);
        relay.start();
        // The row no queue can take is held back for an hour by the relay's clock, which stands still.
        await().atMost(PATIENCE).until(() -> listener.returned.contains(nameless));
        Instant claimed = store.databaseNow();
        assertThat(outbox.renewals).hasValue(0);

        // Half the hold later by the database's clock, a quarter of it passes by the relay's: it renews.
        awaitDatabaseClockPast(claimed.plus(hold.dividedBy(2)));
        clock.tick(hold.dividedBy(4));
        await().atMost(PATIENCE).until(() -> outbox.renewals.get() == 1);

        // The first claim has passed; the renewed one holds: no other relay is given the row.
        awaitDatabaseClockPast(claimed.plus(hold).plusMillis(100));
        assertThat(store.claimPending("relay-2", 10, hold, clock.instant())).isEmpty();
        assertThat(store.pending(10)).extracting(OutboxRow::id, OutboxRow::publishAttempts)
                .containsExactly(Tuple.tuple(nameless, 1));
    }

    private void awaitDatabaseClockPast(Instant instant) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> store.databaseNow().isAfter(instant));
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.broker.TestBrokers#all")
    void rowsConfirmedWhileTheStoreCannotMarkThemAreNotPublishedAgain(TestBroker broker) {
        Topology topology = TestBrokers.newTopology(0);
        BrokerQueues queues = queues(broker, topology, "codex");
        FailingOutbox outbox = new FailingOutbox(store);
        outbox.failMarking = true;
        for (int i = 1; i <= 10; i++) {
            enqueue("T-" + i, "codex");
        }
        Relay relay = new Relay("relay-1", outbox, BrokerEndpoint.of(broker.url(), Duration.ofSeconds(5)), topology,
                RelayOptions.DEFAULTS.withPolling(Duration.ofMillis(50))
                        .withBackoff(Duration.ofMillis(20), Duration.ofMillis(100)), clock, listener);
        toClose.add(relay);
        relay.start();

        // The broker has them all; the store cannot say so yet, and keeps failing for a while.
        await().atMost(PATIENCE).until(() -> queues.count(topology.agentQueue("codex")) == 10
                && outbox.failedMarks.get() >= 3);
        assertThat(store.countPending()).isEqualTo(10);
        assertThat(listener.count("store failed")).isEqualTo(1);

        outbox.failMarking = false;
        awaitNothingPending();

        assertThat(taskIds(decoded(queues.takeAll(topology.agentQueue("codex"))))).hasSize(10)
                .doesNotHaveDuplicates();
        assertThat(listener.count("store failed")).isEqualTo(1);
        assertThat(listener.count("store recovered")).isEqualTo(1);
    }

    @Test
    void confirmedRowsLeaveTheOutboxWithTheNextClaim() throws Exception {
        TestBroker broker = TestBrokers.one();
        Topology topology = TestBrokers.newTopology(0);
        BrokerQueues queues = queues(broker, topology, "codex");
        FailingOutbox outbox = new FailingOutbox(store);
        Relay relay = new Relay("relay-removes", outbox, BrokerEndpoint.of(broker.url(), Duration.ofSeconds(5)),
                topology, RelayOptions.DEFAULTS.withBatchSize(10).withPolling(Duration.ofMillis(50)), clock, listener);
        toClose.add(relay);
        for (int i = 1; i <= 100; i++) {
            enqueue("T-" + i, "codex");
        }
        relay.start();

        // Gone from the table once confirmed, not kept as sent rows.
        await().atMost(PATIENCE).until(() -> outboxRows() == 0);
        assertThat(taskIds(decoded(queues.takeAll(topology.agentQueue("codex"))))).hasSize(100)
                .doesNotHaveDuplicates();
        await().atMost(PATIENCE).until(() -> listener.sent.get() == 100);
        // Every turn with room claims, an empty claim included, so what was confirmed went in a claim's transaction:
        // a removal of its own is only for a turn that claims nothing (blocked, no room, or a batch of rows due again).
        assertThat(outbox.removedWithClaims.get()).isEqualTo(100);
        assertThat(outbox.removedAlone.get()).isZero();
    }

    /** Every row of the outbox. */
    private long outboxRows() throws java.sql.SQLException {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(Database.sqliteUrl(
                folder.resolve("state.db")));
                java.sql.ResultSet rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM outbox")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * The store's outbox, whose removal of confirmed rows fails while asked to (a database failure nothing else
     * injects), counting the rows it removes.
     */
    private static final class FailingOutbox implements Outbox {
        private final Outbox store;
        volatile boolean failMarking;
        final AtomicInteger failedMarks = new AtomicInteger();
        final AtomicInteger renewals = new AtomicInteger();
        /** Rows removed in a claim's transaction, and on their own. */
        final AtomicInteger removedWithClaims = new AtomicInteger();
        final AtomicInteger removedAlone = new AtomicInteger();

        FailingOutbox(Outbox store) {
            this.store = store;
        }

        @Override
        public int removeSent(Collection<Long> ids) {
            failIfMarking();
            removedAlone.addAndGet(ids.size());
            return store.removeSent(ids);
        }

        @Override
        public List<OutboxRow> removeSentAndClaim(Collection<Long> sent, String relayId, int limit, Duration hold,
                Instant now) {
            if (!sent.isEmpty()) {
                failIfMarking();
            }
            List<OutboxRow> claimed = store.removeSentAndClaim(sent, relayId, limit, hold, now);
            removedWithClaims.addAndGet(sent.size());
            return claimed;
        }

        private void failIfMarking() {
            if (failMarking) {
                failedMarks.incrementAndGet();
                throw new IllegalStateException("The database failed: connection lost");
            }
        }

        @Override
        public long enqueue(WorkMessage message, Instant now) {
            return store.enqueue(message, now);
        }

        @Override
        public Attempt startAttempt(AttemptStart start, Instant now, Duration claimWithin,
                Function<Attempt, WorkMessage> message) {
            return store.startAttempt(start, now, claimWithin, message);
        }

        @Override
        public List<StartResult> startAttempts(List<DecidedStart> starts, Instant now) {
            return store.startAttempts(starts, now);
        }

        @Override
        public List<OutboxRow> claimPending(String relayId, int limit, Duration hold, Instant now) {
            return store.claimPending(relayId, limit, hold, now);
        }

        @Override
        public int renewClaims(String relayId, Duration hold) {
            renewals.incrementAndGet();
            return store.renewClaims(relayId, hold);
        }

        @Override
        public int releaseClaims(String relayId) {
            return store.releaseClaims(relayId);
        }

        @Override
        public List<OutboxRow> pending(int limit) {
            return store.pending(limit);
        }

        @Override
        public void publishing(Collection<Long> ids, Instant now) {
            store.publishing(ids, now);
        }

        @Override
        public long countPending() {
            return store.countPending();
        }
    }
}
