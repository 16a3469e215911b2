package io.switchboard.core.routing;

import io.switchboard.core.agent.Skills;
import io.switchboard.core.task.Risk;
import io.switchboard.core.task.Scope;
import io.switchboard.core.task.TaskTraits;
import io.switchboard.core.task.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a rule matches. Every condition that is set must hold; an unset one (empty set, {@code null})
 * matches anything.
 *
 * @param tagsAny the task carries at least one of these tags
 * @param minComplexity complexity at least this (inclusive)
 * @param maxComplexity complexity at most this (inclusive)
 */
public record RuleCondition(
        Set<TaskType> types,
        Set<String> workTypes,
        Set<String> tagsAny,
        Integer minComplexity,
        Integer maxComplexity,
        Set<Scope> scopes,
        Set<Risk> risks,
        Boolean needsReasoning,
        Boolean needsIteration) {

    public static final RuleCondition ANY = new RuleCondition(null, null, null, null, null, null, null, null, null);

    public RuleCondition {
        types = types == null ? Set.of() : Set.copyOf(types);
        workTypes = normalized(workTypes);
        tagsAny = normalized(tagsAny);
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
        risks = risks == null ? Set.of() : Set.copyOf(risks);
    }

    public boolean matches(TaskTraits traits) {
        return (types.isEmpty() || types.contains(traits.type()))
                && (workTypes.isEmpty() || workTypes.contains(Skills.normalize(traits.workType())))
                && (tagsAny.isEmpty() || traits.tags().stream().map(Skills::normalize).anyMatch(tagsAny::contains))
                && (minComplexity == null || traits.complexity() >= minComplexity)
                && (maxComplexity == null || traits.complexity() <= maxComplexity)
                && (scopes.isEmpty() || scopes.contains(traits.scope()))
                && (risks.isEmpty() || risks.contains(traits.risk()))
                && (needsReasoning == null || needsReasoning == traits.needsReasoning())
                && (needsIteration == null || needsIteration == traits.needsIteration());
    }

    public String describe() {
        List<String> parts = new ArrayList<>();
        if (!types.isEmpty()) {
            parts.add("type in " + types.stream().map(TaskType::configName).sorted().toList());
        }
        if (!workTypes.isEmpty()) {
            parts.add("work type in " + workTypes.stream().sorted().toList());
        }
        if (!tagsAny.isEmpty()) {
            parts.add("tagged any of " + tagsAny.stream().sorted().toList());
        }
        if (minComplexity != null) {
            parts.add("complexity >= " + minComplexity);
        }
        if (maxComplexity != null) {
            parts.add("complexity <= " + maxComplexity);
        }
        if (!scopes.isEmpty()) {
            parts.add("scope in " + scopes.stream().map(Scope::configName).sorted().toList());
        }
        if (!risks.isEmpty()) {
            parts.add("risk in " + risks.stream().map(Risk::configName).sorted().toList());
        }
        if (needsReasoning != null) {
            parts.add("needs reasoning = " + needsReasoning);
        }
        if (needsIteration != null) {
            parts.add("needs iteration = " + needsIteration);
        }
        return parts.isEmpty() ? "any task" : String.join(" and ", parts);
    }

    private static Set<String> normalized(Set<String> values) {
        if (values == null) {
            return Set.of();
        }
        java.util.HashSet<String> set = new java.util.HashSet<>();
        values.forEach(value -> set.add(Skills.normalize(value)));
        return Set.copyOf(set);
    }
}
