package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The names and arguments of the queues, per kind of broker, and the options' checks. */
class TopologyTest {
    private final Topology topology = new Topology("switchboard", 5, 100);

    @Test
    void namesAreUnderThePrefix() {
        Topology defaults = Topology.defaults();

        assertThat(defaults.workExchange()).isEqualTo("switchboard.work");
        assertThat(defaults.agentQueue("claude-code")).isEqualTo("switchboard.agent.claude-code");
        assertThat(defaults.deadLetterExchange()).isEqualTo("switchboard.dead");
        assertThat(defaults.resultsQueue()).isEqualTo("switchboard.results");
        assertThatThrownBy(() -> defaults.agentQueue("two words")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 'two words'");
        assertThatThrownBy(() -> new Topology("", 5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Topology("x", 0, 0)).hasMessageContaining("was 0");
        assertThatThrownBy(() -> new Topology("x", 5, -1)).hasMessageContaining("was -1");
    }

    @Test
    void eachKindOfBrokerGetsItsOwnSpellingOfTheSameQueue() {
        assertThat(topology.agentQueueArguments(QueueKind.QUORUM)).isEqualTo(Map.of("x-queue-type", "quorum",
                "x-delivery-limit", 5, "x-dead-letter-exchange", "switchboard.dead",
                "x-dead-letter-strategy", "at-least-once", "x-overflow", "reject-publish", "x-max-length", 100));
        assertThat(topology.agentQueueArguments(QueueKind.CLASSIC)).isEqualTo(Map.of("x-max-priority", 9,
                "x-dead-letter-exchange", "switchboard.dead", "x-max-length", 100, "x-overflow", "reject-publish"));
        assertThat(topology.agentQueueArguments(QueueKind.QPID)).isEqualTo(Map.of("x-qpid-priorities", 10,
                "x-qpid-maximum-delivery-count", 5, "alternateExchange", "switchboard.dead",
                "qpid.max_count", 100, "qpid.policy_type", "reject"));
        assertThat(Topology.defaults().agentQueueArguments(QueueKind.CLASSIC)).doesNotContainKey("x-max-length");
    }

    @Test
    void theDescriptionSaysWhatTheBrokerGave() {
        assertThat(topology.describe(QueueKind.QUORUM, "RabbitMQ 3.10.8")).startsWith(
                "RabbitMQ 3.10.8: quorum queues per agent, at most 100 messages each, dead-lettered to "
                        + "switchboard.dead after 5 deliveries; delivered in order of arrival");
        assertThat(topology.describe(QueueKind.CLASSIC, "RabbitMQ 3.7.28")).isEqualTo("RabbitMQ 3.7.28: no quorum "
                + "queues, so classic queues per agent, at most 100 messages each with priorities 0 to 9, "
                + "dead-lettered to switchboard.dead when rejected; no delivery limit");
        assertThat(topology.describe(QueueKind.QPID, "Qpid")).contains("no quorum queues, so classic queues");
    }

    @Test
    void relayOptionsRefuseImpossibleValuesQuotingThem() {
        RelayOptions defaults = RelayOptions.DEFAULTS;

        assertThat(defaults.withBatchSize(5_000).maxUnconfirmed()).isEqualTo(5_000);
        assertThatThrownBy(() -> defaults.withBatchSize(0)).hasMessage("a batch is 1 row or more, was 0");
        assertThatThrownBy(() -> defaults.withConfirmTimeout(Duration.ZERO))
                .hasMessage("a confirm timeout is more than zero, was PT0S");
        assertThatThrownBy(() -> defaults.withRetryDelay(Duration.ofSeconds(-1)))
                .hasMessage("a retry delay is zero or more, was PT-1S");
        assertThatThrownBy(() -> defaults.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("the maximum back-off is at least the initial PT2S, was PT1S");
        // A relay's claims outlast twice its confirm timeout: a longer timeout takes the hold along.
        assertThat(defaults.claimHold()).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> defaults.withClaimHold(Duration.ofSeconds(60)))
                .hasMessage("a claim hold is more than twice the confirm timeout PT30S, was PT1M");
        assertThat(defaults.withConfirmTimeout(Duration.ofMinutes(2)).claimHold()).isEqualTo(Duration.ofMinutes(6));
        assertThat(defaults.withConfirmTimeout(Duration.ofSeconds(5)).claimHold()).isEqualTo(Duration.ofSeconds(90));
    }
}
