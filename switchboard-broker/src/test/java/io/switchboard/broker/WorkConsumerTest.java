package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.switchboard.broker.TestBrokers.TestBroker;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.remote.WorkMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A consumer of an agent's queue on real brokers: bad input is dead-lettered once, and the consumer goes on. */
@Timeout(60)
class WorkConsumerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private final WorkMessageCodec codec = new WorkMessageCodec();

    /** Remembers what the consumer reported. */
    private static final class Recording implements ConsumerListener {
        final List<String> deadLettered = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();

        @Override
        public void deadLettered(String queue, String reason) {
            deadLettered.add(reason);
        }

        @Override
        public void deadLetterFailed(String queue, String reason, String failure) {
            failures.add(failure);
        }

        @Override
        public void handlerFailed(String queue, WorkMessage message, String failure) {
            failures.add(message.taskId() + ": " + failure);
        }
    }

    private static WorkMessage message(String taskId) {
        return WorkMessage.of(taskId, 1, "codex", Mode.AUTO, new WorkMessage.Inline("Do " + taskId), null, 4);
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.broker.TestBrokers#all")
    void malformedAndUnknownVersionMessagesAreDeadLetteredOnceAndTheConsumerGoesOn(TestBroker broker)
            throws IOException {
        Topology topology = TestBrokers.newTopology(0);
        Recording listener = new Recording();
        List<WorkMessage> handled = new CopyOnWriteArrayList<>();
        try (BrokerQueues queues = new BrokerQueues(broker, topology, List.of("codex"));
                Connection connection = broker.endpoint().connect("worker");
                WorkConsumer consumer = WorkConsumer.start(connection, topology, "codex", 1, Duration.ofSeconds(5),
                        handled::add, listener)) {
            queues.publishRaw("codex", codec.encode(message("T-1")));
            queues.publishRaw("codex", "{\"version\": 1, \"task_id\": ".getBytes(StandardCharsets.UTF_8));
            queues.publishRaw("codex", "{\"version\": 2, \"task_id\": \"T-9\", \"hologram\": true}"
                    .getBytes(StandardCharsets.UTF_8));
            queues.publishRaw("codex", codec.encode(message("T-2")));

            await().atMost(PATIENCE).until(() -> handled.size() == 2 && listener.deadLettered.size() == 2);

            assertThat(handled).extracting(WorkMessage::taskId).containsExactly("T-1", "T-2");
            assertThat(listener.deadLettered).hasSize(2);
            assertThat(listener.deadLettered.get(0)).startsWith("the body is not one JSON value");
            assertThat(listener.deadLettered.get(1))
                    .isEqualTo("unknown message version 2; this code reads version 1");
            assertThat(listener.failures).isEmpty();
            assertThat(consumer.running()).isTrue();
            // Each bad message is in the dead-letter queue once, as it was sent, with the reason.
            await().atMost(PATIENCE).until(() -> queues.count(topology.deadLetterQueue()) == 2);
            List<GetResponse> dead = queues.takeAll(topology.deadLetterQueue());
            assertThat(dead).hasSize(2);
            assertThat(new String(dead.get(1).getBody(), StandardCharsets.UTF_8)).contains("hologram");
            assertThat(dead.get(1).getProps().getHeaders().get(WorkConsumer.REJECTED_HEADER).toString())
                    .isEqualTo("unknown message version 2; this code reads version 1");
            assertThat(dead.get(1).getProps().getHeaders().get(WorkConsumer.QUEUE_HEADER).toString())
                    .isEqualTo(topology.agentQueue("codex"));
            // Nothing is left behind in the agent's queue, and nothing comes back.
            assertThat(queues.count(topology.agentQueue("codex"))).isZero();
            queues.publishRaw("codex", codec.encode(message("T-3")));
            await().atMost(PATIENCE).until(() -> handled.size() == 3);
            assertThat(listener.deadLettered).hasSize(2);
        }
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.broker.TestBrokers#all")
    void workThatFailsGoesBackToTheQueueAndIsTakenAgain(TestBroker broker) throws IOException {
        Topology topology = TestBrokers.newTopology(0);
        Recording listener = new Recording();
        AtomicInteger calls = new AtomicInteger();
        List<String> done = new CopyOnWriteArrayList<>();
        WorkConsumer.Handler failingOnce = message -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("the store is away");
            }
            done.add(message.taskId());
        };
        try (BrokerQueues queues = new BrokerQueues(broker, topology, List.of("codex"));
                Connection connection = broker.endpoint().connect("worker");
                WorkConsumer consumer = WorkConsumer.start(connection, topology, "codex", 1, Duration.ofSeconds(5),
                        failingOnce, listener)) {
            queues.publishRaw("codex", codec.encode(message("T-1")));

            await().atMost(PATIENCE).until(() -> done.size() == 1);

            assertThat(done).containsExactly("T-1");
            assertThat(listener.failures).containsExactly("T-1: the store is away");
            assertThat(consumer.running()).isTrue();
            assertThat(queues.count(topology.agentQueue("codex"))).isZero();
        }
    }
}
