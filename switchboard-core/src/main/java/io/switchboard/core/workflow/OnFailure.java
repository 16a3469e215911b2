package io.switchboard.core.workflow;

import static io.switchboard.core.Require.require;

import io.switchboard.core.ConfigNamed;
import java.util.Objects;
import java.util.Optional;

/**
 * What follows when a step fails.
 *
 * @param action retry, hand off or stop
 * @param agent for {@link Action#HANDOFF}, the agent the step is handed to; {@code null} otherwise
 */
public record OnFailure(Action action, String agent) {

    public static final OnFailure RETRY = new OnFailure(Action.RETRY, null);
    public static final OnFailure STOP = new OnFailure(Action.STOP, null);

    public enum Action implements ConfigNamed {
        /**
         * Retried like any task: the config's retry policy, on the next-best agent; the workflow stops if it runs
         * out of attempts.
         */
        RETRY("retry"),
        /** Handed, with what the failed attempt left, to one named agent; the workflow stops if that fails too. */
        HANDOFF("handoff"),
        /** The workflow stops at the first failed attempt. */
        STOP("stop");

        private final String configName;

        Action(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }

        public static Optional<Action> fromConfigName(String name) {
            return ConfigNamed.find(values(), name);
        }
    }

    public OnFailure {
        Objects.requireNonNull(action, "action");
        if (action == Action.HANDOFF) {
            require(agent != null && !agent.isBlank(), "a handoff names the agent to hand off to, was '%s'", agent);
            require(!agent.equals(StepAgent.AUTO_NAME), "a handoff names an agent; '%s' is not one", agent);
        } else {
            require(agent == null, "only a handoff names an agent, was '%s' for %s", agent, action.configName());
        }
    }

    public static OnFailure handoff(String agent) {
        return new OnFailure(Action.HANDOFF, agent);
    }

    public String describe() {
        return action == Action.HANDOFF ? "hand off to " + agent : action.configName();
    }
}
