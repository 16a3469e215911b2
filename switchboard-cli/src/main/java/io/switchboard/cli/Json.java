package io.switchboard.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.performance.AgentPerformance;
import io.switchboard.core.port.DecisionLog.StoredDecision;
import io.switchboard.core.routing.Exclusion;
import io.switchboard.core.routing.FactorScore;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.routing.ScoredCandidate;
import io.switchboard.core.task.TaskTraits;
import java.util.List;

/** The {@code --json} output of every command: stable field names in snake_case, one document per call. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper LINES = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    static String write(Object node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** One JSON value on one line, for output that is a stream of events (one per line). */
    static String line(Object node) {
        try {
            return LINES.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static String routed(List<RouteCommand.RoutedTask> routed, boolean dryRun) {
        ArrayNode decisions = NODES.arrayNode();
        for (RouteCommand.RoutedTask r : routed) {
            ObjectNode node = decision(r.decisionId(), r.decision());
            node.put("title", r.task().title());
            node.put("source", r.task().source().toString());
            decisions.add(node);
        }
        ObjectNode root = NODES.objectNode();
        root.put("dry_run", dryRun);
        root.set("decisions", decisions);
        return write(root);
    }

    static String decisions(List<StoredDecision> stored) {
        ArrayNode array = NODES.arrayNode();
        stored.forEach(s -> array.add(decision(s.id(), s.decision())));
        return write(array);
    }

    static ObjectNode decision(Long id, RoutingDecision decision) {
        ObjectNode node = NODES.objectNode();
        if (id != null) {
            node.put("id", id);
        }
        node.put("task_id", decision.taskId());
        node.put("attempt", decision.attempt());
        node.put("retried", decision.retried());
        node.put("work_type", decision.workType());
        node.put("pool", decision.pool());
        node.put("chosen_agent", decision.chosenAgent().orElse(null));
        node.put("mode", decision.mode().configName());
        node.put("score", decision.score());
        node.put("success_rate_percent", decision.successRatePercent());
        node.put("specialization_match", decision.specializationMatch());
        node.put("recent_context_match", decision.recentContextMatch());
        node.put("reason", decision.reason());
        node.put("policy", decision.policyName());
        ObjectNode weights = node.putObject("weights");
        decision.weights().points().forEach((factor, points) -> weights.put(factor.configName(), points));
        node.put("rule", decision.rule());
        node.put("propensity", decision.propensity());
        if (decision.seed() != null) {
            node.put("seed", decision.seed());
        }
        node.put("decided_at", decision.decidedAt().toString());
        node.set("traits", traits(decision.traits()));
        ArrayNode candidates = node.putArray("candidates");
        for (ScoredCandidate candidate : decision.candidates()) {
            ObjectNode c = candidates.addObject();
            c.put("agent", candidate.agent());
            c.put("total", candidate.total());
            c.put("in_flight", candidate.inFlight());
            c.put("estimated_cost", candidate.estimatedCost());
            ObjectNode factors = c.putObject("factors");
            for (FactorScore factor : candidate.factors()) {
                ObjectNode f = factors.putObject(factor.factor().configName());
                f.put("value", factor.value());
                f.put("weight", factor.weight());
                f.put("points", factor.points());
                f.put("reason", factor.reason());
            }
        }
        ArrayNode exclusions = node.putArray("exclusions");
        for (Exclusion exclusion : decision.exclusions()) {
            ObjectNode e = exclusions.addObject();
            e.put("agent", exclusion.agent());
            e.put("reason", exclusion.reason().configName());
            e.put("detail", exclusion.detail());
        }
        return node;
    }

    static ObjectNode traits(TaskTraits traits) {
        ObjectNode node = NODES.objectNode();
        node.put("type", traits.type().configName());
        node.put("work_type", traits.workType());
        node.put("complexity", traits.complexity());
        node.put("scope", traits.scope().configName());
        node.put("risk", traits.risk().configName());
        node.put("estimated_tokens", traits.estimatedTokens());
        node.put("needs_reasoning", traits.needsReasoning());
        node.put("needs_iteration", traits.needsIteration());
        ArrayNode tags = node.putArray("tags");
        traits.tags().forEach(tags::add);
        ArrayNode skills = node.putArray("needed_skills");
        traits.neededSkills().forEach(skills::add);
        ObjectNode provenance = node.putObject("set_by");
        new java.util.TreeMap<>(traits.provenance()).forEach(provenance::put);
        return node;
    }

    static ObjectNode agent(RegisteredAgent agent, int inFlight) {
        AgentProfile p = agent.profile();
        ObjectNode node = NODES.objectNode();
        node.put("name", p.name());
        node.put("id", agent.id().toString());
        node.put("adapter", p.adapter().configName());
        node.put("agent_type", p.agentType());
        node.put("pool", p.pool());
        node.put("status", agent.status().configName());
        node.put("last_heartbeat", agent.lastHeartbeat() == null ? null : agent.lastHeartbeat().toString());
        node.put("origin", agent.origin().name().toLowerCase(java.util.Locale.ROOT));
        node.put("in_flight", inFlight);
        strings(node.putArray("capabilities"), p.capabilities());
        strings(node.putArray("specializations"), p.specializations());
        strings(node.putArray("strengths"), p.strengths());
        strings(node.putArray("weaknesses"), p.weaknesses());
        node.put("cost_per_1k_tokens", p.costPer1kTokens());
        node.put("context_limit", p.contextLimit());
        node.put("availability", p.availability().configName());
        node.put("max_concurrency", p.maxConcurrency());
        ObjectNode modes = node.putObject("modes");
        for (Mode mode : Mode.values()) {
            strings(modes.putArray(mode.configName()), p.flagsFor(mode));
        }
        if (!p.command().isEmpty()) {
            strings(node.putArray("command"), p.command());
        }
        return node;
    }

    static ObjectNode performance(AgentPerformance record, String agentName) {
        ObjectNode node = NODES.objectNode();
        node.put("agent", agentName);
        node.put("work_type", record.workType());
        node.put("successes", record.successes());
        node.put("failures", record.failures());
        node.put("executions", record.executions());
        node.put("success_rate", record.executions() == 0 ? null : (double) record.successes() / record.executions());
        node.put("total_duration_ms", record.totalDurationMs());
        node.put("tokens", record.tokens());
        node.put("cost", record.cost());
        node.put("last_execution", record.lastExecution() == null ? null : record.lastExecution().toString());
        node.put("difficulty", record.difficulty() == null ? null : record.difficulty().configName());
        return node;
    }

    static ArrayNode array() {
        return NODES.arrayNode();
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

}
