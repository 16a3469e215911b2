package io.switchboard.core.task;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A person's request that a task move to one agent ({@code switchboard handoff}), kept on the task. It is pending
 * until an attempt on that agent takes it up; from then on it pins the task to the agent until the task ends or is
 * submitted again.
 *
 * @param toAgent the only agent the task may run on
 * @param note what the person asked to be passed on, or empty
 * @param requestedAt when it was asked for (to the millisecond, as stored); it tells one request from another
 * @param attempt the attempt that took it up, or {@code null} while it is pending
 */
public record Handoff(String toAgent, String note, Instant requestedAt, Integer attempt) {
    public Handoff {
        Objects.requireNonNull(toAgent, "toAgent");
        note = note == null ? "" : note;
        Objects.requireNonNull(requestedAt, "requestedAt");
        if (attempt != null && attempt < 1) {
            throw new IllegalArgumentException("attempt numbers start at 1, was " + attempt);
        }
    }

    /** A request no attempt has taken up yet. */
    public static Handoff requested(String toAgent, String note, Instant at) {
        return new Handoff(toAgent, note, at, null);
    }

    public boolean pending() {
        return attempt == null;
    }

    /**
     * Whether this is the same request as {@code other}: the same agent, asked for at the same instant (to the
     * millisecond, as stores keep instants).
     */
    public boolean sameRequestAs(Handoff other) {
        return other != null && toAgent.equals(other.toAgent)
                && requestedAt.truncatedTo(ChronoUnit.MILLIS).equals(other.requestedAt.truncatedTo(ChronoUnit.MILLIS));
    }

    /** What a task's state reason and a cancelled attempt say. */
    public String reason() {
        return "handed off to " + toAgent;
    }
}
