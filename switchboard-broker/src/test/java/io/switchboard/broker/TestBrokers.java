package io.switchboard.broker;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The brokers the tests run against: the RabbitMQ on 127.0.0.1:5672 (guest/guest, as on the CI machines) when it
 * answers, and always an embedded Qpid Broker-J started once for the test run, so that both paths are exercised
 * wherever RabbitMQ is there and neither rots.
 *
 * <p>{@code -Dswitchboard.test.broker=embedded} leaves the local RabbitMQ out even when it answers.
 */
public final class TestBrokers {
    static final String LOCAL_URL = "amqp://guest:guest@127.0.0.1:5672";

    /** One broker to test against; its name is what a parameterized test shows. */
    public record TestBroker(String name, String url, int port, boolean embedded) {
        public BrokerEndpoint endpoint() {
            return BrokerEndpoint.of(url, Duration.ofSeconds(5));
        }

        /** The same broker reached through another port (a proxy's). */
        String urlOnPort(int otherPort) {
            return "amqp://guest:guest@127.0.0.1:" + otherPort;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static List<TestBroker> brokers;
    private static EmbeddedBroker embedded;

    private TestBrokers() {
    }

    /**
     * One broker for tests that need only one: the RabbitMQ on 127.0.0.1:5672 when it answers, else the embedded
     * Qpid Broker-J.
     */
    public static TestBroker one() {
        return list().getFirst();
    }

    /** For {@code @MethodSource("io.switchboard.broker.TestBrokers#all")}. */
    static Stream<TestBroker> all() {
        return list().stream();
    }

    static synchronized List<TestBroker> list() {
        if (brokers == null) {
            List<TestBroker> found = new ArrayList<>();
            String local = localBroker();
            if (local != null) {
                found.add(new TestBroker(local + " on 127.0.0.1:5672", LOCAL_URL, 5672, false));
            }
            embedded = EmbeddedBroker.onFreePort().start();
            Runtime.getRuntime().addShutdownHook(new Thread(embedded::stop));
            found.add(new TestBroker("embedded Qpid Broker-J", embedded.url(), embedded.port(), true));
            brokers = List.copyOf(found);
        }
        return brokers;
    }

    /** The local broker's product and version, or null when none answers (or the embedded one is asked for). */
    private static String localBroker() {
        if ("embedded".equals(System.getProperty("switchboard.test.broker"))) {
            return null;
        }
        try (Connection connection = BrokerEndpoint.of(LOCAL_URL, Duration.ofSeconds(2)).connect("probe")) {
            return QueueKind.describe(connection.getServerProperties());
        } catch (BrokerException | IOException e) {
            return null;
        }
    }

    /** Names of queues and exchanges of one test's own, so that tests sharing a broker never meet. */
    static Topology newTopology(int maxLength) {
        return new Topology("sbtest." + UUID.randomUUID().toString().substring(0, 8), 5, maxLength);
    }
}
