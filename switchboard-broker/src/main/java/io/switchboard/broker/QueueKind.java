package io.switchboard.broker;

import java.util.Locale;
import java.util.Map;

/**
 * Which kind of queue the broker gives each agent, and how the broker spells the queue's arguments. Read from the
 * properties the broker announces when a connection opens ({@link #of}).
 */
public enum QueueKind {
    /**
     * RabbitMQ 3.8 and later: a quorum queue, replicated, with a delivery limit after which a message that keeps
     * coming back is dead-lettered, and at-least-once dead-lettering. RabbitMQ 3.x quorum queues refuse
     * {@code x-max-priority} and deliver in order of arrival whatever a message's priority; RabbitMQ 4.0 and later
     * deliver messages of priority 5 and above first. Messages carry their priority either way.
     */
    QUORUM,
    /**
     * Another RabbitMQ (or an AMQP 0-9-1 broker that speaks RabbitMQ's arguments): a classic queue with priorities
     * 0 to 9 and a dead-letter exchange, but no delivery limit.
     */
    CLASSIC,
    /**
     * Apache Qpid Broker-J, which has no quorum queues and its own argument names: a classic queue with ten
     * priority levels, a maximum delivery count, and its alternate exchange as the dead-letter exchange.
     */
    QPID;

    /** The kind of queue for the broker that sent these connection properties. */
    public static QueueKind of(Map<String, Object> serverProperties) {
        String product = property(serverProperties, "product").toLowerCase(Locale.ROOT);
        if (product.contains("qpid")) {
            return QPID;
        }
        if (product.equals("rabbitmq")) {
            return atLeast(property(serverProperties, "version"), 3, 8) ? QUORUM : CLASSIC;
        }
        return CLASSIC;
    }

    /** The broker's product and version as it announces them, for messages. */
    public static String describe(Map<String, Object> serverProperties) {
        String product = property(serverProperties, "product");
        String version = property(serverProperties, "version");
        return (product.isEmpty() ? "an unnamed broker" : product) + (version.isEmpty() ? "" : " " + version);
    }

    /** The AMQP client hands string properties over as LongString; its toString is the text. */
    private static String property(Map<String, Object> serverProperties, String name) {
        Object value = serverProperties == null ? null : serverProperties.get(name);
        return value == null ? "" : value.toString().strip();
    }

    private static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("[.\\-+]");
        try {
            int actualMajor = Integer.parseInt(parts[0]);
            int actualMinor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return actualMajor > major || actualMajor == major && actualMinor >= minor;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
