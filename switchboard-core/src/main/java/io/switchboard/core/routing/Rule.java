package io.switchboard.core.routing;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.task.Scope;
import io.switchboard.core.task.TaskType;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One branch of the routing decision tree. Rules are tried in order before scoring; the first that
 * matches the task's traits may set the mode and either add preference for an agent or pin one.
 *
 * @param mode the mode to use, or {@code null} to keep the policy's default
 * @param prefer agents that get the preference factor, or {@code null}
 * @param pin the only agents that may be chosen, or {@code null}
 */
public record Rule(String name, RuleCondition when, Mode mode, AgentSelector prefer, AgentSelector pin) {

    public Rule {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a rule needs a name, was " + name);
        }
        Objects.requireNonNull(when, "when");
        if (prefer != null && pin != null) {
            throw new IllegalArgumentException("rule " + name + " both prefers and pins; choose one");
        }
    }

    public String describe() {
        StringBuilder text = new StringBuilder("rule '").append(name).append("' (").append(when.describe()).append(')');
        if (mode != null) {
            text.append(": mode ").append(mode.configName());
        }
        if (prefer != null) {
            text.append(mode != null ? ", " : ": ").append("prefer ").append(prefer.describe());
        }
        if (pin != null) {
            text.append(mode != null ? ", " : ": ").append("pin ").append(pin.describe());
        }
        return text.toString();
    }

    /**
     * The rules from DESIGN §3.5, written in terms of strengths so they hold whatever the agents are called:
     * design or review goes to the strongest reasoning agent in plan mode; a bulk refactor to the fastest
     * iterating agent in full-auto; a rapid implementation to that agent in auto; a complex implementation
     * to the reasoning agent in auto.
     */
    public static List<Rule> defaults() {
        return List.of(
                new Rule("design-or-review",
                        new RuleCondition(Set.of(TaskType.DESIGN, TaskType.REVIEW), null, null, null, null, null, null,
                                null, null),
                        Mode.PLAN, AgentSelector.strength("reasoning"), null),
                new Rule("bulk-refactor",
                        new RuleCondition(Set.of(TaskType.REFACTOR), null, null, null, null,
                                Set.of(Scope.MODULE, Scope.MULTI_MODULE), null, null, null),
                        Mode.FULL_AUTO, AgentSelector.strength("speed"), null),
                new Rule("rapid-implementation",
                        new RuleCondition(Set.of(TaskType.IMPLEMENT, TaskType.FIX), null, null, null, 40, null, null,
                                null, null),
                        Mode.AUTO, AgentSelector.strength("speed"), null),
                new Rule("complex-implementation",
                        new RuleCondition(Set.of(TaskType.IMPLEMENT, TaskType.FIX), null, null, 60, null, null, null,
                                null, null),
                        Mode.AUTO, AgentSelector.strength("reasoning"), null));
    }
}
