package io.switchboard.store.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.attempt.FileChange;
import io.switchboard.core.routing.AgentSelector;
import io.switchboard.core.routing.Exclusion;
import io.switchboard.core.routing.Factor;
import io.switchboard.core.routing.FactorScore;
import io.switchboard.core.routing.Placement;
import io.switchboard.core.routing.ScoredCandidate;
import io.switchboard.core.routing.Weights;
import io.switchboard.core.task.PlanRun;
import io.switchboard.core.task.TaskDraft;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskSource;
import io.switchboard.core.task.TaskTraits;
import io.switchboard.store.StoreException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The JSON columns, written with Jackson's streaming generator and read with its tree model, so the stored
 * shape is spelled out here and does not follow the records' Java names. Doubles are written in their shortest
 * exact form and read back to the same bits; keys are snake_case, enums their config names.
 *
 * <p>Writing streams rather than building a tree first: a decision's candidates are its largest column, and
 * encoding them is most of what appending a decision costs the process.
 *
 * <pre>
 * candidates:  [{"agent", "agent_id", "total", "in_flight", "estimated_cost",
 *                "factors": [{"factor", "value", "weight", "reason"}]}]
 * exclusions:  [{"agent", "agent_id", "reason", "detail"}]
 * weights:     {"success_rate": 20.0, …}            every factor
 * traits:      {"type", "work_type", "complexity", "scope", "risk", "estimated_tokens", "needs_reasoning",
 *               "needs_iteration", "tags", "needed_skills", "provenance": {trait: how it was set}}
 * draft:       {"id", "title", "prompt", "type", "work_type", "complexity", "scope", "risk", "estimated_tokens",
 *               "needs_reasoning", "needs_iteration", "priority", "tags", "plan", "sprint", "status", "wave",
 *               "pool", "dependencies", "files", "verify", "timeout", "idle_timeout", "stated_at": {trait: where},
 *               "source": {"location", "line"}}   a trait the source does not state is null; the limits
 *                                                  ISO-8601 durations, absent from drafts written before them
 * options:     {"working_directory", "max_cost", "deadline", "prefer", "excluded", "timeout", "idle_timeout",
 *               "placement": {"prefer_agent", "prefer_strength", "pin", "mode", "asked_by"}, "max_attempts",
 *               "plan_run": {"name", "dependencies", "parallel", "isolated"}}
 *                                                  the deadline an ISO-8601 instant, limits ISO-8601 durations,
 *                                                  both exact; null when not set (plan_run absent from options
 *                                                  written before version 6, placement and max_attempts before
 *                                                  version 8)
 * changed_files: [{"kind": "M", "path"}]           what an attempt changed in its workspace
 * mode_flags:  {"plan": [...], "full-auto": [...]}
 * lists:       ["a", "b"]
 * </pre>
 */
public final class JsonColumns {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonColumns() {
    }

    public static String strings(List<String> values) {
        return write(json -> writeStrings(json, values));
    }

    public static List<String> strings(String json) {
        return stringList(read(json));
    }

    public static String modeFlags(Map<Mode, List<String>> flags) {
        return write(json -> {
            json.writeStartObject();
            for (Mode mode : Mode.values()) {
                List<String> values = flags.get(mode);
                if (values != null) {
                    json.writeFieldName(mode.configName());
                    writeStrings(json, values);
                }
            }
            json.writeEndObject();
        });
    }

    public static Map<Mode, List<String>> modeFlags(String json) {
        Map<Mode, List<String>> flags = new EnumMap<>(Mode.class);
        read(json).properties().forEach(entry -> flags.put(Codes.mode(entry.getKey()), stringList(entry.getValue())));
        return flags;
    }

    public static String weights(Weights weights) {
        return write(json -> {
            json.writeStartObject();
            for (Factor factor : Factor.values()) {
                json.writeNumberField(factor.configName(), weights.of(factor));
            }
            json.writeEndObject();
        });
    }

    public static Weights weights(String json) {
        Map<Factor, Double> points = new EnumMap<>(Factor.class);
        read(json).properties().forEach(entry -> points.put(Codes.factor(entry.getKey()), entry.getValue().doubleValue()));
        return new Weights(points);
    }

    public static String candidates(List<ScoredCandidate> candidates) {
        return write(json -> {
            json.writeStartArray();
            for (ScoredCandidate candidate : candidates) {
                json.writeStartObject();
                json.writeStringField("agent", candidate.agent());
                writeUuid(json, "agent_id", candidate.agentId());
                json.writeNumberField("total", candidate.total());
                json.writeNumberField("in_flight", candidate.inFlight());
                json.writeNumberField("estimated_cost", candidate.estimatedCost());
                json.writeArrayFieldStart("factors");
                for (FactorScore score : candidate.factors()) {
                    json.writeStartObject();
                    json.writeStringField("factor", score.factor().configName());
                    json.writeNumberField("value", score.value());
                    json.writeNumberField("weight", score.weight());
                    json.writeStringField("reason", score.reason());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    public static List<ScoredCandidate> candidates(String json) {
        List<ScoredCandidate> candidates = new ArrayList<>();
        for (JsonNode node : read(json)) {
            List<FactorScore> factors = new ArrayList<>();
            for (JsonNode factor : node.get("factors")) {
                factors.add(FactorScore.of(Codes.factor(factor.get("factor").asText()), factor.get("value").doubleValue(),
                        factor.get("weight").doubleValue(), factor.get("reason").asText()));
            }
            candidates.add(new ScoredCandidate(node.get("agent").asText(), uuid(node.get("agent_id")), factors,
                    node.get("total").doubleValue(), node.get("in_flight").intValue(),
                    node.get("estimated_cost").doubleValue()));
        }
        return candidates;
    }

    public static String exclusions(List<Exclusion> exclusions) {
        return write(json -> {
            json.writeStartArray();
            for (Exclusion exclusion : exclusions) {
                json.writeStartObject();
                json.writeStringField("agent", exclusion.agent());
                writeUuid(json, "agent_id", exclusion.agentId());
                json.writeStringField("reason", exclusion.reason().configName());
                json.writeStringField("detail", exclusion.detail());
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    public static List<Exclusion> exclusions(String json) {
        List<Exclusion> exclusions = new ArrayList<>();
        for (JsonNode node : read(json)) {
            exclusions.add(new Exclusion(node.get("agent").asText(), uuid(node.get("agent_id")),
                    Codes.exclusionReason(node.get("reason").asText()), node.get("detail").asText()));
        }
        return exclusions;
    }

    public static String traits(TaskTraits traits) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("type", traits.type().configName());
            json.writeStringField("work_type", traits.workType());
            json.writeNumberField("complexity", traits.complexity());
            json.writeStringField("scope", traits.scope().configName());
            json.writeStringField("risk", traits.risk().configName());
            json.writeNumberField("estimated_tokens", traits.estimatedTokens());
            json.writeBooleanField("needs_reasoning", traits.needsReasoning());
            json.writeBooleanField("needs_iteration", traits.needsIteration());
            json.writeFieldName("tags");
            writeStrings(json, traits.tags());
            json.writeFieldName("needed_skills");
            writeStrings(json, traits.neededSkills());
            json.writeObjectFieldStart("provenance");
            for (Map.Entry<String, String> entry : new TreeMap<>(traits.provenance()).entrySet()) {
                json.writeStringField(entry.getKey(), entry.getValue());
            }
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    public static TaskTraits traits(String json) {
        JsonNode node = read(json);
        Map<String, String> provenance = new TreeMap<>();
        node.get("provenance").properties().forEach(entry -> provenance.put(entry.getKey(), entry.getValue().asText()));
        return new TaskTraits(
                Codes.taskType(node.get("type").asText()),
                node.get("work_type").asText(),
                node.get("complexity").intValue(),
                Codes.scope(node.get("scope").asText()),
                Codes.risk(node.get("risk").asText()),
                node.get("estimated_tokens").longValue(),
                node.get("needs_reasoning").booleanValue(),
                node.get("needs_iteration").booleanValue(),
                stringList(node.get("tags")),
                stringList(node.get("needed_skills")),
                provenance);
    }

    public static String draft(TaskDraft draft) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("id", draft.id());
            json.writeStringField("title", draft.title());
            json.writeStringField("prompt", draft.prompt());
            writeText(json, "type", draft.type() == null ? null : draft.type().configName());
            writeText(json, "work_type", draft.workType());
            writeNumber(json, "complexity", draft.complexity());
            writeText(json, "scope", draft.scope() == null ? null : draft.scope().configName());
            writeText(json, "risk", draft.risk() == null ? null : draft.risk().configName());
            writeNumber(json, "estimated_tokens", draft.estimatedTokens());
            writeBoolean(json, "needs_reasoning", draft.needsReasoning());
            writeBoolean(json, "needs_iteration", draft.needsIteration());
            writeText(json, "priority", draft.priority());
            json.writeFieldName("tags");
            writeStrings(json, draft.tags());
            writeText(json, "plan", draft.plan());
            writeText(json, "sprint", draft.sprint());
            writeText(json, "status", draft.status());
            writeNumber(json, "wave", draft.wave());
            writeText(json, "pool", draft.pool());
            json.writeFieldName("dependencies");
            writeStrings(json, draft.dependencies());
            json.writeFieldName("files");
            writeStrings(json, draft.files());
            writeText(json, "verify", draft.verify());
            writeText(json, "timeout", draft.timeout() == null ? null : draft.timeout().toString());
            writeText(json, "idle_timeout", draft.idleTimeout() == null ? null : draft.idleTimeout().toString());
            json.writeObjectFieldStart("stated_at");
            for (Map.Entry<String, String> entry : new TreeMap<>(draft.statedAt()).entrySet()) {
                json.writeStringField(entry.getKey(), entry.getValue());
            }
            json.writeEndObject();
            json.writeObjectFieldStart("source");
            json.writeStringField("location", draft.source().location());
            json.writeNumberField("line", draft.source().line());
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    public static TaskDraft draft(String json) {
        JsonNode node = read(json);
        Map<String, String> statedAt = new TreeMap<>();
        node.get("stated_at").properties().forEach(entry -> statedAt.put(entry.getKey(), entry.getValue().asText()));
        JsonNode source = node.get("source");
        String type = text(node, "type");
        String scope = text(node, "scope");
        String risk = text(node, "risk");
        String timeout = text(node, "timeout");
        String idleTimeout = text(node, "idle_timeout");
        return new TaskDraft(
                node.get("id").asText(),
                node.get("title").asText(),
                node.get("prompt").asText(),
                type == null ? null : Codes.taskType(type),
                text(node, "work_type"),
                isNull(node, "complexity") ? null : node.get("complexity").intValue(),
                scope == null ? null : Codes.scope(scope),
                risk == null ? null : Codes.risk(risk),
                isNull(node, "estimated_tokens") ? null : node.get("estimated_tokens").longValue(),
                isNull(node, "needs_reasoning") ? null : node.get("needs_reasoning").booleanValue(),
                isNull(node, "needs_iteration") ? null : node.get("needs_iteration").booleanValue(),
                text(node, "priority"),
                stringList(node.get("tags")),
                text(node, "plan"),
                text(node, "sprint"),
                text(node, "status"),
                isNull(node, "wave") ? null : node.get("wave").intValue(),
                text(node, "pool"),
                stringList(node.get("dependencies")),
                stringList(node.get("files")),
                text(node, "verify"),
                timeout == null ? null : Duration.parse(timeout),
                idleTimeout == null ? null : Duration.parse(idleTimeout),
                statedAt,
                new TaskSource(source.get("location").asText(), source.get("line").intValue()));
    }

    public static String options(TaskOptions options) {
        return write(json -> {
            json.writeStartObject();
            writeText(json, "working_directory", options.workingDirectory());
            if (options.maxCost() == null) {
                json.writeNullField("max_cost");
            } else {
                json.writeNumberField("max_cost", options.maxCost());
            }
            writeText(json, "deadline", options.deadline() == null ? null : options.deadline().toString());
            writeText(json, "prefer", options.prefer());
            json.writeFieldName("excluded");
            writeStrings(json, List.copyOf(new TreeSet<>(options.excluded())));
            writeText(json, "timeout", options.timeout() == null ? null : options.timeout().toString());
            writeText(json, "idle_timeout", options.idleTimeout() == null ? null : options.idleTimeout().toString());
            Placement placement = options.placement();
            if (!placement.isNone()) {
                json.writeObjectFieldStart("placement");
                AgentSelector prefer = placement.prefer();
                writeText(json, "prefer_agent", prefer == null ? null : prefer.agentName());
                writeText(json, "prefer_strength", prefer == null ? null : prefer.strength());
                writeText(json, "pin", placement.pin());
                if (placement.pinFrom() != 1) {
                    json.writeNumberField("pin_from", placement.pinFrom());
                }
                writeText(json, "mode", placement.mode() == null ? null : placement.mode().configName());
                writeText(json, "asked_by", placement.askedBy());
                json.writeEndObject();
            }
            if (options.maxAttempts() != null) {
                json.writeNumberField("max_attempts", options.maxAttempts());
            }
            PlanRun plan = options.planRun();
            if (plan == null) {
                json.writeNullField("plan_run");
            } else {
                json.writeObjectFieldStart("plan_run");
                json.writeStringField("name", plan.name());
                json.writeFieldName("dependencies");
                writeStrings(json, plan.dependencies());
                json.writeNumberField("parallel", plan.parallel());
                json.writeBooleanField("isolated", plan.isolated());
                json.writeEndObject();
            }
            json.writeEndObject();
        });
    }

    public static TaskOptions options(String json) {
        JsonNode node = read(json);
        String deadline = text(node, "deadline");
        String timeout = text(node, "timeout");
        String idleTimeout = text(node, "idle_timeout");
        return new TaskOptions(
                text(node, "working_directory"),
                isNull(node, "max_cost") ? null : node.get("max_cost").doubleValue(),
                deadline == null ? null : Instant.parse(deadline),
                text(node, "prefer"),
                Set.copyOf(stringList(node.get("excluded"))),
                timeout == null ? null : Duration.parse(timeout),
                idleTimeout == null ? null : Duration.parse(idleTimeout),
                isNull(node, "placement") ? Placement.NONE : placement(node.get("placement")),
                isNull(node, "max_attempts") ? null : node.get("max_attempts").intValue(),
                isNull(node, "plan_run") ? null : planRun(node.get("plan_run")));
    }

    private static PlanRun planRun(JsonNode node) {
        return new PlanRun(node.get("name").asText(), stringList(node.get("dependencies")),
                node.get("parallel").intValue(), node.get("isolated").booleanValue());
    }

    public static String changedFiles(List<FileChange> files) {
        return write(json -> {
            json.writeStartArray();
            for (FileChange file : files) {
                json.writeStartObject();
                json.writeStringField("kind", String.valueOf(file.kind()));
                json.writeStringField("path", file.path());
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    public static List<FileChange> changedFiles(String json) {
        List<FileChange> files = new ArrayList<>();
        for (JsonNode file : read(json)) {
            files.add(new FileChange(file.get("kind").asText().charAt(0), file.get("path").asText()));
        }
        return files;
    }

    private static Placement placement(JsonNode node) {
        String agent = text(node, "prefer_agent");
        String strength = text(node, "prefer_strength");
        AgentSelector prefer = agent != null ? AgentSelector.agent(agent)
                : strength != null ? AgentSelector.strength(strength) : null;
        String mode = text(node, "mode");
        return new Placement(prefer, text(node, "pin"), isNull(node, "pin_from") ? 1 : node.get("pin_from").intValue(),
                mode == null ? null : Codes.mode(mode), text(node, "asked_by"));
    }

    static void writeText(JsonGenerator json, String field, String value) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeStringField(field, value);
        }
    }

    private static void writeNumber(JsonGenerator json, String field, Number value) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeNumberField(field, value.longValue());
        }
    }

    private static void writeBoolean(JsonGenerator json, String field, Boolean value) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeBooleanField(field, value);
        }
    }

    static boolean isNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull();
    }

    static String text(JsonNode node, String field) {
        return isNull(node, field) ? null : node.get(field).asText();
    }

    static void writeStrings(JsonGenerator json, List<String> values) throws IOException {
        json.writeStartArray();
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    static List<String> stringList(JsonNode array) {
        List<String> values = new ArrayList<>(array.size());
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static void writeUuid(JsonGenerator json, String field, UUID uuid) throws IOException {
        if (uuid == null) {
            json.writeNullField(field);
        } else {
            json.writeStringField(field, uuid.toString());
        }
    }

    private static UUID uuid(JsonNode node) {
        return node == null || node.isNull() ? null : UUID.fromString(node.asText());
    }

    /** Writes one JSON value. */
    @FunctionalInterface
    interface Writer {
        void write(JsonGenerator json) throws IOException;
    }

    static String write(Writer writer) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(text)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("JSON written to a string cannot fail to write", e);
        }
        return text.toString();
    }

    static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new StoreException("The database holds malformed JSON: " + e.getOriginalMessage(), e);
        }
    }
}
