package io.switchboard.input.config;

import static io.switchboard.input.config.ConfigValues.build;
import static io.switchboard.input.config.ConfigValues.entries;
import static io.switchboard.input.config.ConfigValues.items;
import static io.switchboard.input.config.ConfigValues.oneOf;
import static io.switchboard.input.config.ConfigValues.optional;
import static io.switchboard.input.config.ConfigValues.wholeBetween;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.routing.AgentSelector;
import io.switchboard.core.routing.Rule;
import io.switchboard.core.routing.RuleCondition;
import io.switchboard.core.task.Risk;
import io.switchboard.core.task.Scope;
import io.switchboard.core.task.TaskType;
import io.switchboard.input.yaml.YamlValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the {@code rules:} section. Absent means {@link Rule#defaults()}; {@code []} means no rules at all;
 * the key with no value is refused, because it is unclear which of the two was meant.
 */
final class RulesReader {
    static final Set<String> KEYS = Set.of("name", "when", "mode", "prefer", "pin");
    static final Set<String> CONDITION_KEYS = Set.of("type", "work_type", "tags", "min_complexity", "max_complexity",
            "scope", "risk", "needs_reasoning", "needs_iteration");
    private static final Set<String> SELECTOR_KEYS = Set.of("agent", "strength");

    private RulesReader() {
    }

    /**
     * @param section the {@code rules:} value, or {@code null} when the key is absent
     * @param agentNames every agent declared in any config file; a rule may name only these
     */
    static List<Rule> read(YamlValue section, Set<String> agentNames) {
        if (section == null) {
            return Rule.defaults();
        }
        if (section.isNull()) {
            throw section.error("has no value; write rules: [] for no rules, or remove the key to use the default"
                    + " rules");
        }
        List<Rule> rules = new ArrayList<>();
        Map<String, YamlValue> seen = new HashMap<>();
        for (YamlValue item : section.asList()) {
            Map<String, YamlValue> fields = item.asMap(KEYS);
            YamlValue nameValue = optional(fields, "name")
                    .orElseThrow(() -> item.error("a rule needs a name: (it is quoted in every decision it shapes)"));
            String name = nameValue.asString();
            YamlValue earlier = seen.putIfAbsent(name, nameValue);
            if (earlier != null) {
                throw nameValue.error("rule '" + name + "' is already defined at line " + earlier.line()
                        + "; rule names must be unique");
            }
            RuleCondition when = optional(fields, "when").map(RulesReader::condition).orElse(RuleCondition.ANY);
            Mode mode = optional(fields, "mode").map(value -> oneOf(value, Mode.values(), Mode::configName, "mode"))
                    .orElse(null);
            AgentSelector prefer = optional(fields, "prefer").map(value -> selector(value, agentNames)).orElse(null);
            AgentSelector pin = optional(fields, "pin").map(value -> selector(value, agentNames)).orElse(null);
            if (prefer != null && pin != null) {
                throw fields.get("pin").error("rule '" + name + "' both prefers and pins; a rule does one or the"
                        + " other");
            }
            rules.add(build(item, () -> new Rule(name, when, mode, prefer, pin)));
        }
        return rules;
    }

    private static RuleCondition condition(YamlValue value) {
        Map<String, YamlValue> fields = entries(value, CONDITION_KEYS);
        Set<TaskType> types = optional(fields, "type")
                .map(v -> choices(v, TaskType.values(), TaskType::configName, "task type")).orElse(null);
        Set<String> workTypes = optional(fields, "work_type").map(v -> Set.copyOf(ConfigValues.names(v))).orElse(null);
        Set<String> tags = optional(fields, "tags").map(v -> Set.copyOf(ConfigValues.names(v))).orElse(null);
        Integer minComplexity = optional(fields, "min_complexity").map(v -> wholeBetween(v, 0, 100)).orElse(null);
        Integer maxComplexity = optional(fields, "max_complexity").map(v -> wholeBetween(v, 0, 100)).orElse(null);
        if (minComplexity != null && maxComplexity != null && minComplexity > maxComplexity) {
            throw fields.get("max_complexity").error("must be at least min_complexity (" + minComplexity + "), was "
                    + maxComplexity + "; no task could match");
        }
        Set<Scope> scopes = optional(fields, "scope")
                .map(v -> choices(v, Scope.values(), Scope::configName, "scope")).orElse(null);
        Set<Risk> risks = optional(fields, "risk")
                .map(v -> choices(v, Risk.values(), Risk::configName, "risk")).orElse(null);
        Boolean needsReasoning = optional(fields, "needs_reasoning").map(YamlValue::asBoolean).orElse(null);
        Boolean needsIteration = optional(fields, "needs_iteration").map(YamlValue::asBoolean).orElse(null);
        return build(value, () -> new RuleCondition(types, workTypes, tags, minComplexity, maxComplexity, scopes,
                risks, needsReasoning, needsIteration));
    }

    /** An agent by name ({@code prefer: codex}, {@code prefer: {agent: codex}}) or by strength. */
    private static AgentSelector selector(YamlValue value, Set<String> agentNames) {
        if (value.isScalar()) {
            return agent(value, agentNames);
        }
        if (!value.isMap()) {
            throw value.error("expected an agent name or {strength: NAME}, found " + value.describe());
        }
        Map<String, YamlValue> fields = value.asMap(SELECTOR_KEYS);
        if (fields.size() != 1 || fields.values().iterator().next().isNull()) {
            throw value.error("name exactly one of agent: or strength:");
        }
        YamlValue strength = fields.get("strength");
        if (strength != null) {
            String skill = strength.asString();
            if (skill.isBlank()) {
                throw strength.error("must not be blank");
            }
            return AgentSelector.strength(skill);
        }
        return agent(fields.get("agent"), agentNames);
    }

    private static AgentSelector agent(YamlValue value, Set<String> agentNames) {
        String name = value.asString();
        if (!agentNames.contains(name)) {
            throw value.error(AgentsReader.notDeclared(name, agentNames));
        }
        return AgentSelector.agent(name);
    }

    private static <E extends Enum<E>> Set<E> choices(YamlValue value, E[] all, Function<E, String> nameOf,
            String what) {
        Set<E> chosen = new HashSet<>();
        for (YamlValue item : items(value)) {
            chosen.add(oneOf(item, all, nameOf, what));
        }
        return chosen;
    }
}
