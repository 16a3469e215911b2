package io.switchboard.core.port;

import io.switchboard.core.agent.AgentOrigin;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.AgentStatus;
import io.switchboard.core.agent.RegisteredAgent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The agent registry. Profiles come from config (synced at start), {@code agents add} or workers; status
 * and heartbeat live only here.
 */
public interface AgentDirectory {

    /** Every registered agent, ordered by name. */
    List<RegisteredAgent> agents();

    Optional<RegisteredAgent> find(String name);

    /**
     * Inserts the agent, or updates its profile when one of that name exists (keeping its id, status and
     * heartbeat). A new agent starts {@link AgentStatus#ONLINE}.
     */
    RegisteredAgent register(AgentProfile profile, AgentOrigin origin, Instant now);

    /**
     * Makes the registry agree with the agents declared in config: each is registered (or its profile
     * updated); agents that came from config but are no longer declared are set offline, not deleted, so
     * their history stays.
     *
     * @return what changed
     */
    SyncReport sync(List<AgentProfile> declared, Instant now);

    /**
     * Deletes the agent. Its performance rows go with it; decisions that chose it keep the agent's name but
     * lose the reference.
     *
     * @return whether an agent of that name existed
     */
    boolean remove(String name);

    /** @return whether an agent of that name existed */
    boolean setStatus(String name, AgentStatus status, Instant now);

    /** Records that the agent is alive now. @return whether an agent of that name existed */
    boolean heartbeat(String name, Instant now);

    /** What {@link #sync} did. */
    record SyncReport(List<String> added, List<String> updated, List<String> retired) {
        public SyncReport {
            added = List.copyOf(added);
            updated = List.copyOf(updated);
            retired = List.copyOf(retired);
        }
    }
}
