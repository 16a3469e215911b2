package io.switchboard.store;

import io.switchboard.core.port.AgentDirectory;
import io.switchboard.core.port.CooldownStore;
import io.switchboard.core.port.DecisionLog;
import io.switchboard.core.port.Outbox;
import io.switchboard.core.port.PerformanceStore;
import io.switchboard.core.port.RemoteAttempts;
import io.switchboard.core.port.TaskClaims;
import io.switchboard.core.port.TaskStore;
import io.switchboard.core.port.WorkerRegistry;
import io.switchboard.core.port.WorkflowStore;

/**
 * The ten store ports over one database, as {@link Database#store()} hands them out: pass the same object
 * as each port. Every method is safe to call from several threads. A failing database surfaces as
 * {@link StoreException}.
 */
public interface Store extends AgentDirectory, PerformanceStore, TaskStore, CooldownStore, DecisionLog,
        WorkflowStore, Outbox, WorkerRegistry, RemoteAttempts, TaskClaims {
}
