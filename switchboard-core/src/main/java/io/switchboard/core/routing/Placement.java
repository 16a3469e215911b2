package io.switchboard.core.routing;

import static io.switchboard.core.Require.require;

import io.switchboard.core.agent.Mode;

/**
 * What a task asks of the router besides its traits: agents to prefer, one agent to pin it to, the mode to run
 * in, and who asked, so that the decision's reasons can say so. A workflow step sets these for the task it
 * becomes; {@code --prefer} is kept apart ({@link RoutingRequest#prefer()}).
 *
 * <p>A pin waives the candidate filters of pool and capability for the pinned agent (whoever pinned it named
 * it) and every rule's pin; the availability filters (offline, cooling down, at max concurrency, cost, budget)
 * still apply. A preference or a pin set here replaces the preference of a matching rule, and a mode set here wins
 * over the rule's mode and the policy's default: the task's own wishes come before the general rules.
 *
 * @param prefer agents that get the preference factor, or {@code null}
 * @param pin the only agent that may take the task, or {@code null}
 * @param mode the mode to run in, or {@code null} for the rules and the policy to decide
 * @param askedBy who asked, as the decision's reasons name it (for example {@code workflow step 'plan'});
 *     not blank when anything is asked
 */
public record Placement(AgentSelector prefer, String pin, Mode mode, String askedBy) {

    /** Nothing asked. */
    public static final Placement NONE = new Placement(null, null, null, null);

    public Placement {
        require(pin == null || !pin.isBlank(), "a pinned agent's name must not be blank");
        boolean asks = prefer != null || pin != null || mode != null;
        require(!asks || (askedBy != null && !askedBy.isBlank()), "a placement says who asked for it");
        require(prefer == null || pin == null, "a placement prefers or pins, not both");
        askedBy = asks ? askedBy : null;
    }

    public boolean isNone() {
        return prefer == null && pin == null && mode == null;
    }

    /** One line, for summaries: {@code pinned to codex, mode plan (workflow step 'plan')}. */
    public String describe() {
        if (isNone()) {
            return "nothing asked";
        }
        StringBuilder text = new StringBuilder();
        if (pin != null) {
            text.append("pinned to ").append(pin);
        }
        if (prefer != null) {
            text.append("preferring ").append(prefer.describe());
        }
        if (mode != null) {
            text.append(text.isEmpty() ? "" : ", ").append("mode ").append(mode.configName());
        }
        return text.append(" (").append(askedBy).append(')').toString();
    }
}
