package io.switchboard.store.internal;

import static io.switchboard.store.internal.JsonColumns.isNull;
import static io.switchboard.store.internal.JsonColumns.read;
import static io.switchboard.store.internal.JsonColumns.stringList;
import static io.switchboard.store.internal.JsonColumns.text;
import static io.switchboard.store.internal.JsonColumns.write;
import static io.switchboard.store.internal.JsonColumns.writeStrings;
import static io.switchboard.store.internal.JsonColumns.writeText;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.routing.AgentSelector;
import io.switchboard.core.workflow.Loop;
import io.switchboard.core.workflow.OnFailure;
import io.switchboard.core.workflow.Step;
import io.switchboard.core.workflow.StepAgent;
import io.switchboard.core.workflow.StepOutput;
import io.switchboard.core.workflow.Template;
import io.switchboard.core.workflow.Workflow;
import io.switchboard.core.workflow.WorkflowInput;
import io.switchboard.store.StoreException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON columns of workflow runs, in the style of {@link JsonColumns}: the shape spelled out here, keys
 * snake_case, enums their config names. A stored workflow is read back through the workflow's own constructors,
 * so it is checked again as it loads.
 *
 * <pre>
 * definition:  {"name", "description", "inputs": [{"name", "default"}], "steps": [{"id", "agent" (a name or
 *               "auto"), "pool", "prefer": {"agent"} or {"strength"}, "max_cost", "mode", "prompt",
 *               "output": {"kind", "path"}, "depends_on": [...], "on_failure": {"action", "agent"},
 *               "loop": {"back_to", "until", "max_iterations"}}]}      absent values are null
 * inputs:      [{"name", "value"}]                in the order the workflow declares them (an array: PostgreSQL's
 *                                                  jsonb does not keep the order of an object's keys)
 * </pre>
 */
public final class WorkflowColumns {
    private WorkflowColumns() {
    }

    public static String definition(Workflow workflow) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("name", workflow.name());
            json.writeStringField("description", workflow.description());
            json.writeArrayFieldStart("inputs");
            for (WorkflowInput input : workflow.inputs()) {
                json.writeStartObject();
                json.writeStringField("name", input.name());
                writeText(json, "default", input.defaultValue());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("steps");
            for (Step step : workflow.steps()) {
                step(json, step);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static void step(JsonGenerator json, Step step) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", step.id());
        StepAgent.Auto auto = step.agent() instanceof StepAgent.Auto a ? a : null;
        json.writeStringField("agent", step.agent() instanceof StepAgent.Named named ? named.name()
                : StepAgent.AUTO_NAME);
        writeText(json, "pool", auto == null ? null : auto.pool());
        if (auto == null || auto.prefer() == null) {
            json.writeNullField("prefer");
        } else {
            json.writeObjectFieldStart("prefer");
            if (auto.prefer().agentName() != null) {
                json.writeStringField("agent", auto.prefer().agentName());
            } else {
                json.writeStringField("strength", auto.prefer().strength());
            }
            json.writeEndObject();
        }
        if (auto == null || auto.maxCost() == null) {
            json.writeNullField("max_cost");
        } else {
            json.writeNumberField("max_cost", auto.maxCost());
        }
        writeText(json, "mode", step.mode() == null ? null : step.mode().configName());
        json.writeStringField("prompt", step.prompt().text());
        json.writeObjectFieldStart("output");
        json.writeStringField("kind", step.output().kind().configName());
        writeText(json, "path", step.output().path());
        json.writeEndObject();
        json.writeFieldName("depends_on");
        writeStrings(json, step.dependsOn());
        json.writeObjectFieldStart("on_failure");
        json.writeStringField("action", step.onFailure().action().configName());
        writeText(json, "agent", step.onFailure().agent());
        json.writeEndObject();
        Loop loop = step.loop();
        if (loop == null) {
            json.writeNullField("loop");
        } else {
            json.writeObjectFieldStart("loop");
            json.writeStringField("back_to", loop.backTo());
            json.writeStringField("until", loop.until().configName());
            json.writeNumberField("max_iterations", loop.maxIterations());
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    public static Workflow definition(String json) {
        JsonNode node = read(json);
        List<WorkflowInput> inputs = new ArrayList<>();
        node.get("inputs").forEach(input -> inputs.add(new WorkflowInput(input.get("name").asText(),
                text(input, "default"))));
        List<Step> steps = new ArrayList<>();
        node.get("steps").forEach(step -> steps.add(step(step)));
        try {
            return new Workflow(node.get("name").asText(), node.get("description").asText(), inputs, steps);
        } catch (IllegalArgumentException e) {
            throw new StoreException("The database holds a workflow that is no longer valid: " + e.getMessage(), e);
        }
    }

    private static Step step(JsonNode node) {
        String agentName = node.get("agent").asText();
        StepAgent agent;
        if (agentName.equals(StepAgent.AUTO_NAME)) {
            JsonNode prefer = node.get("prefer");
            AgentSelector selector = prefer == null || prefer.isNull() ? null
                    : !isNull(prefer, "agent") ? AgentSelector.agent(prefer.get("agent").asText())
                    : AgentSelector.strength(prefer.get("strength").asText());
            agent = new StepAgent.Auto(text(node, "pool"), selector,
                    isNull(node, "max_cost") ? null : node.get("max_cost").doubleValue());
        } else {
            agent = StepAgent.named(agentName);
        }
        String mode = text(node, "mode");
        JsonNode output = node.get("output");
        StepOutput.Kind kind = StepOutput.Kind.fromConfigName(output.get("kind").asText()).orElseThrow(() ->
                new StoreException("The database holds a step output of unknown kind " + output.get("kind"), null));
        JsonNode onFailure = node.get("on_failure");
        OnFailure.Action action = OnFailure.Action.fromConfigName(onFailure.get("action").asText()).orElseThrow(
                () -> new StoreException("The database holds an unknown on_failure " + onFailure.get("action"),
                        null));
        JsonNode loop = node.get("loop");
        return new Step(node.get("id").asText(), agent, mode == null ? null : Codes.mode(mode),
                Template.parse(node.get("prompt").asText()), new StepOutput(kind, text(output, "path")),
                stringList(node.get("depends_on")), new OnFailure(action, text(onFailure, "agent")),
                loop == null || loop.isNull() ? null : new Loop(loop.get("back_to").asText(),
                        Loop.Until.fromConfigName(loop.get("until").asText()).orElseThrow(),
                        loop.get("max_iterations").intValue()));
    }

    public static String inputs(Map<String, String> inputs) {
        return write(json -> {
            json.writeStartArray();
            for (Map.Entry<String, String> input : inputs.entrySet()) {
                json.writeStartObject();
                json.writeStringField("name", input.getKey());
                json.writeStringField("value", input.getValue());
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    public static Map<String, String> inputs(String json) {
        Map<String, String> inputs = new LinkedHashMap<>();
        read(json).forEach(input -> inputs.put(input.get("name").asText(), input.get("value").asText()));
        return inputs;
    }
}
