package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueueKindTest {

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource({
            "RabbitMQ, 3.10.8, QUORUM",
            "RabbitMQ, 3.8.0, QUORUM",
            "RabbitMQ, 4.1.0, QUORUM",
            "RabbitMQ, 3.7.28, CLASSIC",
            "RabbitMQ, unknown, CLASSIC",
            "Apache Qpid Broker-J Core, 10.1.0, QPID",
            "LavinMQ, 2.0, CLASSIC"})
    void theBrokersAnnouncementDecidesTheKindOfQueue(String product, String version, QueueKind kind) {
        Map<String, Object> properties = Map.of("product", product, "version", version);

        assertThat(QueueKind.of(properties)).isEqualTo(kind);
        assertThat(QueueKind.describe(properties)).isEqualTo(product + " " + version);
    }
}
