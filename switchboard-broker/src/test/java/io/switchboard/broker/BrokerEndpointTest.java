package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Connection;
import io.switchboard.broker.TestBrokers.TestBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A broker URL that cannot be used is a clear error at once, or within the timeout; never a hang. */
@Timeout(30)
class BrokerEndpointTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void aPortWhereNothingListensFailsAtOnceNamingTheBroker() {
        int port = EmbeddedBroker.freePort();
        BrokerEndpoint endpoint = BrokerEndpoint.of("amqp://guest:secret@127.0.0.1:" + port, TIMEOUT);

        long started = System.nanoTime();
        assertThatThrownBy(() -> endpoint.connect("test")).isInstanceOf(BrokerException.class)
                .hasMessage("Could not connect to the broker at amqp://guest:***@127.0.0.1:" + port
                        + ": nothing accepts connections there (Connection refused)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT);
    }

    @Test
    void aPortThatAcceptsButNeverSpeaksAmqpFailsWithinTheTimeout() throws IOException {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException e) {
                    // Closed by the test.
                }
            });
            BrokerEndpoint endpoint = BrokerEndpoint.of("amqp://127.0.0.1:" + silent.getLocalPort(), TIMEOUT);

            long started = System.nanoTime();
            assertThatThrownBy(() -> endpoint.connect("test")).isInstanceOf(BrokerException.class)
                    .hasMessageStartingWith("Could not connect to the broker at amqp://127.0.0.1:"
                            + silent.getLocalPort())
                    .hasMessageContaining("no answer within 2000 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT.multipliedBy(3));
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void anUnknownHostIsNamed() {
        BrokerEndpoint endpoint = BrokerEndpoint.of("amqp://no-such-host.invalid:5672", TIMEOUT);

        assertThatThrownBy(() -> endpoint.connect("test")).isInstanceOf(BrokerException.class)
                .hasMessageContaining("no-such-host.invalid");
    }

    @Test
    void aUrlThatIsNotAnAmqpUrlIsRefusedWithoutItsPassword() {
        assertThatThrownBy(() -> BrokerEndpoint.of("http://guest:secret@127.0.0.1:5672", TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a broker URL starts with amqp:// or amqps://, was http://guest:***@127.0.0.1:5672");
        assertThatThrownBy(() -> BrokerEndpoint.of("amqp://guest:secret@127.0.0.1:notaport", TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("guest:***@").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> BrokerEndpoint.of("", TIMEOUT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BrokerEndpoint.of("amqp://127.0.0.1", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(BrokerEndpoint.of("amqp://guest:secret@127.0.0.1:5672/%2f", TIMEOUT))
                .hasToString("amqp://guest:***@127.0.0.1:5672/%2f");
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.broker.TestBrokers#all")
    void aRefusedLoginIsSaidToBeOne(TestBroker broker) {
        BrokerEndpoint endpoint = BrokerEndpoint.of("amqp://guest:wrong@127.0.0.1:" + broker.port(), TIMEOUT);

        assertThatThrownBy(() -> endpoint.connect("test")).isInstanceOf(BrokerException.class)
                .hasMessageStartingWith("The broker at amqp://guest:***@127.0.0.1:" + broker.port()
                        + " refused the login");
    }

    @ParameterizedTest
    @MethodSource("io.switchboard.broker.TestBrokers#all")
    void aBrokerThatAnswersIsConnectedTo(TestBroker broker) throws IOException {
        try (Connection connection = broker.endpoint().connect("test")) {
            assertThat(connection.isOpen()).isTrue();
            assertThat(QueueKind.of(connection.getServerProperties()))
                    .isEqualTo(broker.embedded() ? QueueKind.QPID : QueueKind.QUORUM);
        }
    }
}
