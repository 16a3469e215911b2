package io.switchboard.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.routing.Exclusion;
import io.switchboard.core.routing.Factor;
import io.switchboard.core.routing.FactorScore;
import io.switchboard.core.routing.ScoredCandidate;
import io.switchboard.core.routing.Weights;
import io.switchboard.core.task.TaskTraits;
import io.switchboard.store.StoreException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The JSON columns, written and read with Jackson's tree model so the stored shape is spelled out here and
 * does not follow the records' Java names. Doubles are written in their shortest exact form and read back to
 * the same bits; keys are snake_case, enums their config names.
 *
 * <pre>
 * candidates:  [{"agent", "agent_id", "total", "in_flight", "estimated_cost",
 *                "factors": [{"factor", "value", "weight", "reason"}]}]
 * exclusions:  [{"agent", "agent_id", "reason", "detail"}]
 * weights:     {"success_rate": 20.0, …}            every factor
 * traits:      {"type", "work_type", "complexity", "scope", "risk", "estimated_tokens", "needs_reasoning",
 *               "needs_iteration", "tags", "needed_skills", "provenance": {trait: how it was set}}
 * mode_flags:  {"plan": [...], "full-auto": [...]}
 * lists:       ["a", "b"]
 * </pre>
 */
public final class JsonColumns {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonColumns() {
    }

    public static String strings(List<String> values) {
        return write(stringArray(values));
    }

    public static List<String> strings(String json) {
        return stringList(read(json));
    }

    public static String modeFlags(Map<Mode, List<String>> flags) {
        ObjectNode node = MAPPER.createObjectNode();
        for (Mode mode : Mode.values()) {
            List<String> values = flags.get(mode);
            if (values != null) {
                node.set(mode.configName(), stringArray(values));
            }
        }
        return write(node);
    }

    public static Map<Mode, List<String>> modeFlags(String json) {
        Map<Mode, List<String>> flags = new EnumMap<>(Mode.class);
        read(json).properties().forEach(entry -> flags.put(Codes.mode(entry.getKey()), stringList(entry.getValue())));
        return flags;
    }

    public static String weights(Weights weights) {
        ObjectNode node = MAPPER.createObjectNode();
        for (Factor factor : Factor.values()) {
            node.put(factor.configName(), weights.of(factor));
        }
        return write(node);
    }

    public static Weights weights(String json) {
        Map<Factor, Double> points = new EnumMap<>(Factor.class);
        read(json).properties().forEach(entry -> points.put(Codes.factor(entry.getKey()), entry.getValue().doubleValue()));
        return new Weights(points);
    }

    public static String candidates(List<ScoredCandidate> candidates) {
        ArrayNode array = MAPPER.createArrayNode();
        for (ScoredCandidate candidate : candidates) {
            ObjectNode node = array.addObject();
            node.put("agent", candidate.agent());
            putUuid(node, "agent_id", candidate.agentId());
            node.put("total", candidate.total());
            node.put("in_flight", candidate.inFlight());
            node.put("estimated_cost", candidate.estimatedCost());
            ArrayNode factors = node.putArray("factors");
            for (FactorScore score : candidate.factors()) {
                factors.addObject()
                        .put("factor", score.factor().configName())
                        .put("value", score.value())
                        .put("weight", score.weight())
                        .put("reason", score.reason());
            }
        }
        return write(array);
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
        ArrayNode array = MAPPER.createArrayNode();
        for (Exclusion exclusion : exclusions) {
            ObjectNode node = array.addObject();
            node.put("agent", exclusion.agent());
            putUuid(node, "agent_id", exclusion.agentId());
            node.put("reason", exclusion.reason().configName());
            node.put("detail", exclusion.detail());
        }
        return write(array);
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
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", traits.type().configName());
        node.put("work_type", traits.workType());
        node.put("complexity", traits.complexity());
        node.put("scope", traits.scope().configName());
        node.put("risk", traits.risk().configName());
        node.put("estimated_tokens", traits.estimatedTokens());
        node.put("needs_reasoning", traits.needsReasoning());
        node.put("needs_iteration", traits.needsIteration());
        node.set("tags", stringArray(traits.tags()));
        node.set("needed_skills", stringArray(traits.neededSkills()));
        ObjectNode provenance = node.putObject("provenance");
        new TreeMap<>(traits.provenance()).forEach(provenance::put);
        return write(node);
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

    private static ArrayNode stringArray(List<String> values) {
        ArrayNode array = MAPPER.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private static List<String> stringList(JsonNode array) {
        List<String> values = new ArrayList<>(array.size());
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static void putUuid(ObjectNode node, String field, UUID uuid) {
        if (uuid == null) {
            node.putNull(field);
        } else {
            node.put(field, uuid.toString());
        }
    }

    private static UUID uuid(JsonNode node) {
        return node == null || node.isNull() ? null : UUID.fromString(node.asText());
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON of a tree cannot fail to write", e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new StoreException("The database holds malformed JSON: " + e.getOriginalMessage(), e);
        }
    }
}
