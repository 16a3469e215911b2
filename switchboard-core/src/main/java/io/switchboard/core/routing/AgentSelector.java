package io.switchboard.core.routing;

import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Skills;

/**
 * Names the agent(s) a rule prefers or pins: one agent by name, or every agent that lists a strength
 * ("the strongest reasoning agent" is then the best scored of those).
 */
public record AgentSelector(String agentName, String strength) {

    public AgentSelector {
        if ((agentName == null) == (strength == null)) {
            throw new IllegalArgumentException("an agent selector names exactly one of agent or strength, was agent="
                    + agentName + ", strength=" + strength);
        }
        strength = strength == null ? null : Skills.normalize(strength);
    }

    public static AgentSelector agent(String name) {
        return new AgentSelector(name, null);
    }

    public static AgentSelector strength(String strength) {
        return new AgentSelector(null, strength);
    }

    public boolean matches(AgentProfile profile) {
        return agentName != null ? agentName.equals(profile.name()) : profile.strengths().contains(strength);
    }

    public String describe() {
        return agentName != null ? "agent " + agentName : "agents strong in " + strength;
    }
}
