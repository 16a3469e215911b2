package io.switchboard.testkit.store;

import io.switchboard.core.port.AgentDirectory;
import io.switchboard.core.port.CooldownStore;
import io.switchboard.core.port.DecisionLog;
import io.switchboard.core.port.PerformanceStore;
import io.switchboard.core.port.TaskStore;
import io.switchboard.core.port.WorkerRegistry;
import io.switchboard.core.port.WorkflowStore;
import java.util.Objects;

/**
 * The seven store ports of one store under test. They are handed over together because their contracts
 * meet: removing an agent reaches its performance, cooldowns and decisions; attempts name agents; a workflow
 * step's task is a task.
 */
public record StorePorts(AgentDirectory agents, PerformanceStore performance, TaskStore tasks,
        CooldownStore cooldowns, DecisionLog decisions, WorkflowStore workflows, WorkerRegistry workers) {

    public StorePorts {
        Objects.requireNonNull(agents, "agents");
        Objects.requireNonNull(performance, "performance");
        Objects.requireNonNull(tasks, "tasks");
        Objects.requireNonNull(cooldowns, "cooldowns");
        Objects.requireNonNull(decisions, "decisions");
        Objects.requireNonNull(workflows, "workflows");
        Objects.requireNonNull(workers, "workers");
    }

    /** All seven ports of a store that implements every one of them. */
    public static <S extends AgentDirectory & PerformanceStore & TaskStore & CooldownStore & DecisionLog
            & WorkflowStore & WorkerRegistry> StorePorts of(S store) {
        return new StorePorts(store, store, store, store, store, store, store);
    }
}
