package io.switchboard.core.execution;

import io.switchboard.core.ConfigNamed;
import io.switchboard.core.attempt.AttemptState;
import java.util.Optional;

/**
 * Why an attempt did not succeed. Every end of an agent run that is not a success is one of these; the
 * {@link #configName()} is what the store and {@code --json} output carry.
 */
public enum FailureType implements ConfigNamed {
    /** The agent exited with a non-zero status. */
    EXIT_CODE("exit_code"),
    /** The agent was ended by a signal it did not get from us. */
    SIGNAL("signal"),
    /** The wall-clock limit passed. */
    TIMEOUT("timeout"),
    /** The agent printed nothing for longer than the idle limit. */
    IDLE("idle"),
    /** The agent printed more than the hard output cap and was stopped. */
    OUTPUT_LIMIT("output_limit"),
    /** The attempt's spend passed the budget and the agent was stopped. */
    BUDGET("budget"),
    /** The agent's program is not installed (or not on the path it was given). */
    BINARY_MISSING("binary_missing"),
    /** The agent's program exists but cannot be executed. */
    NOT_EXECUTABLE("not_executable"),
    /** The agent's CLI says it is not logged in or its credentials are refused. */
    NOT_LOGGED_IN("not_logged_in"),
    /** The agent's account ran out of quota. */
    QUOTA("quota"),
    /** The agent's provider is rate limiting it. */
    RATE_LIMIT("rate_limit"),
    /** The agent finished but reported an error in its structured output. */
    AGENT_ERROR("agent_error"),
    /** The agent's structured output could not be read; the raw bytes are kept in the detail. */
    MALFORMED_OUTPUT("malformed_output"),
    /** The agent succeeded but the task's verification command did not. */
    VERIFY_FAILED("verify_failed"),
    /** The run could not be started for a reason other than a missing or non-executable program. */
    LAUNCH_FAILED("launch_failed"),
    /** The task itself cannot be run as given (a NUL byte in the prompt, a missing working directory…). */
    INVALID_TASK("invalid_task"),
    /**
     * The attempt's own workspace could not be made (the branches of the tasks it depends on conflict, a git
     * command failed) or what the agent changed in it could not be recorded. Not the agent's doing: it says
     * nothing about the agent and does not exclude it; whether the task is tried again is the
     * {@link FailureInfo#nonRetryable()} the workspace gave.
     */
    WORKSPACE("workspace"),
    /** Stopped on request (Ctrl-C, SIGTERM, a handoff): not the agent's fault. */
    CANCELLED("cancelled"),
    /** The orchestrator that ran the attempt died; found by {@code resume}. */
    ABANDONED("abandoned");

    private final String configName;

    FailureType(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    public static Optional<FailureType> fromConfigName(String name) {
        return ConfigNamed.find(values(), name);
    }

    /** The state an attempt that ended this way is left in. */
    public AttemptState attemptState() {
        return switch (this) {
            case TIMEOUT, IDLE -> AttemptState.TIMED_OUT;
            case CANCELLED -> AttemptState.CANCELLED;
            case ABANDONED -> AttemptState.ABANDONED;
            case EXIT_CODE, SIGNAL, OUTPUT_LIMIT, BUDGET, BINARY_MISSING, NOT_EXECUTABLE, NOT_LOGGED_IN, QUOTA,
                    RATE_LIMIT, AGENT_ERROR, MALFORMED_OUTPUT, VERIFY_FAILED, LAUNCH_FAILED, INVALID_TASK, WORKSPACE ->
                    AttemptState.FAILED;
        };
    }

    /**
     * Whether the agent cannot work at all until its configuration changes (its program is missing, or it
     * is not logged in). Such a failure is the agent's, not the task's: it does not use up one of the task's
     * attempts.
     */
    public boolean agentUnusable() {
        return switch (this) {
            case BINARY_MISSING, NOT_EXECUTABLE, NOT_LOGGED_IN -> true;
            case EXIT_CODE, SIGNAL, TIMEOUT, IDLE, OUTPUT_LIMIT, BUDGET, QUOTA, RATE_LIMIT, AGENT_ERROR,
                    MALFORMED_OUTPUT, VERIFY_FAILED, LAUNCH_FAILED, INVALID_TASK, WORKSPACE, CANCELLED, ABANDONED ->
                    false;
        };
    }

    /**
     * Whether the agent is not tried again on the same task after failing it this way. Quota and setup
     * failures are not the agent failing the task: a cooldown keeps it out until it can work again, and then
     * it may take the task. A stop on request, a spent budget and an invalid task say nothing about the agent.
     */
    public boolean excludesAgentFromTask() {
        return switch (this) {
            case EXIT_CODE, SIGNAL, TIMEOUT, IDLE, OUTPUT_LIMIT, AGENT_ERROR, MALFORMED_OUTPUT, VERIFY_FAILED,
                    LAUNCH_FAILED, ABANDONED -> true;
            case BUDGET, BINARY_MISSING, NOT_EXECUTABLE, NOT_LOGGED_IN, QUOTA, RATE_LIMIT, INVALID_TASK, WORKSPACE,
                    CANCELLED -> false;
        };
    }

    /** Whether the provider is out of quota or rate limiting: the agent cools down until its reset. */
    public boolean quotaOrRateLimit() {
        return this == QUOTA || this == RATE_LIMIT;
    }
}
