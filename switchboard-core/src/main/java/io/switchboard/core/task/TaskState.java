package io.switchboard.core.task;

import io.switchboard.core.ConfigNamed;
import java.util.Optional;

/**
 * Where a task stands. A task is accepted {@link #QUEUED}, runs, may wait for a retry or for an agent to
 * cool down, and ends in exactly one final state. Every move is stored with its reason in the same
 * transaction as the state.
 */
public enum TaskState implements ConfigNamed {
    /** Accepted, not yet running (or handed back by a shutdown or a dead orchestrator). */
    QUEUED("queued"),
    /** An attempt is in flight. */
    RUNNING("running"),
    /** Waiting for a retry's due time or for an agent's cooldown to end. */
    WAITING("waiting"),
    SUCCEEDED("succeeded"),
    /** Failed for good: attempts exhausted, deadline passed, no agent left, or the task itself is invalid. */
    FAILED("failed"),
    /** Could not be delivered to any agent and was set aside for a person to look at. */
    DEAD_LETTERED("dead_lettered"),
    CANCELLED("cancelled");

    private final String configName;

    TaskState(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    public static Optional<TaskState> fromConfigName(String name) {
        return ConfigNamed.find(values(), name);
    }

    public boolean isFinal() {
        return switch (this) {
            case QUEUED, RUNNING, WAITING -> false;
            case SUCCEEDED, FAILED, DEAD_LETTERED, CANCELLED -> true;
        };
    }

    /**
     * The allowed moves: a final state is never left; anything unfinished may be cancelled; a waiting task may
     * wait again with a new due time (its retry found every agent cooling down).
     */
    public boolean canMoveTo(TaskState next) {
        return switch (this) {
            case QUEUED -> next == RUNNING || next == WAITING || next == FAILED || next == DEAD_LETTERED
                    || next == CANCELLED;
            case RUNNING -> next == QUEUED || next == WAITING || next == SUCCEEDED || next == FAILED
                    || next == DEAD_LETTERED || next == CANCELLED;
            case WAITING -> next == QUEUED || next == RUNNING || next == WAITING || next == FAILED
                    || next == DEAD_LETTERED || next == CANCELLED;
            case SUCCEEDED, FAILED, DEAD_LETTERED, CANCELLED -> false;
        };
    }
}
