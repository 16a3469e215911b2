package io.switchboard.core.execution;

import io.switchboard.core.config.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What follows a failed attempt: one function, one commented rule a line (STYLE 6). Pure: it reads no clock
 * and no store; the dispatcher passes what it knows.
 */
public final class Recovery {
    private Recovery() {
    }

    /** The verdict. */
    public sealed interface Next {
        String reason();
    }

    /** The task fails for good. */
    public record GiveUp(String reason) implements Next {
    }

    /** Route again (every agent that failed the task excluded) once {@code due} has come. */
    public record RetryAt(Instant due, String reason) implements Next {
    }

    /** Not the task's failure: it goes back to the queue as it is (a shutdown, a cancelled run). */
    public record Requeue(String reason) implements Next {
    }

    /**
     * @param failure how the attempt ended
     * @param attemptsUsed attempts that count towards the policy's limit, this one included (failures of an
     *     agent's own setup — a missing binary, a login — and cancelled attempts do not count)
     * @param deadline after this the task is not retried, or {@code null}
     */
    public static Next recover(FailureInfo failure, int attemptsUsed, RetryPolicy policy, Instant deadline,
            Instant now) {
        Objects.requireNonNull(failure, "failure");
        FailureType type = failure.type();
        // Stopped on request: nothing is wrong with the task; it waits in the queue for resume.
        if (type == FailureType.CANCELLED) {
            return new Requeue("stopped before it finished (" + failure.message() + ")");
        }
        // The task itself is invalid: no agent can do better.
        if (failure.nonRetryable()) {
            return new GiveUp("cannot be run as given: " + failure.message());
        }
        // The money is spent: another agent would spend more.
        if (type == FailureType.BUDGET) {
            return new GiveUp("budget spent: " + failure.message());
        }
        // Every attempt the policy allows has been used.
        if (attemptsUsed >= policy.maxAttempts()) {
            return new GiveUp("failed " + attemptsUsed + " of " + policy.maxAttempts() + " attempts allowed; last: "
                    + failure);
        }
        // An agent that cannot start is no reason to wait: the next agent can start at once.
        Duration delay = type.agentUnusable() || type == FailureType.ABANDONED
                ? Duration.ZERO : policy.nextDelay(Math.max(1, attemptsUsed));
        Instant due = now.plus(delay);
        // The next try would begin after the deadline.
        if (deadline != null && due.isAfter(deadline)) {
            return new GiveUp("deadline " + deadline + " passes before the next attempt (due " + due + "); last: "
                    + failure);
        }
        // Otherwise: the next-best agent, after the policy's back-off.
        return new RetryAt(due, failure + (delay.isZero() ? "; retrying at once" : "; retrying in "
                + RetryPolicy.text(delay)));
    }

    /** Whether a failure of this kind uses up one of the task's attempts. */
    public static boolean countsAsAttempt(FailureType type) {
        return !type.agentUnusable() && type != FailureType.CANCELLED;
    }
}
