package io.switchboard.core.workflow;

import static io.switchboard.core.Require.require;

import io.switchboard.core.routing.AgentSelector;

/**
 * Who runs a step: one agent by name, or the router's choice under constraints.
 */
public sealed interface StepAgent {

    /** What a workflow writes for "let the router choose"; no agent can be named this in a workflow. */
    String AUTO_NAME = "auto";

    /** The router chooses, with no constraint beyond the config's. */
    Auto AUTO = new Auto(null, null, null);

    static Named named(String name) {
        return new Named(name);
    }

    /** One line for summaries. */
    String describe();

    /** One agent, by the name config declares it under. */
    record Named(String name) implements StepAgent {
        public Named {
            require(name != null && !name.isBlank(), "an agent name must not be blank, was '%s'", name);
            require(!name.equals(AUTO_NAME), "'%s' means the router chooses; it cannot name an agent", name);
        }

        @Override
        public String describe() {
            return "agent " + name;
        }
    }

    /**
     * The router chooses.
     *
     * @param pool only agents of this pool are candidates; {@code null} for the task's own pool, if any
     * @param prefer an agent, or agents strong in a skill, that get the preference factor; {@code null} for none
     * @param maxCost the most the step may cost, in US dollars; {@code null} for the config's budgets alone
     */
    record Auto(String pool, AgentSelector prefer, Double maxCost) implements StepAgent {
        public Auto {
            require(pool == null || !pool.isBlank(), "a pool must not be blank, was '%s'", pool);
            require(maxCost == null || (Double.isFinite(maxCost) && maxCost >= 0),
                    "max_cost must be zero or more, was %s", maxCost);
        }

        @Override
        public String describe() {
            StringBuilder text = new StringBuilder("the router's choice");
            if (pool != null) {
                text.append(", pool ").append(pool);
            }
            if (prefer != null) {
                text.append(", preferring ").append(prefer.describe());
            }
            if (maxCost != null) {
                text.append(", at most $").append(maxCost);
            }
            return text.toString();
        }
    }
}
