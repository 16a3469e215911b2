package io.switchboard.broker;

import io.switchboard.core.remote.WorkMessage;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Hears what a {@link WorkConsumer} does with bad input and failing work. No-op defaults; {@link #NONE} hears
 * nothing; {@link #logging} writes one line per event.
 *
 * <p>Threading: called on the consumer's delivery thread, once per event (a message that cannot be read is reported
 * once, when it is dead-lettered). Implementations must be thread-safe, quick, and must not throw.
 */
public interface ConsumerListener {
    ConsumerListener NONE = new ConsumerListener() {
    };

    /** A message that could not be read went to the dead-letter queue, with {@code reason} in its headers. */
    default void deadLettered(String queue, String reason) {
    }

    /** A message could not be read and could not be dead-lettered either: it goes back to its queue. */
    default void deadLetterFailed(String queue, String reason, String failure) {
    }

    /** The handler failed on a message: it goes back to its queue (the broker's delivery limit bounds the retries). */
    default void handlerFailed(String queue, WorkMessage message, String failure) {
    }

    static ConsumerListener logging(Logger logger) {
        return new ConsumerListener() {
            @Override
            public void deadLettered(String queue, String reason) {
                logger.log(Level.WARNING, "Dead-lettered a message from " + queue + ": " + reason);
            }

            @Override
            public void deadLetterFailed(String queue, String reason, String failure) {
                logger.log(Level.WARNING, "Could not dead-letter a message from " + queue + " (" + reason + "): "
                        + failure + "; it goes back to the queue");
            }

            @Override
            public void handlerFailed(String queue, WorkMessage message, String failure) {
                logger.log(Level.WARNING, "Task " + message.taskId() + " attempt " + message.attempt() + " from "
                        + queue + " failed: " + failure + "; it goes back to the queue");
            }
        };
    }
}
