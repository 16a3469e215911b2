package io.switchboard.input.workflow;

import io.switchboard.core.ConfigNamed;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.routing.AgentSelector;
import io.switchboard.core.workflow.Loop;
import io.switchboard.core.workflow.OnFailure;
import io.switchboard.core.workflow.Step;
import io.switchboard.core.workflow.StepAgent;
import io.switchboard.core.workflow.StepOutput;
import io.switchboard.core.workflow.Template;
import io.switchboard.core.workflow.TemplateSyntaxException;
import io.switchboard.core.workflow.Workflow;
import io.switchboard.core.workflow.WorkflowGraph;
import io.switchboard.core.workflow.WorkflowInput;
import io.switchboard.core.workflow.WorkflowProblem;
import io.switchboard.input.InputException;
import io.switchboard.input.SourceText;
import io.switchboard.input.yaml.YamlDocument;
import io.switchboard.input.yaml.YamlValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a workflow file (YAML, or the JSON YAML contains) into a {@link Workflow}, checked whole before any agent
 * runs. The format is described in {@code docs/workflows.md}.
 *
 * <p>As strict as the configuration: an unknown key is an error that suggests the key probably meant, a value of
 * the wrong type is an error, and so is every rule of {@link WorkflowGraph#problems} and an agent the
 * configuration does not declare. Each error is one {@link InputException} naming the file, the line and the key
 * path ({@code steps[2].depends_on[0]}); a problem inside a prompt written as a literal block ({@code |}) names
 * the prompt's own line.
 */
public final class WorkflowFiles {

    static final Set<String> TOP_LEVEL_KEYS = Set.of("name", "description", "inputs", "steps");
    static final Set<String> STEP_KEYS = Set.of("id", "agent", "pool", "prefer", "max_cost", "mode", "prompt",
            "output", "depends_on", "on_failure", "loop");
    private static final Set<String> OUTPUT_KEYS = Set.of("file");
    private static final Set<String> ON_FAILURE_KEYS = Set.of("handoff");
    private static final Set<String> LOOP_KEYS = Set.of("back_to", "until", "max_iterations");
    private static final Set<String> PREFER_KEYS = Set.of("agent", "strength");
    /** Keys that only mean something when the router chooses the agent. */
    private static final List<String> ROUTER_KEYS = List.of("pool", "prefer", "max_cost");
    private static final Pattern KEY_PART = Pattern.compile("([a-z_]+)(?:\\[(\\d+)])?");

    private WorkflowFiles() {
    }

    /**
     * @param displayName the file as errors should name it
     * @param declaredAgents the agents the configuration declares; every agent the workflow names must be one
     * @throws InputException for the first problem found
     */
    public static Workflow read(Path file, String displayName, Set<String> declaredAgents) {
        return parse(displayName, SourceText.read(file, displayName), declaredAgents);
    }

    /** Reads a workflow held in memory; {@code displayName} is what errors call it. */
    public static Workflow parse(String displayName, String text, Set<String> declaredAgents) {
        YamlValue root = YamlDocument.parse(displayName, text).filter(value -> !value.isNull()).orElseThrow(() ->
                new InputException(displayName, 0, null, "the file is empty; expected a workflow with name: and"
                        + " steps:"));
        if (!root.isMap()) {
            throw root.error("not a workflow: expected name:, inputs: and steps: at the top level, found "
                    + root.describe());
        }
        Map<String, YamlValue> top = root.asMap(TOP_LEVEL_KEYS);
        YamlValue nameValue = optional(top, "name").orElseThrow(() -> root.error("a workflow needs a name:"));
        String name = nameValue.asString();
        if (!Workflow.NAME.matcher(name).matches()) {
            throw nameValue.error(nameRule("a workflow name", name));
        }
        String description = optional(top, "description").map(YamlValue::asString).orElse("");
        List<WorkflowInput> inputs = optional(top, "inputs").map(WorkflowFiles::inputs).orElse(List.of());
        YamlValue stepsValue = optional(top, "steps").orElseThrow(() -> root.error("a workflow needs steps:, a list"
                + " of steps with id:, agent: and prompt:"));
        List<YamlValue> items = stepsValue.asList();
        if (items.isEmpty()) {
            throw stepsValue.error("a workflow needs at least one step");
        }
        List<Step> steps = new ArrayList<>();
        for (YamlValue item : items) {
            steps.add(step(item));
        }
        List<WorkflowProblem> problems = new ArrayList<>(WorkflowGraph.problems(inputs, steps));
        problems.addAll(WorkflowGraph.agentProblems(steps, declaredAgents));
        // The earliest step's problem; within a step, the structure's before the agents'.
        Optional<WorkflowProblem> first = problems.stream().min(Comparator.comparingInt(WorkflowProblem::step));
        if (first.isPresent()) {
            throw at(first.get(), items.get(first.get().step()));
        }
        return build(root, () -> new Workflow(name, description, inputs, steps));
    }

    private static List<WorkflowInput> inputs(YamlValue section) {
        List<WorkflowInput> inputs = new ArrayList<>();
        for (Map.Entry<String, YamlValue> entry : section.asMap().entrySet()) {
            String name = entry.getKey();
            YamlValue value = entry.getValue();
            if (!Workflow.NAME.matcher(name).matches()) {
                throw new InputException(value.file(), section.keyLine(name), value.path(),
                        nameRule("an input name", name));
            }
            if (!value.isNull() && !value.isScalar()) {
                throw value.error("expected the input's default value, or nothing for an input every run must give,"
                        + " found " + value.describe());
            }
            inputs.add(new WorkflowInput(name, value.isNull() ? null : value.asString()));
        }
        return inputs;
    }

    private static Step step(YamlValue item) {
        Map<String, YamlValue> fields = item.asMap(STEP_KEYS);
        YamlValue idValue = optional(fields, "id").orElseThrow(() -> item.error("a step needs an id:"));
        String id = idValue.asString();
        if (!Workflow.NAME.matcher(id).matches()) {
            throw idValue.error(nameRule("a step id", id));
        }
        StepAgent agent = agent(id, item, fields);
        Mode mode = optional(fields, "mode").map(value -> oneOf(value, Mode.values(), "mode")).orElse(null);
        YamlValue promptValue = optional(fields, "prompt").orElseThrow(() -> item.error("step '" + id
                + "' needs a prompt: (its task, with placeholders such as {{inputs.task}})"));
        Template prompt = prompt(promptValue);
        StepOutput output = optional(fields, "output").map(WorkflowFiles::output).orElse(StepOutput.TEXT);
        List<String> dependsOn = optional(fields, "depends_on").map(WorkflowFiles::names).orElse(List.of());
        OnFailure onFailure = optional(fields, "on_failure").map(WorkflowFiles::onFailure).orElse(OnFailure.RETRY);
        Loop loop = optional(fields, "loop").map(value -> loop(item, value)).orElse(null);
        return build(item, () -> new Step(id, agent, mode, prompt, output, dependsOn, onFailure, loop));
    }

    /** {@code agent: NAME}, or {@code agent: auto} with the router's constraints beside it. */
    private static StepAgent agent(String id, YamlValue item, Map<String, YamlValue> fields) {
        YamlValue value = optional(fields, "agent").orElseThrow(() -> item.error("step '" + id + "' needs an agent:"
                + " the name of a declared agent, or auto to let the router choose"));
        String name = value.asString();
        if (name.isBlank()) {
            throw value.error("must name an agent, or be auto to let the router choose");
        }
        if (!name.equals(StepAgent.AUTO_NAME)) {
            for (String key : ROUTER_KEYS) {
                if (optional(fields, key).isPresent()) {
                    throw keyError(item, key, fields.get(key), key + " applies only with agent: auto; step '" + id
                            + "' names agent '" + name + "'");
                }
            }
            return StepAgent.named(name);
        }
        String pool = optional(fields, "pool").map(WorkflowFiles::notBlank).orElse(null);
        AgentSelector prefer = optional(fields, "prefer").map(WorkflowFiles::selector).orElse(null);
        Double maxCost = optional(fields, "max_cost").map(WorkflowFiles::zeroOrMore).orElse(null);
        return build(value, () -> new StepAgent.Auto(pool, prefer, maxCost));
    }

    /** An agent by name ({@code prefer: codex}, {@code prefer: {agent: codex}}) or by strength. */
    private static AgentSelector selector(YamlValue value) {
        if (value.isScalar()) {
            return AgentSelector.agent(notBlank(value));
        }
        if (!value.isMap()) {
            throw value.error("expected an agent name, {agent: NAME} or {strength: NAME}, found " + value.describe());
        }
        Map<String, YamlValue> fields = value.asMap(PREFER_KEYS);
        if (fields.size() != 1 || fields.values().iterator().next().isNull()) {
            throw value.error("name exactly one of agent: or strength:");
        }
        YamlValue strength = fields.get("strength");
        return strength != null ? AgentSelector.strength(notBlank(strength))
                : AgentSelector.agent(notBlank(fields.get("agent")));
    }

    private static Template prompt(YamlValue value) {
        String text = value.asString();
        if (text.isBlank()) {
            throw value.error("must not be blank");
        }
        try {
            return Template.parse(text);
        } catch (TemplateSyntaxException e) {
            throw new InputException(value.file(), value.lineAt(e.offset()), value.path(), e.getMessage());
        }
    }

    /** {@code text}, {@code changed-files}, or {@code {file: PATH}}. */
    private static StepOutput output(YamlValue value) {
        if (value.isMap()) {
            YamlValue path = optional(value.asMap(OUTPUT_KEYS), "file")
                    .orElseThrow(() -> value.error("write output: {file: PATH} for a file the step writes"));
            return build(path, () -> StepOutput.file(path.asString()));
        }
        String text = value.asString();
        if (text.equals(StepOutput.Kind.FILE.configName())) {
            throw value.error("name the file: output: {file: PATH}");
        }
        if (!text.equals(StepOutput.Kind.TEXT.configName())
                && !text.equals(StepOutput.Kind.CHANGED_FILES.configName())) {
            throw value.error("unknown output '" + text + "'; expected text, changed-files or {file: PATH}");
        }
        return text.equals(StepOutput.Kind.TEXT.configName()) ? StepOutput.TEXT : StepOutput.CHANGED_FILES;
    }

    /** {@code retry}, {@code stop}, or {@code {handoff: AGENT}}. */
    private static OnFailure onFailure(YamlValue value) {
        if (value.isMap()) {
            YamlValue agent = optional(value.asMap(ON_FAILURE_KEYS), "handoff")
                    .orElseThrow(() -> value.error("write on_failure: {handoff: AGENT} to hand a failed step on"));
            String name = notBlank(agent);
            return build(agent, () -> OnFailure.handoff(name));
        }
        String text = value.asString();
        if (text.equals(OnFailure.Action.HANDOFF.configName())) {
            throw value.error("name the agent: on_failure: {handoff: AGENT}");
        }
        if (text.equals(OnFailure.Action.RETRY.configName())) {
            return OnFailure.RETRY;
        }
        if (text.equals(OnFailure.Action.STOP.configName())) {
            return OnFailure.STOP;
        }
        throw value.error("unknown on_failure '" + text + "'; expected retry, stop or {handoff: AGENT}");
    }

    private static Loop loop(YamlValue step, YamlValue value) {
        if (!value.isMap()) {
            throw value.error("expected a loop: back_to:, until: and max_iterations:, found " + value.describe());
        }
        Map<String, YamlValue> fields = value.asMap(LOOP_KEYS);
        YamlValue backTo = optional(fields, "back_to").orElseThrow(() -> keyError(step, "loop", value,
                "a loop needs back_to: the step the work goes back to"));
        String target = backTo.asString();
        if (!Workflow.NAME.matcher(target).matches()) {
            throw backTo.error("must name a step, was '" + target + "'");
        }
        Loop.Until until = optional(fields, "until").map(v -> oneOf(v, Loop.Until.values(), "until"))
                .orElse(Loop.Until.APPROVED);
        YamlValue max = optional(fields, "max_iterations").orElseThrow(() -> keyError(step, "loop", value,
                "a loop needs max_iterations: the most times its steps run, so that it ends even without approval"));
        int maxIterations = max.asInt();
        if (maxIterations < 1) {
            throw max.error("must be 1 or more, was " + max.asString());
        }
        return build(value, () -> new Loop(target, until, maxIterations));
    }

    /** The error for a problem the core found, at the line of the value it concerns. */
    private static InputException at(WorkflowProblem problem, YamlValue item) {
        YamlValue value = item;
        int line = item.line();
        for (String part : problem.key().split("\\.")) {
            Matcher matcher = KEY_PART.matcher(part);
            if (!matcher.matches() || !value.isMap() || !value.asMap().containsKey(matcher.group(1))) {
                break;
            }
            line = value.keyLine(matcher.group(1));
            value = value.asMap().get(matcher.group(1));
            if (matcher.group(2) != null && value.isList()) {
                value = value.asList().get(Integer.parseInt(matcher.group(2)));
                line = value.line();
            } else if (!value.isMap()) {
                line = value.line();
            }
        }
        if (problem.key().equals("prefer") && value.isMap() && value.asMap().containsKey("agent")) {
            value = value.asMap().get("agent");
            line = value.line();
        }
        if (problem.offset() >= 0) {
            line = value.lineAt(problem.offset());
        }
        return new InputException(value.file(), line, value.path(), problem.message());
    }

    // ---- typed values ----

    private static Optional<YamlValue> optional(Map<String, YamlValue> fields, String key) {
        YamlValue value = fields.get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    private static String notBlank(YamlValue value) {
        String text = value.asString();
        if (text.isBlank()) {
            throw value.error("must not be blank");
        }
        return text;
    }

    /** One name, or a list of them. */
    private static List<String> names(YamlValue value) {
        if (value.isScalar()) {
            return List.of(notBlank(value));
        }
        List<String> names = new ArrayList<>();
        for (YamlValue item : value.asList()) {
            names.add(notBlank(item));
        }
        return names;
    }

    private static double zeroOrMore(YamlValue value) {
        double number = value.asDouble();
        if (number < 0) {
            throw value.error("must be zero or more, was " + value.asString());
        }
        return number;
    }

    private static <E extends Enum<E> & ConfigNamed> E oneOf(YamlValue value, E[] choices, String what) {
        String text = value.asString();
        List<String> names = new ArrayList<>();
        for (E choice : choices) {
            if (choice.configName().equals(text)) {
                return choice;
            }
            names.add(choice.configName());
        }
        throw value.error("unknown " + what + " '" + text + "'; expected " + (names.size() == 1 ? names.get(0)
                : "one of " + String.join(", ", names)));
    }

    private static String nameRule(String what, String name) {
        return what + " must start with a letter and hold only letters, digits, '_' and '-', was '" + name + "'";
    }

    /** An error about a whole entry ({@code loop:}), at the line of its key rather than of its first line inside. */
    private static InputException keyError(YamlValue parent, String key, YamlValue value, String problem) {
        return new InputException(value.file(), parent.keyLine(key), value.path(), problem);
    }

    /**
     * Builds a core record from values checked one by one; a rule the record checks across them still reaches
     * the user as an {@link InputException} at {@code at}.
     */
    private static <T> T build(YamlValue at, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw at.error(String.valueOf(e.getMessage()));
        }
    }
}
