package io.switchboard.process.adapter;

import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.Usage;

/**
 * What an adapter read from a finished run.
 *
 * @param failure why the run failed as the agent's output shows it (exit code, error result, quota, login,
 *     malformed output), or {@code null} when it succeeded
 * @param usage tokens and, when the agent reports it, cost
 * @param sessionId the agent's session or thread id, or {@code null}
 * @param summary the agent's final answer, or empty
 */
public record Reading(FailureInfo failure, Usage usage, String sessionId, String summary) {
    public Reading {
        usage = usage == null ? Usage.NONE : usage;
        summary = summary == null ? "" : summary;
    }
}
