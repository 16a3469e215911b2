package io.switchboard.store.internal;

import io.switchboard.core.agent.Adapter;
import io.switchboard.core.agent.AgentOrigin;
import io.switchboard.core.agent.AgentStatus;
import io.switchboard.core.agent.Availability;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.performance.Difficulty;
import io.switchboard.core.remote.RemoteState;
import io.switchboard.core.routing.ExclusionReason;
import io.switchboard.core.routing.Factor;
import io.switchboard.core.task.Risk;
import io.switchboard.core.task.Scope;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskType;
import io.switchboard.core.workflow.StepRunState;
import io.switchboard.core.workflow.WorkflowRunState;
import io.switchboard.store.StoreException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How enums are spelled in the database: the name config uses where there is one ({@code full-auto},
 * {@code claude-code}), otherwise the constant in lower case ({@code timed_out}, {@code worker}). A value
 * the code does not know is an error that quotes it.
 */
public final class Codes {
    private Codes() {
    }

    public static String of(AgentOrigin origin) {
        return lower(origin);
    }

    public static AgentOrigin origin(String code) {
        return parse(AgentOrigin.class, code);
    }

    public static String of(AttemptState state) {
        return lower(state);
    }

    public static AttemptState attemptState(String code) {
        return parse(AttemptState.class, code);
    }

    public static String of(TaskState state) {
        return state.configName();
    }

    public static TaskState taskState(String code) {
        return known(TaskState.fromConfigName(code), "task state", code);
    }

    public static String of(FailureType type) {
        return type.configName();
    }

    public static FailureType failureType(String code) {
        return known(FailureType.fromConfigName(code), "failure type", code);
    }

    public static String of(RemoteState state) {
        return lower(state);
    }

    /** The remote state, or {@code null} for an attempt run locally (no code). */
    public static RemoteState remoteState(String code) {
        return code == null ? null : parse(RemoteState.class, code);
    }

    public static ExclusionReason exclusionReason(String code) {
        return parse(ExclusionReason.class, code);
    }

    public static AgentStatus status(String code) {
        return known(AgentStatus.fromConfigName(code), "agent status", code);
    }

    public static Adapter adapter(String code) {
        return known(Adapter.fromConfigName(code), "adapter", code);
    }

    public static Availability availability(String code) {
        return known(Availability.fromConfigName(code), "availability", code);
    }

    public static Mode mode(String code) {
        return known(Mode.fromConfigName(code), "mode", code);
    }

    public static Difficulty difficulty(String code) {
        return code == null ? null : known(Difficulty.fromConfigName(code), "difficulty", code);
    }

    public static String of(Difficulty difficulty) {
        return difficulty == null ? null : difficulty.configName();
    }

    public static Factor factor(String code) {
        return known(Factor.fromConfigName(code), "factor", code);
    }

    public static TaskType taskType(String code) {
        return known(TaskType.fromConfigName(code), "task type", code);
    }

    public static Scope scope(String code) {
        return known(Scope.fromConfigName(code), "scope", code);
    }

    public static Risk risk(String code) {
        return known(Risk.fromConfigName(code), "risk", code);
    }

    public static WorkflowRunState workflowRunState(String code) {
        return known(WorkflowRunState.fromConfigName(code), "workflow run state", code);
    }

    public static StepRunState stepRunState(String code) {
        return known(StepRunState.fromConfigName(code), "step state", code);
    }

    /** {@code ('pending', 'running')}: the codes of the attempt states that pass the test, for an SQL IN list. */
    public static String attemptStates(Predicate<AttemptState> test) {
        return Stream.of(AttemptState.values()).filter(test)
                .map(state -> "'" + of(state) + "'")
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /** {@code ('queued', 'running', 'waiting')}: the codes of the task states that pass the test, for an IN list. */
    public static String taskStates(Predicate<TaskState> test) {
        return Stream.of(TaskState.values()).filter(test)
                .map(state -> "'" + of(state) + "'")
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String code) {
        try {
            return Enum.valueOf(type, code.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new StoreException("The database holds an unknown " + type.getSimpleName() + " '" + code + "'");
        }
    }

    private static <E> E known(Optional<E> value, String what, String code) {
        return value.orElseThrow(() -> new StoreException("The database holds an unknown " + what + " '" + code + "'"));
    }
}
