package io.switchboard.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.switchboard.core.remote.AttemptKey;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The doorbell back to an orchestrator: a worker that committed a result in the store publishes a notice naming the
 * attempt to {@code PREFIX.results}, routed by the orchestrator's id, and the orchestrator's own queue (exclusive,
 * deleted with its connection) delivers it. A notice decides nothing: the result is read from the store, and an
 * orchestrator that misses a notice (its connection was down) finds the result at its next look.
 *
 * <p>The body is JSON: {@code {"version": 1, "task_id": "T-1", "attempt": 2}}. A notice that does not read is
 * dropped: it carries nothing the store does not have.
 */
public final class ResultNotices {
    public static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResultNotices() {
    }

    public static byte[] encode(AttemptKey key) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("version", VERSION);
        json.put("task_id", key.taskId());
        json.put("attempt", key.number());
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException("a notice always encodes", e);
        }
    }

    /** The attempt a notice names; empty for a body that is not a notice of this version. */
    public static Optional<AttemptKey> decode(byte[] body) {
        try {
            JsonNode json = MAPPER.readTree(body);
            if (json == null || !json.isObject() || json.path("version").asInt() != VERSION
                    || !json.path("task_id").isTextual() || !json.path("attempt").canConvertToInt()) {
                return Optional.empty();
            }
            return Optional.of(new AttemptKey(json.get("task_id").asText(), json.get("attempt").asInt()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Declares the results exchange (idempotent). */
    public static void declare(Channel channel, Topology topology) throws IOException {
        channel.exchangeDeclare(topology.resultsExchange(), BuiltinExchangeType.DIRECT, true);
    }

    /**
     * Publishes a notice for the orchestrator, without waiting for a confirm: it is a doorbell. Safe from several
     * threads (the channel is used under its own lock).
     */
    public static void publish(Channel channel, Topology topology, String orchestratorId, AttemptKey key)
            throws IOException {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType(WorkMessageCodec.CONTENT_TYPE).deliveryMode(1).build();
        synchronized (channel) {
            channel.basicPublish(topology.resultsExchange(), orchestratorId, false, properties, encode(key));
        }
    }

    /**
     * Starts the orchestrator's queue: exclusive, server-named, bound to the results exchange by the orchestrator's
     * id, consumed with automatic acknowledgement, each notice handed to {@code reported}.
     *
     * @return the channel; closing it (or the connection) ends the queue
     */
    public static Channel listen(Connection connection, Topology topology, String orchestratorId,
            Consumer<AttemptKey> reported) throws IOException {
        Objects.requireNonNull(reported, "reported");
        Channel channel = connection.createChannel();
        declare(channel, topology);
        String queue = channel.queueDeclare("", false, true, true, null).getQueue();
        channel.queueBind(queue, topology.resultsExchange(), orchestratorId);
        channel.basicConsume(queue, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                decode(body).ifPresent(reported);
            }
        });
        return channel;
    }
}
