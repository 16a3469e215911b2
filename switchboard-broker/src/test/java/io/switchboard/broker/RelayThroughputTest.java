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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A larger outbox through the relay, counted message by message, with the rate printed: the loop to run when the
 * relay's throughput matters ({@code -Dswitchboard.relay.rows=N} for more rows). Asserts nothing about speed.
 */
@Timeout(300)
class RelayThroughputTest {
    @TempDir
    Path folder;

    @ParameterizedTest
    @MethodSource("io.switchboard.broker.TestBrokers#all")
    void aLargeOutboxIsPublishedExactlyOnce(TestBroker broker) {
        int rows = Integer.getInteger("switchboard.relay.rows", 5_000);
        Topology topology = TestBrokers.newTopology(0);
        MutableClock clock = new MutableClock();
        try (Database database = Database.open(Database.sqliteUrl(folder.resolve("state.db")));
                BrokerQueues queues = new BrokerQueues(broker, topology, List.of("codex", "gemini"))) {
            Store store = database.store();
            for (int i = 0; i < rows; i++) {
                store.enqueue(WorkMessage.of("T-" + i, 1, i % 2 == 0 ? "codex" : "gemini", Mode.AUTO,
                        new WorkMessage.Inline("x".repeat(2_000)), null, 4), clock.instant());
            }
            long started = System.nanoTime();
            try (Relay relay = new Relay("relay-1", store, broker.endpoint(), topology,
                    RelayOptions.DEFAULTS.withPolling(Duration.ofMillis(20)), clock, RelayListener.NONE).start()) {
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(20))
                        .until(() -> store.countPending() == 0);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("%s: %d rows of 2 kB published, confirmed and removed in %.2f s, %.0f rows/s%n",
                    broker.name(), rows, seconds, rows / seconds);

            Set<String> received = new HashSet<>();
            int count = 0;
            for (String agent : List.of("codex", "gemini")) {
                for (GetResponse response : queues.takeAll(topology.agentQueue(agent))) {
                    count++;
                    received.add(new String(response.getBody(), StandardCharsets.UTF_8));
                }
            }
            assertThat(count).isEqualTo(rows);
            assertThat(received).hasSize(rows);
        }
    }
}
