package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.GetResponse;
import io.switchboard.broker.TestBrokers.TestBroker;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.remote.WorkMessage;
import io.switchboard.store.Database;
import io.switchboard.store.Store;
import io.switchboard.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several relays publishing one outbox, as the orchestrators sharing one database do, against real brokers (the local
 * RabbitMQ when it answers, and an embedded Qpid Broker-J). The outbox is one SQLite file opened twice, as two
 * processes would; what the agents' queues hold at the end is taken off them and counted, message by message.
 */
@Timeout(120)
class SharedOutboxTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path folder;

    private final MutableClock clock = new MutableClock();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    /** The outbox's database, opened once more: what another process on the same file has. */
    private Store store() {
        Database database = Database.open(Database.sqliteUrl(folder.resolve("state.db")));
        toClose.add(database);
        return database.store();
    }

    private Relay relay(String id, Store store, String url, Topology topology, RelayOptions options,
            RelayListener listener) {
        Relay relay = new Relay(id, store, BrokerEndpoint.of(url, Duration.ofSeconds(5)), topology, options, clock,
                listener);
        toClose.add(relay);
        return relay;
    }

    private static RelayOptions options() {
        // Small batches, so that both relays are at work on the same backlog at once.
        return RelayOptions.DEFAULTS.withBatchSize(10).withPolling(Duration.ofMillis(20))
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    private BrokerQueues queues(TestBroker broker, Topology topology, List<String> agents) {
        BrokerQueues queues = new BrokerQueues(broker, topology, agents);
        toClose.add(queues);
        return queues;
    }

    private static WorkMessage message(int i, String agent) {
        return WorkMessage.of("T-" + i, 1, agent, Mode.AUTO, new WorkMessage.Inline("Do T-" + i), null, 4);
    }

    /** Every message on the agents' queues, taken off them, by task id; duplicates kept. */
    private static List<String> taken(BrokerQueues queues, Topology topology, List<String> agents) {
        WorkMessageCodec codec = new WorkMessageCodec();
        List<String> taskIds = new ArrayList<>();
        for (String agent : agents) {
            for (GetResponse response : queues.takeAll(topology.agentQueue(agent))) {
                if (!(codec.decode(response.getBody()) instanceof WorkMessageCodec.Decoded.Message decoded)) {
                    throw new AssertionError("a message that does not read on " + agent);
                }
                taskIds.add(decoded.message().taskId());
            }
        }
        return taskIds;
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.broker.TestBrokers#all")
    void twoRelaysOnOneOutboxPublishEachRowOnce(TestBroker broker) {
        Topology topology = TestBrokers.newTopology(0);
        List<String> agents = List.of("codex", "gemini");
        BrokerQueues queues = queues(broker, topology, agents);
        Store first = store();
        Store second = store();
        RecordingRelayListener heardA = new RecordingRelayListener();
        RecordingRelayListener heardB = new RecordingRelayListener();
        Relay a = relay("relay-a", first, broker.url(), topology, options(), heardA).start();
        Relay b = relay("relay-b", second, broker.url(), topology, options(), heardB).start();
        int rows = 400;
        Set<String> enqueued = new HashSet<>();

        // Written by both processes while both relays run, each woken after every few rows.
        for (int i = 0; i < rows; i++) {
            (i % 2 == 0 ? first : second).enqueue(message(i, agents.get(i % agents.size())), clock.instant());
            enqueued.add("T-" + i);
            if (i % 20 == 19) {
                a.wake();
                b.wake();
            }
        }
        await().atMost(PATIENCE).until(() -> first.countPending() == 0);

        List<String> received = taken(queues, topology, agents);
        assertThat(received).hasSize(rows).doesNotHaveDuplicates();
        assertThat(new HashSet<>(received)).isEqualTo(enqueued);
        // Confirmed once each, by whichever relay claimed it.
        assertThat(heardA.sent.get() + heardB.sent.get()).isEqualTo(rows);
        System.out.printf("%s: relay-a published %d rows, relay-b %d%n", broker.name(), heardA.sent.get(),
                heardB.sent.get());
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.broker.TestBrokers#all")
    void theRowsOfARelayThatIsClosedArePublishedByAnotherAtOnce(TestBroker broker) {
        Topology topology = TestBrokers.newTopology(0);
        List<String> agents = List.of("codex");
        BrokerQueues queues = queues(broker, topology, agents);
        TcpProxy proxy = new TcpProxy(broker.port());
        toClose.add(proxy);
        Store store = store();
        // A hold far longer than the test: only giving the claims up can hand the rows over in time.
        RelayOptions holdingLong = options().withClaimHold(Duration.ofMinutes(10));
        Relay a = relay("relay-a", store, broker.urlOnPort(proxy.port()), topology, holdingLong,
                new RecordingRelayListener()).start();
        store.enqueue(message(0, "codex"), clock.instant());
        await().atMost(PATIENCE).until(() -> store.countPending() == 0);

        // relay-a publishes five rows whose confirms never come back to it.
        proxy.freezeReplies();
        for (int i = 1; i <= 5; i++) {
            store.enqueue(message(i, "codex"), clock.instant());
        }
        a.wake();
        await().atMost(PATIENCE).until(() -> a.unconfirmed() == 5);
        assertThat(store.claimPending("someone-else", 10, Duration.ofMillis(1), Instant.now())).as("held by relay-a")
                .isEmpty();

        a.close();
        RecordingRelayListener heardB = new RecordingRelayListener();
        relay("relay-b", store, broker.url(), topology, holdingLong, heardB).start();
        await().atMost(PATIENCE).until(() -> store.countPending() == 0);

        assertThat(heardB.sent.get()).isEqualTo(5);
        // At least once: what relay-a published reached the broker too, and it keeps both.
        assertThat(new HashSet<>(taken(queues, topology, agents)))
                .containsExactlyInAnyOrder("T-0", "T-1", "T-2", "T-3", "T-4", "T-5");
    }
}
