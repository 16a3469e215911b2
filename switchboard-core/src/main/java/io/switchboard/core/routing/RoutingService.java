package io.switchboard.core.routing;

import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.performance.AgentPerformance;
import io.switchboard.core.port.AgentDirectory;
import io.switchboard.core.port.CooldownStore;
import io.switchboard.core.port.DecisionLog;
import io.switchboard.core.port.PerformanceStore;
import io.switchboard.core.port.TaskStore;
import io.switchboard.core.task.Task;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Gathers what the router needs from the stores, asks it, and writes the decision to the decision log
 * before anything is dispatched.
 *
 * <p>Reads are bounded by the number of agents, never by history: performance for one work type, in-flight
 * counts, successes within the recent window and active cooldowns.
 */
public final class RoutingService {
    private final AgentDirectory agents;
    private final PerformanceStore performance;
    private final TaskStore tasks;
    private final CooldownStore cooldowns;
    private final DecisionLog decisions;
    private final Router router;
    private final InstantSource clock;
    private final boolean workersReachable;

    public RoutingService(AgentDirectory agents, PerformanceStore performance, TaskStore tasks,
            CooldownStore cooldowns, DecisionLog decisions, Router router, InstantSource clock) {
        this.agents = Objects.requireNonNull(agents, "agents");
        this.performance = Objects.requireNonNull(performance, "performance");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.cooldowns = Objects.requireNonNull(cooldowns, "cooldowns");
        this.decisions = Objects.requireNonNull(decisions, "decisions");
        this.router = Objects.requireNonNull(router, "router");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.workersReachable = true;
    }

    private RoutingService(RoutingService from, boolean workersReachable) {
        this.agents = from.agents;
        this.performance = from.performance;
        this.tasks = from.tasks;
        this.cooldowns = from.cooldowns;
        this.decisions = from.decisions;
        this.router = from.router;
        this.clock = from.clock;
        this.workersReachable = workersReachable;
    }

    /**
     * This service for an orchestrator without a broker: remote workers' agents are kept out of its decisions as
     * {@link ExclusionReason#UNREACHABLE}, since it could not send them work. Without this (a preview, an orchestrator
     * with a broker) they are routed to like any agent.
     */
    public RoutingService withoutWorkers() {
        return new RoutingService(this, false);
    }

    /** A decision that was written to the log, with its id. */
    public record Recorded(long id, RoutingDecision decision) {
    }

    /**
     * Decides and records: the task is stored, and the decision appended to the log (also when no agent
     * could take the task, so that the refusal is on record too).
     */
    public Recorded route(RoutingRequest request) {
        tasks.saveTask(request.task(), clock.instant());
        return routeStored(request);
    }

    /**
     * Decides and records the decision for a task the store already holds (one a dispatcher runs): the same
     * as {@link #route} without writing the task again.
     */
    public Recorded routeStored(RoutingRequest request) {
        return routeStored(request, tasks.attemptRecords(request.task().id()));
    }

    /**
     * {@link #routeStored(RoutingRequest)} for a caller that has just read the task's attempts: they are not read
     * again.
     *
     * @param history the task's attempts, as {@link TaskStore#attemptRecords} gives them
     */
    public Recorded routeStored(RoutingRequest request, List<AttemptRecord> history) {
        RoutingDecision decision = batch().decide(request, history);
        long id = decisions.append(decision);
        return new Recorded(id, decision);
    }

    /**
     * After {@code decided} found no candidate, tries the configured fallbacks (see {@link Router#fallback}) and
     * records the fallback decision when one can take the task.
     */
    public Optional<Recorded> routeFallback(RoutingRequest request, RoutingDecision decided, List<String> fallbacks,
            String because) {
        if (fallbacks.isEmpty()) {
            return Optional.empty();
        }
        return batch().fallback(request, decided, tasks.attemptRecords(request.task().id()), fallbacks, because)
                .map(decision -> new Recorded(decisions.append(decision), decision));
    }

    /**
     * One read of what routing needs, to decide for several tasks at once: the agents, the attempts in flight and the
     * cooldowns are read now, each work type's performance and recent successes when a task of that type first asks.
     * Nothing is written; the caller records the decisions ({@link io.switchboard.core.port.TaskStore#startAttempts}).
     */
    public Batch batch() {
        Instant now = clock.instant();
        return new Batch(now, agents.agents(), new HashMap<>(tasks.inFlightByAgent()), cooldowns.active(now));
    }

    /**
     * {@link #batch()} for a dispatcher that counts its own attempts in flight itself, those whose start it has not
     * seen committed among them: the store's count leaves out what is recorded under {@code orchestratorId}, and
     * {@code own} stands for it.
     *
     * @param own the dispatcher's attempts in flight or starting, per agent id
     */
    public Batch batch(String orchestratorId, Map<UUID, Integer> own) {
        Instant now = clock.instant();
        Map<UUID, Integer> inFlight = new HashMap<>(tasks.inFlightByAgentOfOthers(orchestratorId));
        own.forEach((agent, count) -> inFlight.merge(agent, count, Integer::sum));
        return new Batch(now, agents.agents(), inFlight, cooldowns.active(now));
    }

    /**
     * Decisions against one read of the stores ({@link #batch()}), made one after another: an attempt the caller starts
     * on a decision's agent is counted in flight for the decisions after it ({@link #took}), so a batch never gives an
     * agent more than its max concurrency. Not thread-safe: one batch is decided by one thread.
     */
    public final class Batch {
        private final Instant now;
        private final List<RegisteredAgent> registered;
        private final Map<UUID, Integer> inFlight;
        private final Map<UUID, Cooldown> cooling;
        private final Map<String, Map<UUID, AgentPerformance>> records = new HashMap<>();
        private final Map<String, Map<UUID, Instant>> recent = new HashMap<>();

        private Batch(Instant now, List<RegisteredAgent> registered, Map<UUID, Integer> inFlight,
                Map<UUID, Cooldown> cooling) {
            this.now = now;
            this.registered = List.copyOf(registered);
            this.inFlight = inFlight;
            this.cooling = cooling;
        }

        /** The instant every decision of the batch is made at. */
        public Instant now() {
            return now;
        }

        /** The registered agent of this name, as the batch read it. */
        public Optional<RegisteredAgent> agent(String name) {
            return registered.stream().filter(agent -> agent.name().equals(name)).findFirst();
        }

        /**
         * Decides for a task the store holds, as {@link #routeStored(RoutingRequest, List)} does, without recording.
         *
         * @param history the task's attempts, as {@link io.switchboard.core.port.TaskStore#attemptRecords} gives them
         */
        public RoutingDecision decide(RoutingRequest request, List<AttemptRecord> history) {
            RoutingRequest effective = withHistory(request, history);
            return router.decide(effective, states(effective.task(), registered), now);
        }

        /**
         * The last resort when no agent can take the task and none will be free soon (no agent is only busy or cooling
         * down, which ends at a known time and which the task would wait for): the decision made again with the agents
         * kept out of it only by attempts that were abandoned (their worker or orchestrator was lost, which says
         * nothing of the agent) allowed back. An agent that is offline or silent is not waited for here: it may never
         * come back, and an agent let back that is online now is better than waiting for it; when the agents let back
         * cannot take the task either, the decision finds no candidate and the task waits as before. Empty when that
         * is not the case, or when even so no agent can take the task.
         *
         * @param decided the decision that found no candidate
         */
        public Optional<RoutingDecision> forgivingAbandoned(RoutingRequest request, RoutingDecision decided,
                List<AttemptRecord> history) {
            boolean freeSoon = decided.exclusions().stream().anyMatch(exclusion -> switch (exclusion.reason()) {
                case AT_MAX_CONCURRENCY, BUSY, COOLING_DOWN -> true;
                default -> false;
            });
            if (freeSoon) {
                return Optional.empty();
            }
            RoutingRequest strict = withHistory(request, history, false);
            RoutingRequest forgiving = withHistory(request, history, true);
            if (forgiving.failedAgents().equals(strict.failedAgents())) {
                return Optional.empty();
            }
            Set<String> forgiven = new java.util.TreeSet<>(strict.failedAgents());
            forgiven.removeAll(forgiving.failedAgents());
            return Optional.of(router.decide(forgiving, states(forgiving.task(), registered), now))
                    .filter(decision -> decision.chosen().isPresent())
                    .map(decision -> decision.withReason(decision.reason() + " Every capable agent was kept out of"
                            + " this task; " + String.join(", ", forgiven) + " only by attempts abandoned when their"
                            + " worker or orchestrator was lost, so, with no other agent left, it may take it again."));
        }

        /** {@link #routeFallback}'s decision, without recording it. */
        public Optional<RoutingDecision> fallback(RoutingRequest request, RoutingDecision decided,
                List<AttemptRecord> history, List<String> fallbacks, String because) {
            if (fallbacks.isEmpty()) {
                return Optional.empty();
            }
            RoutingRequest effective = withHistory(request, history);
            return router.fallback(effective, decided, states(effective.task(), registered), fallbacks, because, now);
        }

        /** Counts an attempt started on this agent in flight for the rest of the batch's decisions. */
        public void took(UUID agentId) {
            inFlight.merge(agentId, 1, Integer::sum);
        }

        private List<AgentState> states(Task task, List<RegisteredAgent> agents) {
            String workType = io.switchboard.core.agent.Skills.normalize(task.traits().workType());
            Map<UUID, AgentPerformance> performed = records.computeIfAbsent(workType, performance::forWorkType);
            Map<UUID, Instant> succeeded = recent.computeIfAbsent(workType,
                    type -> tasks.lastSuccessByAgent(type, now.minus(router.policy().recentWindow())));
            List<AgentState> states = new ArrayList<>(agents.size());
            for (RegisteredAgent agent : agents) {
                UUID id = agent.id();
                states.add(new AgentState(agent,
                        performed.getOrDefault(id, AgentPerformance.none(id, workType)),
                        inFlight.getOrDefault(id, 0),
                        cooling.get(id),
                        succeeded.get(id),
                        workersReachable || agent.origin() != io.switchboard.core.agent.AgentOrigin.WORKER));
            }
            return states;
        }
    }

    /**
     * Decides without writing anything ({@code --dry-run}).
     *
     * @param registered the agents to consider, which may include declared agents not yet synced
     */
    public RoutingDecision preview(RoutingRequest request, List<RegisteredAgent> registered) {
        Batch batch = batch();
        RoutingRequest effective = withHistory(request);
        return router.decide(effective, batch.states(effective.task(), registered), batch.now());
    }

    /**
     * The request as the store knows it: the next attempt number, and every agent that already failed the
     * task excluded (a retry never re-picks an agent that just failed), except what does not count against a pinned
     * agent ({@link Placement}).
     */
    RoutingRequest withHistory(RoutingRequest request) {
        return withHistory(request, tasks.attemptRecords(request.task().id()));
    }

    private static RoutingRequest withHistory(RoutingRequest request, List<AttemptRecord> previous) {
        return withHistory(request, previous, false);
    }

    /**
     * @param forgiveAbandoned whether attempts abandoned (their orchestrator or worker lost) are left out of what keeps
     *     an agent out of the task
     */
    private static RoutingRequest withHistory(RoutingRequest request, List<AttemptRecord> previous,
            boolean forgiveAbandoned) {
        int attempt = Math.max(request.attempt(), previous.size() + 1);
        Set<String> failed = new HashSet<>(request.failedAgents());
        Placement placement = request.placement();
        for (AttemptRecord record : previous) {
            FailureType type = record.failure() == null ? null : record.failure().type();
            if (type == null || !type.excludesAgentFromTask() || forgiveAbandoned && type == FailureType.ABANDONED) {
                continue;
            }
            // A task pinned to one agent is not kept from it by a failure from before the pin (whoever pinned it knew
            // of that), nor by an abandoned attempt (the orchestrator died, not the agent): no other agent may take it.
            if (record.attempt().agentName().equals(placement.pin())
                    && (!placement.pinHeldAt(record.attempt().number())
                            || record.failure().type() == FailureType.ABANDONED)) {
                continue;
            }
            failed.add(record.attempt().agentName());
        }
        return new RoutingRequest(request.task(), attempt, failed, request.excludedAgents(), request.prefer(),
                request.maxCost(), request.remainingBudget(), placement);
    }
}
