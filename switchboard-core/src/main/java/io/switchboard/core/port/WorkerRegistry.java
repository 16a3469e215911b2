package io.switchboard.core.port;

import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.RegisteredAgent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The registry's side of remote workers. Every time here is the database's clock, never the caller's: a
 * worker's heartbeat is stamped by the database, and staleness is judged when the registry is read, without anyone
 * sweeping.
 *
 * <p>Any number of workers may run one agent, each with a heartbeat and a window of its own. A worker is live for an
 * agent while it has not left it and has beaten within its window; an agent that workers registered reads {@link
 * io.switchboard.core.agent.AgentStatus#OFFLINE OFFLINE} from every read of the {@link AgentDirectory} (so the router
 * stops choosing it) unless one of its workers is live, and its last heartbeat is the latest of theirs. Agents that
 * no worker registered (declared in an orchestrator's config, or added by hand) have no workers and are never judged
 * stale.
 */
public interface WorkerRegistry {

    /**
     * Registers the worker's agents online and adds the worker to each, with a heartbeat of the database's now and
     * the window after which its silence means it no longer keeps the agent online. All or nothing: when an agent of
     * one of the names is registered with a different profile, nothing is written and the clashes are returned. A
     * profile is different when it is run otherwise ({@link AgentProfile#fingerprint()}); or, while another worker
     * (live: not left, not silent past its window) runs the agent, when routing would see it otherwise
     * ({@link AgentProfile#routesLike}), so that the workers of one agent never contradict each other. An agent of
     * the same profile, whoever registered it, gets this worker as one more of its workers, and this profile (a
     * worker alone may change how its agent is routed); its workers that no longer keep it online (left, or silent past
     * their window) are forgotten, so that their beats reach it no more. A worker that registers again is added
     * again, beating now.
     */
    Registration registerWorker(String workerId, List<AgentProfile> agents, Duration staleAfter);

    /**
     * Stamps the worker's heartbeat, with the database's now, on the agents it has not left, that did not forget it,
     * and that nobody set offline.
     *
     * @return how many agents it still holds: those it stamped
     */
    int beat(String workerId);

    /**
     * The worker leaves its agents, at once, for a worker that stops cleanly: an agent that no other live worker runs
     * reads offline from now, the others stay online. Its later beats reach none of them.
     *
     * @return how many of the agents it left read offline now
     */
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
            if (registered.profile().fingerprint().equals(offered.fingerprint())) {
                return "agent '" + offered.name() + "' is run by another live worker with another pool, type, skills,"
                        + " price, context limit, availability or max concurrency; workers of one agent must agree"
                        + " (a worker that was killed is forgotten once its heartbeat window passes)";
            }
            return "agent '" + offered.name() + "' is registered (by " + registered.origin().name().toLowerCase(
                    java.util.Locale.ROOT) + ") with another profile (" + registered.profile().fingerprint()
                    + ", this worker offers " + offered.fingerprint() + ")";
        }
    }
}
