package io.switchboard.core.remote;

import io.switchboard.core.execution.RunResult;
import java.time.Instant;
import java.util.Objects;

/**
 * A result a worker reported for an attempt, accepted or not. Every report is kept, so a late result (from a worker
 * whose lease passed, or for an attempt that is no longer current) is seen and never applied.
 *
 * @param accepted whether it became the attempt's result; {@code false}: superseded
 * @param reason why it was superseded, or empty when accepted
 * @param reportedAt when it was stored, by the database's clock
 */
public record ReportedResult(AttemptKey key, String workerId, boolean accepted, String reason, Instant reportedAt,
        RunResult result) {
    public ReportedResult {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(workerId, "workerId");
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(reportedAt, "reportedAt");
        Objects.requireNonNull(result, "result");
    }
}
