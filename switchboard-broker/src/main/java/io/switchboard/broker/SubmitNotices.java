package io.switchboard.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The doorbell to the orchestrators that serve a database: {@code switchboard submit}, once its tasks are committed,
 * publishes a notice to {@code PREFIX.submitted} (a fanout exchange), and every {@code serve} process's own queue
 * (exclusive, server-named, deleted with its connection) delivers it, so that it claims the new tasks at once instead of
 * at its next look. A notice carries nothing the store does not have: its body is {@code {"version": 1}}, and whatever
 * it says, a delivery only wakes. One that is lost (no orchestrator listening, the broker down) delays the tasks to the
 * next look, and loses nothing.
 */
public final class SubmitNotices {
    public static final int VERSION = 1;
    private static final byte[] BODY = ("{\"version\": " + VERSION + "}").getBytes(StandardCharsets.UTF_8);

    private SubmitNotices() {
    }

    /** Declares the exchange (idempotent). */
    public static void declare(Channel channel, Topology topology) throws IOException {
        channel.exchangeDeclare(topology.submittedExchange(), BuiltinExchangeType.FANOUT, true);
    }

    /** Publishes one notice, without waiting for a confirm: it is a doorbell. */
    public static void publish(Channel channel, Topology topology) throws IOException {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType(WorkMessageCodec.CONTENT_TYPE).deliveryMode(1).build();
        declare(channel, topology);
        synchronized (channel) {
            channel.basicPublish(topology.submittedExchange(), "", false, properties, BODY);
        }
    }

    /**
     * Starts a queue of the caller's own (exclusive, server-named, deleted with its connection) bound to the exchange,
     * consumed with automatic acknowledgement; each delivery runs {@code submitted}.
     *
     * @return the channel; closing it (or the connection) ends the queue
     */
    public static Channel listen(Connection connection, Topology topology, Runnable submitted) throws IOException {
        Objects.requireNonNull(submitted, "submitted");
        Channel channel = connection.createChannel();
        declare(channel, topology);
        String queue = channel.queueDeclare("", false, true, true, null).getQueue();
        channel.queueBind(queue, topology.submittedExchange(), "");
        channel.basicConsume(queue, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                submitted.run();
            }
        });
        return channel;
    }
}
