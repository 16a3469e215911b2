package io.switchboard.core.attempt;

import java.util.Objects;

/**
 * What became of one {@link DecidedStart}: its decision's id, and the attempt it started or why the store refused it.
 *
 * @param decisionId the id the decision log gave the decision
 * @param attempt the started attempt; {@code null} when none was asked for, or the store refused it
 * @param refused what {@link io.switchboard.core.port.TaskStore#startAttempt} would have thrown for this start alone
 *     ({@link io.switchboard.core.task.HandoffPendingException}, {@link io.switchboard.core.task.TaskClaimedException},
 *     {@link IllegalStateException}); {@code null} otherwise
 */
public record StartResult(long decisionId, Attempt attempt, RuntimeException refused) {
    public StartResult {
        if (attempt != null && refused != null) {
            throw new IllegalArgumentException("an attempt is started or refused, not both");
        }
    }

    public static StartResult started(long decisionId, Attempt attempt) {
        return new StartResult(decisionId, Objects.requireNonNull(attempt, "attempt"), null);
    }

    public static StartResult refused(long decisionId, RuntimeException why) {
        return new StartResult(decisionId, null, Objects.requireNonNull(why, "why"));
    }

    public static StartResult decisionOnly(long decisionId) {
        return new StartResult(decisionId, null, null);
    }
}
