package io.switchboard.core.task;

import static io.switchboard.core.Require.require;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The traits the router reads, every one set, each with how it was set.
 *
 * @param complexity 0 (trivial) to 100 (hardest)
 * @param neededSkills the skills the strength factor looks for in an agent's strengths
 * @param provenance for each trait name ({@code type}, {@code work_type}, {@code complexity}, {@code scope},
 *     {@code risk}, {@code estimated_tokens}, {@code needs_reasoning}, {@code needs_iteration}), which rule
 *     or statement set it
 */
public record TaskTraits(
        TaskType type,
        String workType,
        int complexity,
        Scope scope,
        Risk risk,
        long estimatedTokens,
        boolean needsReasoning,
        boolean needsIteration,
        List<String> tags,
        List<String> neededSkills,
        Map<String, String> provenance) {

    public static final List<String> TRAIT_NAMES = List.of("type", "work_type", "complexity", "scope", "risk",
            "estimated_tokens", "needs_reasoning", "needs_iteration");

    public TaskTraits {
        Objects.requireNonNull(type, "type");
        require(workType != null && !workType.isBlank(), "work type must not be blank, was %s", workType);
        require(complexity >= 0 && complexity <= 100, "complexity must be 0 to 100, was %s", complexity);
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(risk, "risk");
        require(estimatedTokens >= 0, "estimated tokens must be zero or more, was %s", estimatedTokens);
        tags = tags == null ? List.of() : List.copyOf(tags);
        neededSkills = neededSkills == null ? List.of() : List.copyOf(neededSkills);
        provenance = provenance == null ? Map.of() : Map.copyOf(provenance);
    }
}
