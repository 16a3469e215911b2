package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.remote.WorkMessage;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The listeners that log write one line per event, at a level that says whether anything is wrong. */
class ListenersTest {

    /** A logger that keeps what it is given. */
    private static final class Lines implements Logger {
        final List<String> lines = new ArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            lines.add(level + " " + message);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + format);
        }

        @Override
        public void log(Level level, Supplier<String> supplier) {
            lines.add(level + " " + supplier.get());
        }
    }

    @Test
    void theRelaysEventsAreOneLineEach() {
        Lines logger = new Lines();
        RelayListener listener = RelayListener.logging(logger);

        listener.brokerUnavailable("Could not connect to the broker at amqp://127.0.0.1:5673: refused");
        listener.brokerAvailable("RabbitMQ 3.10.8: quorum queues per agent");
        listener.blocked("low on memory");
        listener.unblocked();
        listener.returned(7, "codex", "312 NO_ROUTE");
        listener.unconfirmed(3, Duration.ofSeconds(30));
        listener.storeFailed("The database failed");
        listener.storeRecovered();
        listener.failed("boom");
        listener.sent(10);
        listener.refused(2);

        assertThat(logger.lines).containsExactly(
                "WARNING Could not connect to the broker at amqp://127.0.0.1:5673: refused; messages wait in the "
                        + "outbox until it is back",
                "INFO Publishing to RabbitMQ 3.10.8: quorum queues per agent",
                "WARNING The broker blocked publishing (low on memory); messages wait in the outbox until it resumes",
                "INFO The broker resumed publishing",
                "WARNING The broker could not route outbox row 7 to agent codex (312 NO_ROUTE); it stays in the "
                        + "outbox and is sent again",
                "WARNING 3 messages were not confirmed within 30000 ms; reconnecting to send them again",
                "WARNING The outbox could not be read or updated: The database failed",
                "INFO The outbox can be read and updated again",
                "ERROR The relay failed and starts over: boom");
    }

    @Test
    void theConsumersEventsAreOneLineEach() {
        Lines logger = new Lines();
        ConsumerListener listener = ConsumerListener.logging(logger);

        listener.deadLettered("switchboard.agent.codex", "unknown message version 2");
        listener.deadLetterFailed("switchboard.agent.codex", "the body is empty", "timed out");
        listener.handlerFailed("switchboard.agent.codex", WorkMessage.of("T-1", 2, "codex", Mode.AUTO,
                new WorkMessage.Inline("p"), null, 4), "store away");

        assertThat(logger.lines).containsExactly(
                "WARNING Dead-lettered a message from switchboard.agent.codex: unknown message version 2",
                "WARNING Could not dead-letter a message from switchboard.agent.codex (the body is empty): timed out;"
                        + " it goes back to the queue",
                "WARNING Task T-1 attempt 2 from switchboard.agent.codex failed: store away; it goes back to the "
                        + "queue");
    }
}
