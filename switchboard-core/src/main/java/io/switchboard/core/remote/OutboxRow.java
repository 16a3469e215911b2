package io.switchboard.core.remote;

import static io.switchboard.core.Require.require;

import java.time.Instant;
import java.util.Objects;

/**
 * A message waiting in the outbox to be published, as the store holds it.
 *
 * @param id the row's id; rows are added in increasing id order
 * @param publishAttempts how many times a relay has started to publish it
 */
public record OutboxRow(long id, WorkMessage message, Instant createdAt, int publishAttempts) {
    public OutboxRow {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(createdAt, "createdAt");
        require(publishAttempts >= 0, "publish attempts are zero or more, was %s", publishAttempts);
    }

    /** The agent whose queue the message goes to. */
    public String agent() {
        return message.agent();
    }

    public int priority() {
        return message.priority();
    }
}
