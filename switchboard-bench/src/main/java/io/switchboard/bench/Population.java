package io.switchboard.bench;

import static io.switchboard.testkit.AgentBuilder.anAgent;
import static io.switchboard.testkit.TaskBuilder.aTask;

import io.switchboard.core.agent.Availability;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.performance.AgentPerformance;
import io.switchboard.core.routing.AgentState;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskType;
import io.switchboard.testkit.AgentBuilder;
import io.switchboard.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The agents and the task every measurement routes: a varied population (mixed histories, prices, limits
 * and loads; about one agent in ten excluded by its context limit) and an implementation task that the
 * default rules send to agents strong in reasoning, so rules, preference and exclusions all take part.
 */
final class Population {
    /** The work types history is spread over; the measured task is the first. */
    static final List<String> WORK_TYPES = List.of("implement", "review", "fix", "refactor", "test", "docs",
            "design", "research");

    private Population() {
    }

    /** {@code size} agents named {@code agent-0}…, the same for the same seed. */
    static List<AgentBuilder> agents(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<AgentBuilder> agents = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            AgentBuilder agent = anAgent("agent-" + i)
                    .withSuccessRate(random.nextInt(40), random.nextInt(20))
                    .costing(random.nextInt(1, 30) / 1000.0)
                    .withContextLimit(random.nextInt(10) == 0 ? 32_000 : 200_000)
                    .withMaxConcurrency(random.nextInt(1, 5))
                    .available(random.nextBoolean() ? Availability.LOCAL : Availability.REMOTE);
            if (random.nextInt(3) == 0) {
                agent.specializedIn("implement");
            }
            if (random.nextInt(2) == 0) {
                agent.strongAt("java", "reasoning");
            }
            if (random.nextInt(4) == 0) {
                agent.succeededRecentlyAt(MutableClock.EPOCH.minus(Duration.ofMinutes(random.nextInt(600))));
            }
            agents.add(agent);
        }
        return agents;
    }

    /** The agents with their routing state, as the router benchmark hands them to the router. */
    static List<AgentState> states(int size, long seed) {
        return agents(size, seed).stream().map(AgentBuilder::state).toList();
    }

    /**
     * The builders' agents as a store registered them (with the store's ids), each with its builder's routing
     * state: history, load, cooldown, last success.
     */
    static List<AgentState> states(List<AgentBuilder> builders, List<RegisteredAgent> registered) {
        Map<String, RegisteredAgent> byName = new HashMap<>();
        registered.forEach(agent -> byName.put(agent.name(), agent));
        List<AgentState> states = new ArrayList<>(builders.size());
        for (AgentBuilder builder : builders) {
            AgentState state = builder.state();
            RegisteredAgent agent = byName.get(state.agent().name());
            AgentPerformance p = state.performance();
            AgentPerformance performance = new AgentPerformance(agent.id(), p.workType(), p.successes(),
                    p.failures(), p.decayedSuccesses(), p.decayedFailures(), p.decayedAt(), p.totalDurationMs(),
                    p.lastExecution(), p.difficulty(), p.tokens(), p.cost());
            states.add(new AgentState(agent, performance, state.inFlight(), state.cooldown(), state.lastSuccess()));
        }
        return states;
    }

    /** A complex implementation needing Java and concurrency, about 40,000 tokens. */
    static Task task(String id) {
        return aTask().withId(id).ofType(TaskType.IMPLEMENT).withComplexity(65).withEstimatedTokens(40_000)
                .needingSkills("java", "concurrency").build();
    }
}
