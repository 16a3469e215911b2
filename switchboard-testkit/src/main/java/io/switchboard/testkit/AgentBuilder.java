package io.switchboard.testkit;

import io.switchboard.core.agent.Adapter;
import io.switchboard.core.agent.AgentOrigin;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.AgentStatus;
import io.switchboard.core.agent.Availability;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.performance.AgentPerformance;
import io.switchboard.core.routing.AgentState;
import io.switchboard.core.routing.Cooldown;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds agents for tests, saying only what matters: {@code anAgent("codex").withSuccessRate(9, 1)}.
 * Ids are derived from the name, so the same name always gives the same id.
 */
public final class AgentBuilder {
    private final String name;
    private Adapter adapter;
    private String agentType = AgentProfile.DEFAULT_AGENT_TYPE;
    private String pool;
    private final List<String> capabilities = new ArrayList<>();
    private final List<String> specializations = new ArrayList<>();
    private final List<String> strengths = new ArrayList<>();
    private final List<String> weaknesses = new ArrayList<>();
    private double costPer1kTokens;
    private int contextLimit = AgentProfile.DEFAULT_CONTEXT_LIMIT;
    private Availability availability = Availability.LOCAL;
    private int maxConcurrency = AgentProfile.DEFAULT_MAX_CONCURRENCY;
    private final Map<Mode, List<String>> modeFlags = new EnumMap<>(Mode.class);
    private AgentStatus status = AgentStatus.ONLINE;
    private Instant lastHeartbeat;
    private AgentOrigin origin = AgentOrigin.CONFIG;
    private long successes;
    private long failures;
    private String workType = "implement";
    private int inFlight;
    private Cooldown cooldown;
    private Instant lastSuccess;

    private AgentBuilder(String name) {
        this.name = name;
        this.adapter = Adapter.inferFromAgentName(name);
    }

    public static AgentBuilder anAgent(String name) {
        return new AgentBuilder(name);
    }

    /** The id every builder gives an agent of this name. */
    public static UUID idOf(String name) {
        return UUID.nameUUIDFromBytes(("agent:" + name).getBytes(StandardCharsets.UTF_8));
    }

    public AgentBuilder adapter(Adapter value) {
        adapter = value;
        return this;
    }

    public AgentBuilder ofType(String value) {
        agentType = value;
        return this;
    }

    public AgentBuilder inPool(String value) {
        pool = value;
        return this;
    }

    public AgentBuilder capableOf(String... values) {
        capabilities.addAll(List.of(values));
        return this;
    }

    public AgentBuilder specializedIn(String... values) {
        specializations.addAll(List.of(values));
        return this;
    }

    public AgentBuilder strongAt(String... values) {
        strengths.addAll(List.of(values));
        return this;
    }

    public AgentBuilder weakAt(String... values) {
        weaknesses.addAll(List.of(values));
        return this;
    }

    public AgentBuilder costing(double dollarsPer1kTokens) {
        costPer1kTokens = dollarsPer1kTokens;
        return this;
    }

    public AgentBuilder withContextLimit(int tokens) {
        contextLimit = tokens;
        return this;
    }

    public AgentBuilder available(Availability value) {
        availability = value;
        return this;
    }

    public AgentBuilder withMaxConcurrency(int value) {
        maxConcurrency = value;
        return this;
    }

    public AgentBuilder withModeFlags(Mode mode, String... flags) {
        modeFlags.put(mode, List.of(flags));
        return this;
    }

    public AgentBuilder offline() {
        status = AgentStatus.OFFLINE;
        return this;
    }

    public AgentBuilder withStatus(AgentStatus value) {
        status = value;
        return this;
    }

    public AgentBuilder heartbeatAt(Instant value) {
        lastHeartbeat = value;
        return this;
    }

    public AgentBuilder origin(AgentOrigin value) {
        origin = value;
        return this;
    }

    /** Its record on the work type given by {@link #onWorkType} (default {@code implement}). */
    public AgentBuilder withSuccessRate(long succeeded, long failed) {
        successes = succeeded;
        failures = failed;
        return this;
    }

    public AgentBuilder onWorkType(String value) {
        workType = value;
        return this;
    }

    public AgentBuilder running(int attempts) {
        inFlight = attempts;
        return this;
    }

    public AgentBuilder coolingDownUntil(Instant until, String reason) {
        cooldown = new Cooldown(idOf(name), until, reason);
        return this;
    }

    public AgentBuilder succeededRecentlyAt(Instant at) {
        lastSuccess = at;
        return this;
    }

    public AgentProfile profile() {
        return new AgentProfile(name, adapter, agentType, pool, capabilities, specializations, strengths, weaknesses,
                costPer1kTokens, contextLimit, availability, maxConcurrency, modeFlags, List.of());
    }

    public RegisteredAgent registered() {
        return new RegisteredAgent(idOf(name), profile(), status, lastHeartbeat, origin);
    }

    /** The agent with its routing state: performance (undecayed, as of {@link MutableClock#EPOCH}), load, cooldown. */
    public AgentState state() {
        RegisteredAgent agent = registered();
        AgentPerformance performance = new AgentPerformance(agent.id(), workType, successes, failures, successes,
                failures, MutableClock.EPOCH, 0, null, null, 0, 0);
        return new AgentState(agent, performance, inFlight, cooldown, lastSuccess);
    }
}
