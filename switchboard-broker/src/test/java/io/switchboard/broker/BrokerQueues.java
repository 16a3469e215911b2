package io.switchboard.broker;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * A test's own look at the broker, on a connection of its own: what is in a queue, taken off it; a queue removed
 * behind the relay's back; and, when the test is done, every queue and exchange of the test's topology deleted.
 */
final class BrokerQueues implements AutoCloseable {
    private final Topology topology;
    private final List<String> agents;
    private final Connection connection;
    private final Channel channel;

    BrokerQueues(TestBrokers.TestBroker broker, Topology topology, List<String> agents) {
        this.topology = topology;
        this.agents = agents;
        this.connection = broker.endpoint().connect("test");
        try {
            this.channel = connection.createChannel();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every message in the queue, taken off it and acknowledged, in the order the broker hands them out. */
    List<GetResponse> takeAll(String queue) {
        List<GetResponse> taken = new ArrayList<>();
        try {
            for (GetResponse response; (response = channel.basicGet(queue, true)) != null; ) {
                taken.add(response);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return taken;
    }

    /** Messages ready in the queue; 0 for a queue not declared yet (asked on a channel of its own, closed by that). */
    long count(String queue) {
        try (Channel asking = connection.createChannel()) {
            return asking.messageCount(queue);
        } catch (IOException | TimeoutException | RuntimeException e) {
            if (connection.isOpen()) {
                return 0;
            }
            throw new IllegalStateException("the test's connection to the broker closed", e);
        }
    }

    void deleteQueue(String queue) {
        try {
            channel.queueDelete(queue);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Publishes raw bytes to the work exchange under an agent's name, as a broken or newer producer would. */
    void publishRaw(String agent, byte[] body) {
        try {
            channel.basicPublish(topology.workExchange(), agent, null, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            for (String agent : agents) {
                channel.queueDelete(topology.agentQueue(agent));
            }
            channel.queueDelete(topology.deadLetterQueue());
            channel.queueDelete(topology.resultsQueue());
            channel.exchangeDelete(topology.workExchange());
            channel.exchangeDelete(topology.deadLetterExchange());
            channel.exchangeDelete(topology.resultsExchange());
            connection.close();
        } catch (IOException | RuntimeException e) {
            connection.abort(1_000);
        }
    }
}
