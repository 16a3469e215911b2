package io.switchboard.bench;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import io.switchboard.broker.BrokerEndpoint;
import io.switchboard.broker.RelayOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bare RabbitMQ loop, the ceiling for the broker's leg of remote dispatch: one connection publishes small
 * persistent messages to a durable quorum queue under asynchronous publisher confirms (a {@link ConfirmListener}),
 * with a bounded window of unconfirmed ones: in bulk {@link #CONFIRM_WINDOW} (the relay's own limit), one at a time
 * a single one, so that each publish is confirmed before the next. A consumer on another connection, with a prefetch
 * of {@value #PREFETCH} and manual acknowledgements, acknowledges each message as it arrives.
 *
 * <p>A round is timed from the first publish to the last acknowledgement sent, and also waits for every confirm; a
 * message the broker refuses ({@code basic.nack}) fails the round. A task's latency runs from its publish to its
 * delivery to the consumer. The queue is declared when the loop is made and deleted when it is closed (also on
 * shutdown, should the run be interrupted).
 */
final class RabbitMqLoop implements DistributedLeg {
    static final String NAME = "RabbitMQ";
    /** Published messages awaiting their confirm at most, in bulk: as many as the relay allows itself. */
    static final int CONFIRM_WINDOW = RelayOptions.DEFAULTS.maxUnconfirmed();
    static final int PREFETCH = 50;
    /**
     * The body's size: about that of a work message whose prompt is referred to, not carried
     * ({@code {"version":1,"task_id":"T-1234","attempt":1,…,"prompt_ref":"task:T-1234",…}}).
     */
    static final int BODY_BYTES = 128;

    private final Connection publishing;
    private final Connection consuming;
    private final Channel publisher;
    private final Channel consumer;
    private final String queue = "sb-bench-" + UUID.randomUUID().toString().substring(0, 8);
    private final Thread deleteOnShutdown = new Thread(this::deleteQueue, "rabbitmq-loop-cleanup");
    private volatile Confirms confirms;
    private int rounds;

    /** The publishes of one round still awaiting the broker's confirm, by sequence number. */
    static final class Confirms {
        final int size;
        final Semaphore window;
        final NavigableSet<Long> unconfirmed = new ConcurrentSkipListSet<>();
        final AtomicInteger refused = new AtomicInteger();

        Confirms(int size) {
            this.size = size;
            this.window = new Semaphore(size);
        }

        void settle(long sequence, boolean multiple, boolean acknowledged) {
            int count = 0;
            for (Long each : multiple ? unconfirmed.headSet(sequence, true) : Set.of(sequence)) {
                if (unconfirmed.remove(each)) {
                    count++;
                }
            }
            if (!acknowledged) {
                refused.addAndGet(count);
            }
            window.release(count);
        }
    }

    RabbitMqLoop(BrokerEndpoint broker) throws IOException {
        publishing = broker.connect("bench-publisher");
        try {
            consuming = broker.connect("bench-consumer");
            publisher = publishing.createChannel();
            publisher.confirmSelect();
            publisher.addConfirmListener(new ConfirmListener() {
                @Override
                public void handleAck(long sequence, boolean multiple) {
                    confirms.settle(sequence, multiple, true);
                }

                @Override
                public void handleNack(long sequence, boolean multiple) {
                    confirms.settle(sequence, multiple, false);
                }
            });
            publisher.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
            Runtime.getRuntime().addShutdownHook(deleteOnShutdown);
            consumer = consuming.createChannel();
            consumer.basicQos(PREFETCH);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String configuration() {
        return "quorum queue, %d-byte persistent messages, prefetch %d; in bulk, up to %,d unconfirmed".formatted(
                BODY_BYTES, PREFETCH, CONFIRM_WINDOW);
    }

    @Override
    public Round round(int tasks, Submission submission) throws Exception {
        int round = ++rounds;
        Tally tally = new Tally(tasks, submission);
        Confirms current = new Confirms(submission == Submission.BULK ? CONFIRM_WINDOW : 1);
        confirms = current;
        String tag = consumer.basicConsume(queue, false, (consumerTag, delivery) -> {
            ByteBuffer body = ByteBuffer.wrap(delivery.getBody());
            boolean ours = body.getInt() == round;
            int index = body.getInt();
            if (ours) {
                tally.started(index);
            }
            consumer.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
            if (ours) {
                tally.completed();
            }
        }, consumerTag -> { });
        Round result;
        try {
            for (int i = 0; i < tasks; i++) {
                current.window.acquire();
                current.unconfirmed.add(publisher.getNextPublishSeqNo());
                tally.submitting(i);
                publisher.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, body(round, i));
            }
            tally.submittedAll();
            result = tally.await(NAME, submission);
            if (!current.window.tryAcquire(current.size, 1, TimeUnit.MINUTES)) {
                throw new IllegalStateException(NAME + ": " + current.unconfirmed.size()
                        + " messages were still unconfirmed a minute after the last was consumed");
            }
        } finally {
            consumer.basicCancel(tag);
        }
        if (current.refused.get() > 0) {
            throw new IllegalStateException(NAME + ": the broker refused " + current.refused.get() + " of " + tasks
                    + " messages (basic.nack)");
        }
        return result;
    }

    private static byte[] body(int round, int index) {
        return ByteBuffer.allocate(BODY_BYTES).putInt(round).putInt(index).array();
    }

    private void deleteQueue() {
        if (publishing == null || !publishing.isOpen()) {
            return;
        }
        try (Channel channel = publishing.createChannel()) {
            channel.queueDelete(queue);
        } catch (IOException | TimeoutException | RuntimeException e) {
            System.err.println("bench: could not delete queue " + queue + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        deleteQueue();
        try {
            Runtime.getRuntime().removeShutdownHook(deleteOnShutdown);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running or has run.
        }
        for (Connection connection : new Connection[] {consuming, publishing}) {
            if (connection != null && connection.isOpen()) {
                try {
                    connection.close();
                } catch (IOException | RuntimeException e) {
                    System.err.println("bench: could not close a RabbitMQ connection: " + e.getMessage());
                }
            }
        }
    }
}
