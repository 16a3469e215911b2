package io.switchboard.core.port;

import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.RegisteredAgent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The registry's side of remote workers. Every time here is the database's clock, never the caller's: a
 * worker's heartbeat is stamped by the database, and an agent whose worker has not beaten within the window it
 * registered with reads {@link io.switchboard.core.agent.AgentStatus#OFFLINE OFFLINE} from every read of the
 * {@link AgentDirectory} (so the router stops choosing it) without anyone sweeping. Agents that no worker
 * registered (declared in an orchestrator's config, or added by hand) have no window and are never judged stale.
 */
public interface WorkerRegistry {

    /**
     * Registers the worker's agents online under its id, each with a heartbeat of the database's now and the
     * window after which silence means offline. All or nothing: when an agent of one of the names is registered
     * with a different profile (by its {@link AgentProfile#fingerprint()}), nothing is written and the clashes
     * are returned. An agent of the same profile is taken over, whoever registered it.
     */
    Registration registerWorker(String workerId, List<AgentProfile> agents, Duration staleAfter);

    /** Stamps the worker's agents with the database's now. @return how many agents it still holds */
    int beat(String workerId);

    /** Sets the worker's agents offline, at once, for a worker that stops cleanly. @return how many */
    int leave(String workerId);

    /** The database's clock, which heartbeats are stamped and judged with. */
    Instant databaseNow();

    /**
     * What {@link #registerWorker} did: the agents as registered, or, when any clashes, nothing and the
     * clashes.
     */
    record Registration(List<RegisteredAgent> registered, List<Clash> clashes) {
        public Registration {
            registered = List.copyOf(registered);
            clashes = List.copyOf(clashes);
        }

        public boolean refused() {
            return !clashes.isEmpty();
        }
    }

    /** An agent name the worker offers with a profile other than the registered one. */
    record Clash(RegisteredAgent registered, AgentProfile offered) {
        public Clash {
            Objects.requireNonNull(registered, "registered");
            Objects.requireNonNull(offered, "offered");
        }

        public String describe() {
            return "agent '" + offered.name() + "' is registered (by " + registered.origin().name().toLowerCase(
                    java.util.Locale.ROOT) + ") with another profile (" + registered.profile().fingerprint()
                    + ", this worker offers " + offered.fingerprint() + ")";
        }
    }
}
