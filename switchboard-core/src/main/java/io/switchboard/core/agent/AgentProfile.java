package io.switchboard.core.agent;

import static io.switchboard.core.Require.require;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What an agent is and can do, as declared in config or by {@code agents add}. Immutable; the runtime
 * state (status, heartbeat) lives in {@link RegisteredAgent}.
 *
 * @param name unique name, also the key in config
 * @param adapter which CLI runs it
 * @param agentType the kind of agent ({@code code}, {@code infra}, {@code research}, {@code desktop}, …)
 * @param pool the named group it belongs to; defaults to its type
 * @param capabilities work types or task types it accepts; empty means any
 * @param specializations work types it is known to be best at
 * @param strengths skills it is good at (matched against a task's needed skills)
 * @param weaknesses skills it is poor at
 * @param costPer1kTokens price in US dollars per 1,000 tokens
 * @param contextLimit the largest task, in tokens, it can take
 * @param availability where it runs
 * @param maxConcurrency how many attempts it may run at once
 * @param modeFlags per mode, the extra flags its adapter passes
 * @param command for the {@code command} adapter, the argv to run; empty otherwise
 */
public record AgentProfile(
        String name,
        Adapter adapter,
        String agentType,
        String pool,
        List<String> capabilities,
        List<String> specializations,
        List<String> strengths,
        List<String> weaknesses,
        double costPer1kTokens,
        int contextLimit,
        Availability availability,
        int maxConcurrency,
        Map<Mode, List<String>> modeFlags,
        List<String> command) {

    public static final String DEFAULT_AGENT_TYPE = "code";
    public static final int DEFAULT_CONTEXT_LIMIT = 200_000;
    public static final int DEFAULT_MAX_CONCURRENCY = 1;

    public AgentProfile {
        require(name != null && !name.isBlank(), "agent name must not be blank, was %s", name);
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(availability, "availability");
        agentType = agentType == null || agentType.isBlank() ? DEFAULT_AGENT_TYPE : agentType;
        pool = pool == null || pool.isBlank() ? agentType : pool;
        capabilities = normalizedSet(capabilities);
        specializations = normalizedSet(specializations);
        strengths = normalizedSet(strengths);
        weaknesses = normalizedSet(weaknesses);
        require(Double.isFinite(costPer1kTokens) && costPer1kTokens >= 0,
                "cost_per_1k_tokens must be zero or more, was %s", costPer1kTokens);
        require(contextLimit > 0, "context_limit must be more than zero, was %s", contextLimit);
        require(maxConcurrency > 0, "max_concurrency must be more than zero, was %s", maxConcurrency);
        EnumMap<Mode, List<String>> flags = new EnumMap<>(Mode.class);
        if (modeFlags != null) {
            modeFlags.forEach((mode, list) -> flags.put(mode, List.copyOf(list)));
        }
        modeFlags = Map.copyOf(flags);
        command = command == null ? List.of() : List.copyOf(command);
    }

    /** A profile with defaults for everything but the name; the adapter is inferred from the name. */
    public static AgentProfile named(String name) {
        return new AgentProfile(name, Adapter.inferFromAgentName(name), DEFAULT_AGENT_TYPE, null,
                List.of(), List.of(), List.of(), List.of(), 0.0, DEFAULT_CONTEXT_LIMIT,
                Availability.LOCAL, DEFAULT_MAX_CONCURRENCY, Map.of(), List.of());
    }

    /** The flags for a mode, in a stable order (empty when none are configured). */
    public List<String> flagsFor(Mode mode) {
        return modeFlags.getOrDefault(mode, List.of());
    }

    /** Whether the agent accepts a task of this work type or task type (no capabilities = any). */
    public boolean accepts(String workType, String taskType) {
        return capabilities.isEmpty()
                || capabilities.contains(Skills.normalize(workType))
                || capabilities.contains(Skills.normalize(taskType));
    }

    public boolean specializesIn(String workType) {
        return specializations.contains(Skills.normalize(workType));
    }

    /** Estimated cost in dollars of a task of this many tokens. */
    public double estimatedCost(long tokens) {
        return tokens / 1000.0 * costPer1kTokens;
    }

    /**
     * Whether routing would see this profile as {@code other}: the same pool, type, skills, price, context limit,
     * availability and max concurrency. With the same {@link #fingerprint()} (how it is run), the same agent.
     */
    public boolean routesLike(AgentProfile other) {
        return agentType.equals(other.agentType) && pool.equals(other.pool) && capabilities.equals(other.capabilities)
                && specializations.equals(other.specializations) && strengths.equals(other.strengths)
                && weaknesses.equals(other.weaknesses) && costPer1kTokens == other.costPer1kTokens
                && contextLimit == other.contextLimit && availability == other.availability
                && maxConcurrency == other.maxConcurrency;
    }

    /**
     * What identifies how this agent is invoked (adapter, command and mode flags), as a short stable text: a
     * cooldown that lasts "until the configuration changes" is lifted when this changes.
     */
    public String fingerprint() {
        StringBuilder text = new StringBuilder(adapter.configName()).append('|').append(command);
        for (Mode mode : Mode.values()) {
            text.append('|').append(mode.configName()).append('=').append(flagsFor(mode));
        }
        return Integer.toHexString(text.toString().hashCode());
    }

    private static List<String> normalizedSet(List<String> values) {
        if (values == null) {
            return List.of();
        }
        LinkedHashSet<String> set = new LinkedHashSet<>();
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                set.add(Skills.normalize(value));
            }
        }
        return List.copyOf(new ArrayList<>(set));
    }

    @Override
    public String toString() {
        return "AgentProfile[" + name + ", " + adapter.configName() + ", pool " + pool.toLowerCase(Locale.ROOT) + "]";
    }
}
