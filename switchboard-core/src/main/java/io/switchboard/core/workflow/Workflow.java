package io.switchboard.core.workflow;

import static io.switchboard.core.Require.require;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A named graph of steps, each a task for an agent or for the router to place, that pass their outputs on to
 * later steps. Valid by construction: every rule of {@link WorkflowGraph#problems} holds. Whether the agents it
 * names are declared depends on the configuration it runs with, and is checked with {@link #agentProblems}.
 *
 * @param name what the workflow is called
 * @param description one line for people; empty when there is none
 * @param inputs the values a run gives it, in the order declared
 * @param steps in the order written; the order they run in is {@link WorkflowGraph#order()}
 */
public record Workflow(String name, String description, List<WorkflowInput> inputs, List<Step> steps) {

    /**
     * What workflow names, step ids and input names may look like: a letter, then letters, digits, {@code _} and
     * {@code -}. No dot, so that {@code {{steps.ID.output}}} reads one way only.
     */
    public static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    public Workflow {
        require(name != null && NAME.matcher(name).matches(),
                "a workflow name must start with a letter and hold only letters, digits, '_' and '-', was '%s'",
                name);
        description = description == null ? "" : description;
        inputs = List.copyOf(inputs);
        Set<String> names = new HashSet<>();
        for (WorkflowInput input : inputs) {
            require(names.add(input.name()), "input '%s' is declared twice", input.name());
        }
        steps = List.copyOf(steps);
        require(!steps.isEmpty(), "workflow '%s' has no steps", name);
        List<WorkflowProblem> problems = WorkflowGraph.problems(inputs, steps);
        require(problems.isEmpty(), "workflow '%s': %s", name,
                problems.isEmpty() ? "" : problems.get(0).describe());
    }

    public Optional<Step> step(String id) {
        return steps.stream().filter(step -> step.id().equals(id)).findFirst();
    }

    /** The order the steps run in, which steps are ready, and which steps each loop repeats. */
    public WorkflowGraph graph() {
        return WorkflowGraph.of(this);
    }

    /**
     * Every agent the workflow names (to run a step, to prefer, to hand off to) that is not among
     * {@code declaredAgents}, in the order of the steps.
     */
    public List<WorkflowProblem> agentProblems(Set<String> declaredAgents) {
        return WorkflowGraph.agentProblems(steps, declaredAgents);
    }

    /**
     * The values of every input for one run: those given, and the defaults of those not given.
     *
     * @throws IllegalArgumentException for a value given for no declared input, or a required input not given
     */
    public Map<String, String> resolveInputs(Map<String, String> given) {
        Set<String> declared = new HashSet<>();
        inputs.forEach(input -> declared.add(input.name()));
        given.forEach((key, value) -> {
            require(declared.contains(key), "workflow '%s' has no input '%s' (inputs: %s)", name, key,
                    inputs.isEmpty() ? "none" : String.join(", ", inputs.stream().map(WorkflowInput::name).toList()));
            Objects.requireNonNull(value, () -> "the value of input " + key);
        });
        Map<String, String> values = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (WorkflowInput input : inputs) {
            String value = given.getOrDefault(input.name(), input.defaultValue());
            if (value == null) {
                missing.add(input.name());
            } else {
                values.put(input.name(), value);
            }
        }
        require(missing.isEmpty(), "workflow '%s' needs a value for %s %s", name,
                missing.size() == 1 ? "input" : "inputs", String.join(", ", missing));
        return Collections.unmodifiableMap(values);
    }
}
