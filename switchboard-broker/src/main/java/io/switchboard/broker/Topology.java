package io.switchboard.broker;

import static io.switchboard.core.Require.require;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The exchanges and queues of remote dispatch, all durable, their names under one prefix ({@value #DEFAULT_PREFIX}
 * by default):
 *
 * <pre>
 * PREFIX.work     direct exchange  ──(routing key: agent name)──►  PREFIX.agent.NAME   one queue per agent
 * PREFIX.dead     fanout exchange  ──►  PREFIX.dead                the agents' queues' dead letters
 * PREFIX.results  direct exchange  ──(routing key: results)──►  PREFIX.results         back to the orchestrator
 * </pre>
 *
 * <p>What an agent's queue is depends on the broker ({@link QueueKind}): on RabbitMQ a quorum queue with a delivery
 * limit (a message delivered that many times without an acknowledgement is dead-lettered, so a message that crashes
 * its worker cannot loop for ever) and at-least-once dead-lettering; where there are no quorum queues, a classic
 * queue with priorities. Declaring is idempotent; a queue that exists with other arguments is an error naming it
 * (RabbitMQ does not change a queue's arguments in place).
 *
 * <p>{@code maxLength} bounds each agent's queue: when it is full the broker refuses (nacks) further messages, and
 * the relay publishes them again later, so a backlog stays in the store, not in the broker.
 */
public final class Topology {
    public static final String DEFAULT_PREFIX = "switchboard";
    /** Deliveries of one message before the broker dead-letters it. */
    public static final int DEFAULT_DELIVERY_LIMIT = 5;
    /** The highest message priority; see {@link io.switchboard.core.remote.WorkPriority}. */
    public static final int MAX_PRIORITY = 9;
    /** The routing key of the results queue. */
    public static final String RESULTS_KEY = "results";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,120}");

    private final String prefix;
    private final int deliveryLimit;
    private final int maxLength;

    /**
     * @param prefix the first part of every name; letters, digits, {@code . _ : -}
     * @param deliveryLimit deliveries of one message before it is dead-lettered, where the broker supports it
     * @param maxLength the most messages an agent's queue holds; 0 for no bound
     */
    public Topology(String prefix, int deliveryLimit, int maxLength) {
        require(prefix != null && NAME.matcher(prefix).matches(),
                "a queue name prefix is 1 to 120 letters, digits, '.', '_', ':' or '-', was '%s'", prefix);
        require(deliveryLimit >= 1, "a delivery limit is 1 or more, was %s", deliveryLimit);
        require(maxLength >= 0, "a queue's maximum length is 0 (none) or more, was %s", maxLength);
        this.prefix = prefix;
        this.deliveryLimit = deliveryLimit;
        this.maxLength = maxLength;
    }

    public static Topology defaults() {
        return new Topology(DEFAULT_PREFIX, DEFAULT_DELIVERY_LIMIT, 0);
    }

    public String workExchange() {
        return prefix + ".work";
    }

    public String agentQueue(String agent) {
        require(agent != null && NAME.matcher(agent).matches(),
                "an agent's queue is named after it; letters, digits, '.', '_', ':' or '-', was '%s'", agent);
        return prefix + ".agent." + agent;
    }

    public String deadLetterExchange() {
        return prefix + ".dead";
    }

    public String deadLetterQueue() {
        return prefix + ".dead";
    }

    public String resultsExchange() {
        return prefix + ".results";
    }

    public String resultsQueue() {
        return prefix + ".results";
    }

    /** The fanout exchange {@code switchboard submit} rings once it has stored tasks ({@link SubmitNotices}). */
    public String submittedExchange() {
        return prefix + ".submitted";
    }

    /**
     * Declares the exchanges, the dead-letter queue and the results queue.
     *
     * @return what was declared, in a line for the log: the broker, the kind of queue and what it means
     */
    public String declareShared(Channel channel, QueueKind kind, String broker) throws IOException {
        channel.exchangeDeclare(workExchange(), BuiltinExchangeType.DIRECT, true);
        channel.exchangeDeclare(deadLetterExchange(), BuiltinExchangeType.FANOUT, true);
        channel.queueDeclare(deadLetterQueue(), true, false, false, plainQueueArguments(kind));
        channel.queueBind(deadLetterQueue(), deadLetterExchange(), "");
        channel.exchangeDeclare(resultsExchange(), BuiltinExchangeType.DIRECT, true);
        channel.queueDeclare(resultsQueue(), true, false, false, plainQueueArguments(kind));
        channel.queueBind(resultsQueue(), resultsExchange(), RESULTS_KEY);
        return describe(kind, broker);
    }

    /** Declares an agent's queue and binds it to the work exchange under the agent's name. */
    public void declareAgentQueue(Channel channel, QueueKind kind, String agent) throws IOException {
        String queue = agentQueue(agent);
        channel.queueDeclare(queue, true, false, false, agentQueueArguments(kind));
        channel.queueBind(queue, workExchange(), agent);
    }

    /** The arguments of an agent's queue on this kind of broker. */
    public Map<String, Object> agentQueueArguments(QueueKind kind) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        switch (kind) {
            case QUORUM -> {
                arguments.put("x-queue-type", "quorum");
                arguments.put("x-delivery-limit", deliveryLimit);
                arguments.put("x-dead-letter-exchange", deadLetterExchange());
                // At-least-once dead-lettering needs the queue to refuse messages when full rather than drop its
                // oldest ones; with no length bound, it never is.
                arguments.put("x-dead-letter-strategy", "at-least-once");
                arguments.put("x-overflow", "reject-publish");
                if (maxLength > 0) {
                    arguments.put("x-max-length", maxLength);
                }
            }
            case CLASSIC -> {
                arguments.put("x-max-priority", MAX_PRIORITY);
                arguments.put("x-dead-letter-exchange", deadLetterExchange());
                if (maxLength > 0) {
                    arguments.put("x-max-length", maxLength);
                    arguments.put("x-overflow", "reject-publish");
                }
            }
            case QPID -> {
                arguments.put("x-qpid-priorities", MAX_PRIORITY + 1);
                arguments.put("x-qpid-maximum-delivery-count", deliveryLimit);
                arguments.put("alternateExchange", deadLetterExchange());
                if (maxLength > 0) {
                    arguments.put("qpid.max_count", maxLength);
                    arguments.put("qpid.policy_type", "reject");
                }
            }
        }
        return arguments;
    }

    /** The dead-letter and results queues: durable, quorum where the broker has them, nothing else. */
    private static Map<String, Object> plainQueueArguments(QueueKind kind) {
        return kind == QueueKind.QUORUM ? Map.of("x-queue-type", "quorum") : Map.of();
    }

    /** What the agents' queues are on this broker, and what follows, in a line. */
    public String describe(QueueKind kind, String broker) {
        String bound = maxLength > 0 ? ", at most " + maxLength + " messages each" : "";
        return switch (kind) {
            case QUORUM -> broker + ": quorum queues per agent" + bound + ", dead-lettered to " + deadLetterQueue()
                    + " after " + deliveryLimit + " deliveries; delivered in order of arrival (RabbitMQ 3.x quorum "
                    + "queues have no priorities; 4.0 and later deliver priority 5 and above first)";
            case CLASSIC -> broker + ": no quorum queues, so classic queues per agent" + bound
                    + " with priorities 0 to " + MAX_PRIORITY + ", dead-lettered to " + deadLetterQueue()
                    + " when rejected; no delivery limit";
            case QPID -> broker + ": no quorum queues, so classic queues per agent" + bound + " with priorities 0 to "
                    + MAX_PRIORITY + ", dead-lettered to " + deadLetterQueue() + " after " + deliveryLimit
                    + " deliveries";
        };
    }
}
