package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The doorbell {@code submit} rings for the orchestrators serving a database, on a real broker. */
class SubmitNoticesTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Test
    void everyListeningOrchestratorHearsEachNoticeOnceAndOnlyItsOwnPrefixes() throws Exception {
        TestBrokers.TestBroker broker = TestBrokers.one();
        Topology topology = TestBrokers.newTopology(0);
        Topology another = TestBrokers.newTopology(0);
        Semaphore first = new Semaphore(0);
        Semaphore second = new Semaphore(0);
        Semaphore elsewhere = new Semaphore(0);
        try (Connection listening = broker.endpoint().connect("submit-notices-test-listening");
                Connection submitting = broker.endpoint().connect("submit-notices-test-submitting")) {
            SubmitNotices.listen(listening, topology, first::release);
            SubmitNotices.listen(listening, topology, second::release);
            SubmitNotices.listen(listening, another, elsewhere::release);
            try (Channel channel = submitting.createChannel()) {
                SubmitNotices.publish(channel, topology);
                SubmitNotices.publish(channel, topology);
            }

            assertThat(first.tryAcquire(2, PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(second.tryAcquire(2, PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            // A notice published after the two makes sure nothing more of them is on its way.
            try (Channel channel = submitting.createChannel()) {
                SubmitNotices.publish(channel, another);
            }
            assertThat(elsewhere.tryAcquire(1, PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(first.availablePermits()).isZero();
            assertThat(second.availablePermits()).isZero();
        } finally {
            try (Connection cleanup = broker.endpoint().connect("submit-notices-test-cleanup");
                    Channel channel = cleanup.createChannel()) {
                channel.exchangeDelete(topology.submittedExchange());
                channel.exchangeDelete(another.submittedExchange());
            }
        }
    }

    @Test
    void publishingWithNobodyListeningLosesNothingAndFailsNothing() throws Exception {
        TestBrokers.TestBroker broker = TestBrokers.one();
        Topology topology = TestBrokers.newTopology(0);
        try (Connection submitting = broker.endpoint().connect("submit-notices-test-alone");
                Channel channel = submitting.createChannel()) {
            SubmitNotices.publish(channel, topology);
            // The exchange is there and the channel still answers: an unrouted doorbell is not an error.
            channel.exchangeDeclarePassive(topology.submittedExchange());
            assertThat(channel.isOpen()).isTrue();
            channel.exchangeDelete(topology.submittedExchange());
        }
    }
}
