package io.switchboard.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.switchboard.core.remote.WorkMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * Takes the messages of one agent's queue: each one that reads as a {@link WorkMessage} goes to the handler and is
 * acknowledged when the handler returns (a worker's handler returns once its claim on the attempt is committed, so
 * a crash before that leaves the message to be delivered again); one that does not read (malformed, or of a version
 * this code does not know) is dead-lettered once and reported once, and the consumer goes on with the next.
 *
 * <p>The consumer dead-letters a bad message itself rather than rejecting it: it publishes the message unchanged to
 * the dead-letter exchange with the codec's reason in the {@value #REJECTED_HEADER} header, waits for the broker's
 * confirm, and only then acknowledges it. So the dead letter says why, on every broker (Qpid Broker-J does not
 * dead-letter a message rejected without requeue; it redelivers it to another consumer), and a failure anywhere
 * before the acknowledgement sends the message back to its queue rather than losing it.
 *
 * <p>Threading: deliveries are handled one at a time on the client's consumer thread; the handler runs there.
 */
public final class WorkConsumer implements AutoCloseable {
    /** The header of a dead letter that says why the message could not be read. */
    public static final String REJECTED_HEADER = "x-switchboard-rejected";
    /** The header of a dead letter that names the queue it came from. */
    public static final String QUEUE_HEADER = "x-switchboard-queue";

    /** Does the work a message asks for; returns once the work is claimed (or done), throws when it cannot be. */
    @FunctionalInterface
    public interface Handler {
        void handle(WorkMessage message) throws Exception;
    }

    private final Channel channel;
    private final Channel deadLetters;
    private final String queue;
    private final String consumerTag;

    private WorkConsumer(Channel channel, Channel deadLetters, String queue, String consumerTag) {
        this.channel = channel;
        this.deadLetters = deadLetters;
        this.queue = queue;
        this.consumerTag = consumerTag;
    }

    /**
     * Declares the agent's queue (and the shared ones) and starts consuming it.
     *
     * @param prefetch how many unacknowledged messages the broker hands this consumer at once
     * @throws BrokerException when the broker refuses the queues or the consumer
     */
    public static WorkConsumer start(Connection connection, Topology topology, String agent, int prefetch,
            Duration confirmTimeout, Handler handler, ConsumerListener listener) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(listener, "listener");
        String queue = topology.agentQueue(agent);
        try {
            QueueKind kind = QueueKind.of(connection.getServerProperties());
            Channel channel = connection.createChannel();
            topology.declareShared(channel, kind, QueueKind.describe(connection.getServerProperties()));
            topology.declareAgentQueue(channel, kind, agent);
            channel.basicQos(prefetch);
            Channel deadLetters = connection.createChannel();
            deadLetters.confirmSelect();
            Deliveries deliveries = new Deliveries(channel, deadLetters, topology, queue, confirmTimeout, handler,
                    listener);
            String tag = channel.basicConsume(queue, false, deliveries);
            return new WorkConsumer(channel, deadLetters, queue, tag);
        } catch (IOException | RuntimeException e) {
            throw new BrokerException("Could not consume " + queue + ": " + e.getMessage(), e);
        }
    }

    public String queue() {
        return queue;
    }

    /** Whether the consumer's channel is still open (it stays open through bad messages and failing work). */
    public boolean running() {
        return channel.isOpen();
    }

    /** Stops consuming; a message being handled is not acknowledged and goes back to the queue. */
    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                channel.basicCancel(consumerTag);
                channel.close();
            }
            if (deadLetters.isOpen()) {
                deadLetters.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            channel.getConnection().abort(1_000);
        }
    }

    private static final class Deliveries extends DefaultConsumer {
        private final WorkMessageCodec codec = new WorkMessageCodec();
        private final Channel deadLetters;
        private final Topology topology;
        private final String queue;
        private final Duration confirmTimeout;
        private final Handler handler;
        private final ConsumerListener listener;

        Deliveries(Channel channel, Channel deadLetters, Topology topology, String queue, Duration confirmTimeout,
                Handler handler, ConsumerListener listener) {
            super(channel);
            this.deadLetters = deadLetters;
            this.topology = topology;
            this.queue = queue;
            this.confirmTimeout = confirmTimeout;
            this.handler = handler;
            this.listener = listener;
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                throws IOException {
            long delivery = envelope.getDeliveryTag();
            switch (codec.decode(body)) {
                case WorkMessageCodec.Decoded.Message message -> handle(delivery, message.message());
                case WorkMessageCodec.Decoded.Rejected rejected -> deadLetter(delivery, properties, body,
                        rejected.reason());
            }
        }

        private void handle(long delivery, WorkMessage message) throws IOException {
            try {
                handler.handle(message);
            } catch (Exception e) {
                listener.handlerFailed(queue, message, e.getMessage() == null ? e.toString() : e.getMessage());
                getChannel().basicNack(delivery, false, true);
                return;
            }
            getChannel().basicAck(delivery, false);
        }

        private void deadLetter(long delivery, AMQP.BasicProperties properties, byte[] body, String reason)
                throws IOException {
            Map<String, Object> headers = new HashMap<>();
            if (properties.getHeaders() != null) {
                headers.putAll(properties.getHeaders());
            }
            headers.put(REJECTED_HEADER, reason);
            headers.put(QUEUE_HEADER, queue);
            try {
                deadLetters.basicPublish(topology.deadLetterExchange(), queue, true,
                        properties.builder().headers(headers).build(), body);
                deadLetters.waitForConfirmsOrDie(confirmTimeout.toMillis());
            } catch (IOException | TimeoutException | InterruptedException | RuntimeException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                listener.deadLetterFailed(queue, reason, e.getMessage() == null ? e.toString() : e.getMessage());
                getChannel().basicNack(delivery, false, true);
                return;
            }
            getChannel().basicAck(delivery, false);
            listener.deadLettered(queue, reason);
        }
    }
}
