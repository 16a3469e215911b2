package io.switchboard.core.routing;

import static io.switchboard.core.Require.require;

import io.switchboard.core.agent.Mode;

/**
 * What a task asks of the router besides its traits: agents to prefer, one agent to pin it to, the mode to run
 * in, and who asked, so that the decision's reasons can say so. A workflow step sets these for the task it
 * becomes, and a handoff ({@code switchboard handoff}, or a workflow step's {@code on_failure: handoff}) pins the
 * task to the agent it goes to; {@code --prefer} is kept apart ({@link RoutingRequest#prefer()}).
 *
 * <p>A pin is the one way a task is tied to an agent, whoever asked for it, and its rules are these. Every other
 * agent is excluded ({@link ExclusionReason#PINNED_ELSEWHERE}) and no configured fallback is tried. Whoever pinned
 * the task named the agent, so the filters about whom the task is for do not apply to it: pool, capability, a
 * rule's pin and {@code --exclude}. The filters about whether it can work now still do: offline, heartbeat,
 * cooling down, at max concurrency, context limit, cost and budget. Its failures at the task keep it out as any
 * agent's do ({@link RoutingService}), except those before {@link #pinFrom} (whoever pinned it knew of them) and
 * abandoned attempts (the orchestrator died, not the agent).
 *
 * <p>A preference or a pin set here replaces the preference of a matching rule, and a mode set here wins over the
 * rule's mode and the policy's default: the task's own wishes come before the general rules.
 *
 * @param prefer agents that get the preference factor, or {@code null}
 * @param pin the only agent that may take the task, or {@code null}
 * @param pinFrom the first attempt the pin holds for: the pinned agent's failures at earlier attempts do not keep
 *     it out. 1 when there is no pin
 * @param mode the mode to run in, or {@code null} for the rules and the policy to decide
 * @param askedBy who asked, as the decision's reasons name it (for example {@code workflow step 'plan'});
 *     not blank when anything is asked
 */
public record Placement(AgentSelector prefer, String pin, int pinFrom, Mode mode, String askedBy) {

    /** Nothing asked. */
    public static final Placement NONE = new Placement(null, null, null, null);

    /** Who asks when a task is handed off. */
    public static final String HANDOFF = "a handoff";

    public Placement {
        require(pin == null || !pin.isBlank(), "a pinned agent's name must not be blank");
        require(pinFrom >= 1, "attempt numbers start at 1, was " + pinFrom);
        require(pin != null || pinFrom == 1, "only a pin holds from an attempt");
        boolean asks = prefer != null || pin != null || mode != null;
        require(!asks || (askedBy != null && !askedBy.isBlank()), "a placement says who asked for it");
        require(prefer == null || pin == null, "a placement prefers or pins, not both");
        askedBy = asks ? askedBy : null;
    }

    /** A placement whose pin, if any, holds from the first attempt. */
    public Placement(AgentSelector prefer, String pin, Mode mode, String askedBy) {
        this(prefer, pin, 1, mode, askedBy);
    }

    /**
     * This placement with the task handed off to {@code agent} from attempt {@code from} on: pinned to it in place of
     * any preference or earlier pin, in the same mode. Who asked says both: {@code a handoff of workflow step 'plan'}.
     */
    public Placement handedOffTo(String agent, int from) {
        return new Placement(null, agent, from, mode, askedBy == null ? HANDOFF : HANDOFF + " of " + askedBy);
    }

    public boolean isNone() {
        return prefer == null && pin == null && mode == null;
    }

    /** Whether the pinned agent's failure at this attempt keeps it out (one before the pin held does not). */
    boolean pinHeldAt(int attempt) {
        return attempt >= pinFrom;
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
