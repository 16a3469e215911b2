package io.switchboard.core.execution;

import java.time.Instant;
import java.util.Objects;

/**
 * Why an attempt failed, as data: what crosses the boundary from a subprocess (or, later, a remote worker)
 * is this record, never an exception.
 *
 * @param type what kind of end it was
 * @param message one readable line, secrets already redacted
 * @param nonRetryable whether running the task again, on any agent, cannot help (the task itself is at
 *     fault)
 * @param detail more context (raw bytes of malformed output, the signal, the verification's tail), redacted;
 *     empty when there is none
 * @param resetAt for a quota or rate limit, when the agent said it resets; {@code null} when it did not say
 */
public record FailureInfo(FailureType type, String message, boolean nonRetryable, String detail, Instant resetAt) {

    public FailureInfo {
        Objects.requireNonNull(type, "type");
        message = message == null ? "" : message;
        detail = detail == null ? "" : detail;
    }

    public static FailureInfo of(FailureType type, String message) {
        return new FailureInfo(type, message, type == FailureType.INVALID_TASK, "", null);
    }

    public FailureInfo withDetail(String text) {
        return new FailureInfo(type, message, nonRetryable, text, resetAt);
    }

    public FailureInfo withResetAt(Instant reset) {
        return new FailureInfo(type, message, nonRetryable, detail, reset);
    }

    @Override
    public String toString() {
        return type.configName() + ": " + message;
    }
}
