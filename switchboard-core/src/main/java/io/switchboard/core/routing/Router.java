package io.switchboard.core.routing;

import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.AgentStatus;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.agent.Skills;
import io.switchboard.core.performance.AgentPerformance;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskTraits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Scores every candidate for a task and picks one: candidates, hard filters (each exclusion kept with its
 * reason), rules, nine weighted factors, and a reproducible choice (DESIGN §3).
 *
 * <p>A pure function of its inputs: the router reads no clock and no store. The caller gathers an
 * {@link AgentState} per registered agent and passes the instant of the decision. Thread-safe.
 *
 * <p>Ties on the total are broken by fewer in-flight attempts, then lower estimated cost, then name, so the
 * same inputs always give the same decision. With {@link Exploration#THOMPSON} the success factor is drawn
 * from each agent's Beta posterior using a seed derived from the policy seed, the task id and the attempt
 * number; the decision records that seed and the propensity of the pick.
 */
public final class Router {
    /** Draws used to estimate the propensity of a Thompson pick. */
    static final int PROPENSITY_DRAWS = 200;

    private static final Factor[] FACTORS = Factor.values();

    /** Prior mean for an agent with no declared relation to the work type. */
    static final double PRIOR_MEAN_NEUTRAL = 0.5;
    /** Added to the prior mean when the work type is among the agent's specializations. */
    static final double PRIOR_BONUS_SPECIALIST = 0.25;
    /** Added to the prior mean when the work type or task type is among the agent's strengths. */
    static final double PRIOR_BONUS_STRENGTH = 0.15;
    /** Taken from the prior mean when the work type or task type is among the agent's weaknesses. */
    static final double PRIOR_PENALTY_WEAKNESS = 0.25;

    /**
     * Higher total first, then fewer in flight, lower cost, name. Written out rather than chained from
     * {@code Comparator.comparing…}: sorting the candidates is most of a large decision's time, and a chain of
     * lambdas costs several indirect calls per comparison.
     */
    private static final Comparator<ScoredCandidate> RANKING = (a, b) -> {
        int byTotal = Double.compare(b.total(), a.total());
        if (byTotal != 0) {
            return byTotal;
        }
        int byLoad = Integer.compare(a.inFlight(), b.inFlight());
        if (byLoad != 0) {
            return byLoad;
        }
        int byCost = Double.compare(a.estimatedCost(), b.estimatedCost());
        return byCost != 0 ? byCost : a.agent().compareTo(b.agent());
    };

    private final RoutingPolicy policy;
    private final List<Rule> rules;

    public Router(RoutingPolicy policy, List<Rule> rules) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.rules = List.copyOf(rules);
    }

    public RoutingPolicy policy() {
        return policy;
    }

    public List<Rule> rules() {
        return rules;
    }

    /**
     * Decides which agent takes the task.
     *
     * @param agents every registered agent with its state; order does not matter
     * @param now the instant of the decision (cooldowns, heartbeats, recent context, decay)
     * @return the decision; when no agent can take the task, it has no candidates and says why
     */
    public RoutingDecision decide(RoutingRequest request, List<AgentState> agents, Instant now) {
        Task task = request.task();
        TaskTraits traits = task.traits();
        String workType = Skills.normalize(traits.workType());
        String taskType = traits.type().configName();
        Rule rule = matchingRule(traits);
        Placement placement = request.placement();
        Mode mode = placement.mode() != null ? placement.mode()
                : rule != null && rule.mode() != null ? rule.mode() : policy.defaultMode();

        List<Exclusion> exclusions = new ArrayList<>();
        List<AgentState> eligible = new ArrayList<>(agents.size());
        List<AgentState> failedOnly = new ArrayList<>();
        int inPool = 0;
        int capable = 0;
        for (AgentState state : agents) {
            AgentProfile profile = state.agent().profile();
            if (placement.pin() != null && !placement.pin().equals(profile.name())) {
                exclusions.add(exclusion(state, ExclusionReason.PINNED_ELSEWHERE,
                        placement.askedBy() + " pins agent " + placement.pin()));
                continue;
            }
            // Whoever pinned the task named the agent: pool and capability do not apply to it.
            boolean pinned = placement.pin() != null;
            if (!pinned && task.pool() != null && !task.pool().equals(profile.pool())) {
                exclusions.add(exclusion(state, ExclusionReason.NOT_IN_POOL,
                        "in pool " + profile.pool() + ", task asks for " + task.pool()));
                continue;
            }
            inPool++;
            if (!pinned && !profile.capabilities().isEmpty()
                    && !profile.capabilities().contains(workType) && !profile.capabilities().contains(taskType)) {
                exclusions.add(exclusion(state, ExclusionReason.NOT_CAPABLE,
                        "capabilities " + profile.capabilities() + " include neither " + workType + " nor " + taskType));
                continue;
            }
            capable++;
            Exclusion excluded = hardFilter(request, rule, state, now);
            if (excluded == null) {
                eligible.add(state);
            } else if (excluded.reason() == ExclusionReason.FAILED_THIS_TASK) {
                failedOnly.add(state);
                exclusions.add(excluded);
            } else {
                exclusions.add(excluded);
            }
        }
        boolean readmitted = false;
        if (eligible.isEmpty() && !failedOnly.isEmpty() && policy.retrySameAgentWhenAlone()) {
            // The policy allows a retry on an agent that failed the task when nothing else is left.
            eligible.addAll(failedOnly);
            exclusions.removeIf(e -> e.reason() == ExclusionReason.FAILED_THIS_TASK);
            readmitted = true;
        }

        String pool = task.pool();
        Long seed = policy.exploration() == Exploration.THOMPSON ? decisionSeed(task.id(), request.attempt()) : null;
        if (eligible.isEmpty()) {
            String reason = noCandidateReason(task, workType, inPool, capable, exclusions);
            return new RoutingDecision(task.id(), request.attempt(), workType, pool, request.retried(),
                    policy.presetName(), policy.weights(), traits, rule == null ? null : rule.describe(), List.of(),
                    exclusions, mode, reason, 0.0, seed, now);
        }

        Scoring scoring = new Scoring(request, rule, traits, workType, taskType, eligible, now);
        List<ScoredCandidate> ranked = new ArrayList<>(eligible.size());
        SplittableRandom random = seed == null ? null : new SplittableRandom(seed);
        for (AgentState state : eligible) {
            ranked.add(scoring.score(state, random));
        }
        ranked.sort(RANKING);
        double propensity = seed == null ? 1.0 : scoring.propensity(ranked.getFirst(), ranked, seed);
        String reason = chosenReason(ranked, rule, mode, readmitted, request);
        return new RoutingDecision(task.id(), request.attempt(), workType, pool, request.retried(),
                policy.presetName(), policy.weights(), traits, rule == null ? null : rule.describe(), ranked,
                exclusions, mode, reason, propensity, seed, now);
    }

    /**
     * The configured fallback for a decision that found no candidate: the first agent named in
     * {@code fallbacks} that is registered and passes the availability filters (not excluded by the user, online,
     * fresh heartbeat, not cooling down, below its max concurrency, within cost and budget, not already failed on
     * this task). Pool and capability filters and rules are waived: the configuration named the agent. A task
     * pinned to an agent ({@link Placement}) has no fallback: no other agent may take it.
     *
     * @param decided the decision without a candidate
     * @param because why fallbacks are consulted, for the decision's reason (for example "codex failed it")
     * @return a decision for the fallback agent that says it is one, or empty when none can take the task
     */
    public Optional<RoutingDecision> fallback(RoutingRequest request, RoutingDecision decided,
            List<AgentState> agents, List<String> fallbacks, String because, Instant now) {
        if (request.placement().pin() != null) {
            return Optional.empty();
        }
        for (String name : fallbacks) {
            for (AgentState state : agents) {
                if (!state.agent().name().equals(name) || hardFilter(request, null, state, now) != null) {
                    continue;
                }
                TaskTraits traits = request.task().traits();
                String workType = Skills.normalize(traits.workType());
                Scoring scoring = new Scoring(request, null, traits, workType, traits.type().configName(),
                        List.of(state), now);
                ScoredCandidate scored = scoring.score(state, null);
                List<Exclusion> exclusions = new ArrayList<>(decided.exclusions());
                exclusions.removeIf(e -> e.agent().equals(name));
                String reason = "Fallback to " + name + " (config fallbacks): " + because
                        + ", and no agent passed the filters. " + decided.reason();
                return Optional.of(new RoutingDecision(decided.taskId(), decided.attempt(), decided.workType(),
                        decided.pool(), decided.retried(), decided.policyName(), decided.weights(), traits,
                        "fallback: " + because, List.of(scored), exclusions, decided.mode(), reason, 1.0, null,
                        now));
            }
        }
        return Optional.empty();
    }

    private Rule matchingRule(TaskTraits traits) {
        for (Rule rule : rules) {
            if (rule.when().matches(traits)) {
                return rule;
            }
        }
        return null;
    }

    /** The first hard filter that keeps this agent out, or {@code null} when it passes them all. */
    private Exclusion hardFilter(RoutingRequest request, Rule rule, AgentState state, Instant now) {
        RegisteredAgent agent = state.agent();
        AgentProfile profile = agent.profile();
        long tokens = request.task().traits().estimatedTokens();
        // Whoever pinned the task named the agent: neither --exclude nor a rule's pin keeps it out.
        boolean pinned = request.placement().pin() != null;
        if (!pinned && request.excludedAgents().contains(profile.name())) {
            return exclusion(state, ExclusionReason.EXCLUDED_BY_USER, "excluded with --exclude");
        }
        if (!pinned && rule != null && rule.pin() != null && !rule.pin().matches(profile)) {
            return exclusion(state, ExclusionReason.PINNED_ELSEWHERE,
                    "rule '" + rule.name() + "' pins " + rule.pin().describe());
        }
        if (!state.reachable()) {
            return exclusion(state, ExclusionReason.UNREACHABLE, "a remote worker's agent, and this orchestrator has no"
                    + " broker to send it work (--amqp)");
        }
        if (agent.status() == AgentStatus.OFFLINE) {
            return exclusion(state, ExclusionReason.OFFLINE, "status offline");
        }
        if (agent.status() == AgentStatus.BUSY) {
            return exclusion(state, ExclusionReason.BUSY, "status busy");
        }
        // A worker's agent is offline by the database's clock once its workers stop beating (its status says so);
        // its heartbeats are stamped by that clock too, so comparing them with this process's clock would only
        // measure the skew between the two.
        if (agent.lastHeartbeat() != null && agent.origin() != io.switchboard.core.agent.AgentOrigin.WORKER
                && Duration.between(agent.lastHeartbeat(), now).compareTo(policy.heartbeatTimeout()) > 0) {
            return exclusion(state, ExclusionReason.HEARTBEAT_STALE, "last heartbeat " + agent.lastHeartbeat()
                    + " is older than " + policy.heartbeatTimeout().toSeconds() + " s");
        }
        if (state.cooldown() != null && state.cooldown().activeAt(now)) {
            return exclusion(state, ExclusionReason.COOLING_DOWN, "cooling down until " + state.cooldown().until()
                    + (state.cooldown().reason().isEmpty() ? "" : ": " + state.cooldown().reason()));
        }
        if (state.inFlight() >= profile.maxConcurrency()) {
            return exclusion(state, ExclusionReason.AT_MAX_CONCURRENCY,
                    state.inFlight() + " in flight, max_concurrency " + profile.maxConcurrency());
        }
        if (profile.contextLimit() < tokens) {
            return exclusion(state, ExclusionReason.CONTEXT_TOO_SMALL,
                    "context_limit " + profile.contextLimit() + " < estimated " + tokens + " tokens");
        }
        double cost = profile.estimatedCost(tokens);
        if (request.maxCost() != null && cost > request.maxCost()) {
            return exclusion(state, ExclusionReason.OVER_MAX_COST,
                    "estimated " + dollars(cost) + " > --max-cost " + dollars(request.maxCost()));
        }
        if (request.remainingBudget() != null && cost > request.remainingBudget()) {
            return exclusion(state, ExclusionReason.OVER_BUDGET,
                    "estimated " + dollars(cost) + " > remaining budget " + dollars(request.remainingBudget()));
        }
        if (request.failedAgents().contains(profile.name())) {
            return exclusion(state, ExclusionReason.FAILED_THIS_TASK, "already failed this task");
        }
        return null;
    }

    private static Exclusion exclusion(AgentState state, ExclusionReason reason, String detail) {
        return new Exclusion(state.agent().name(), state.agent().id(), reason, detail);
    }

    long decisionSeed(String taskId, int attempt) {
        long h = policy.seed() * 0x9E3779B97F4A7C15L;
        h ^= taskId.hashCode() * 0xC2B2AE3D27D4EB4FL;
        h ^= attempt * 0x165667B19E3779F9L;
        return h;
    }

    /**
     * Per-decision scoring state: the weights, the cost range over the candidates and the preference
     * selectors. Values are computed eagerly; reasons only when a candidate's factors are read.
     */
    private final class Scoring {
        private final RoutingRequest request;
        private final Rule rule;
        private final TaskTraits traits;
        private final String workType;
        private final String taskType;
        private final Instant now;
        private final long tokens;
        private final double minCost;
        private final double maxCost;
        private final double[] weights = new double[FACTORS.length];
        private final Map<String, double[]> posteriors = new java.util.HashMap<>();
        /** The preference reason the matching rule gives, or {@code null}: the same for every agent it prefers. */
        private final String rulePrefers;
        /** The cost reason's range, the same for every candidate: formatted once, when first rendered. */
        private volatile String costRange;

        Scoring(RoutingRequest request, Rule rule, TaskTraits traits, String workType, String taskType,
                List<AgentState> eligible, Instant now) {
            this.request = request;
            this.rule = rule;
            this.traits = traits;
            this.workType = workType;
            this.taskType = taskType;
            this.now = now;
            this.tokens = traits.estimatedTokens();
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (AgentState state : eligible) {
                double cost = state.agent().profile().estimatedCost(tokens);
                min = Math.min(min, cost);
                max = Math.max(max, cost);
            }
            this.minCost = min;
            this.maxCost = max;
            for (Factor factor : FACTORS) {
                weights[factor.ordinal()] = policy.weights().of(factor);
            }
            // What the task itself asks for (a workflow step's preference or pin) replaces the rule's preference.
            boolean asked = request.placement().prefer() != null || request.placement().pin() != null;
            this.rulePrefers = rule != null && rule.prefer() != null && !asked
                    ? "rule '" + rule.name() + "' prefers " + rule.prefer().describe()
                    : null;
        }

        ScoredCandidate score(AgentState state, SplittableRandom random) {
            AgentProfile profile = state.agent().profile();
            double[] values = new double[FACTORS.length];
            values[Factor.SUCCESS_RATE.ordinal()] = successRate(state, random);
            values[Factor.RECENT_CONTEXT.ordinal()] = recent(state) ? 1 : 0;
            values[Factor.SPECIALIZATION.ordinal()] = profile.specializations().contains(workType) ? 1 : 0;
            values[Factor.STRENGTH.ordinal()] = strength(profile);
            values[Factor.COST.ordinal()] = cost(profile);
            values[Factor.CONTEXT_FIT.ordinal()] = Math.clamp(1 - (double) tokens / profile.contextLimit(), 0.0, 1.0);
            values[Factor.AVAILABILITY.ordinal()] = policy.availabilityScores().get(profile.availability());
            values[Factor.LOAD.ordinal()] =
                    Math.clamp(1 - (double) state.inFlight() / profile.maxConcurrency(), 0.0, 1.0);
            values[Factor.PREFERENCE.ordinal()] = preferredBy(profile) != null ? 1 : 0;
            double total = 0;
            for (int i = 0; i < values.length; i++) {
                total += values[i] * weights[i];
            }
            return new ScoredCandidate(profile.name(), state.agent().id(), values, weights, total, state.inFlight(),
                    profile.estimatedCost(tokens), (factor, value) -> reason(factor, value, state));
        }

        private double successRate(AgentState state, SplittableRandom random) {
            if (random != null) {
                double[] ab = posterior(state);
                return BetaSampler.sample(ab[0], ab[1], random);
            }
            if (policy.bayesianPrior()) {
                double[] ab = posterior(state);
                return ab[0] / (ab[0] + ab[1]);
            }
            AgentPerformance perf = state.performance();
            long n = perf.executions();
            // Below min_samples the observed rate is not trusted: 0.5, exactly as first specified.
            return n == 0 || n < policy.minSamples() ? 0.5 : (double) perf.successes() / n;
        }

        /** Beta(α, β) for this agent: the profile's prior plus its decayed outcomes (no prior: Beta(1+s, 1+f)). */
        double[] posterior(AgentState state) {
            return posteriors.computeIfAbsent(state.agent().name(), name -> {
                AgentPerformance perf = state.performance();
                if (!policy.bayesianPrior()) {
                    return new double[] {1 + perf.successes(), 1 + perf.failures()};
                }
                double mean = priorMean(state.agent().profile());
                double alpha0 = policy.priorStrength() * mean;
                double beta0 = policy.priorStrength() * (1 - mean);
                return new double[] {
                    alpha0 + perf.decayedSuccessesAt(now, policy.halfLife()),
                    beta0 + perf.decayedFailuresAt(now, policy.halfLife())
                };
            });
        }

        double priorMean(AgentProfile profile) {
            double mean = PRIOR_MEAN_NEUTRAL;
            if (profile.specializations().contains(workType)) {
                mean += PRIOR_BONUS_SPECIALIST;
            }
            if (profile.strengths().contains(workType) || profile.strengths().contains(taskType)) {
                mean += PRIOR_BONUS_STRENGTH;
            }
            if (profile.weaknesses().contains(workType) || profile.weaknesses().contains(taskType)) {
                mean -= PRIOR_PENALTY_WEAKNESS;
            }
            return Math.clamp(mean, 0.05, 0.95);
        }

        private boolean recent(AgentState state) {
            Instant last = state.lastSuccess();
            return last != null && !last.isAfter(now)
                    && Duration.between(last, now).compareTo(policy.recentWindow()) <= 0;
        }

        private double strength(AgentProfile profile) {
            List<String> needed = traits.neededSkills();
            if (needed.isEmpty()) {
                return 0;
            }
            int strong = 0;
            int weak = 0;
            for (String skill : needed) {
                if (profile.strengths().contains(skill)) {
                    strong++;
                }
                if (profile.weaknesses().contains(skill)) {
                    weak++;
                }
            }
            return Math.clamp((double) (strong - weak) / needed.size(), 0.0, 1.0);
        }

        private double cost(AgentProfile profile) {
            if (maxCost <= minCost) {
                return 1;
            }
            return Math.clamp((maxCost - profile.estimatedCost(tokens)) / (maxCost - minCost), 0.0, 1.0);
        }

        /** What makes this agent preferred ("named by --prefer", a workflow step, a rule), or {@code null}. */
        private String preferredBy(AgentProfile profile) {
            if (profile.name().equals(request.prefer())) {
                return "named by --prefer";
            }
            AgentSelector asked = request.placement().prefer();
            if (asked != null && asked.matches(profile)) {
                return request.placement().askedBy() + " prefers " + asked.describe();
            }
            if (rulePrefers != null && rule.prefer().matches(profile)) {
                return rulePrefers;
            }
            return null;
        }

        private String costRange() {
            String range = costRange;
            if (range == null) {
                range = " between " + dollars(minCost) + " and " + dollars(maxCost) + " over the candidates";
                costRange = range;
            }
            return range;
        }

        /** The one-line reason for a factor's value, rendered when the decision is printed or stored. */
        String reason(Factor factor, double value, AgentState state) {
            AgentProfile profile = state.agent().profile();
            AgentPerformance perf = state.performance();
            return switch (factor) {
                case SUCCESS_RATE -> successReason(value, state, perf);
                case RECENT_CONTEXT -> {
                    Instant last = state.lastSuccess();
                    if (value > 0) {
                        yield "succeeded at " + workType + " " + ago(Duration.between(last, now)) + " ago, within "
                                + ago(policy.recentWindow());
                    }
                    yield last == null
                            ? "no success at " + workType + " on record"
                            : "last success at " + workType + " " + ago(Duration.between(last, now))
                                    + " ago, outside " + ago(policy.recentWindow());
                }
                case SPECIALIZATION -> value > 0 ? "specializes in " + workType
                        : profile.specializations().isEmpty() ? "no specializations"
                        : workType + " is not among " + profile.specializations();
                case STRENGTH -> strengthReason(profile);
                case COST -> maxCost <= minCost
                        ? "estimated " + dollars(profile.estimatedCost(tokens)) + ", the same as every candidate"
                        : "estimated " + dollars(profile.estimatedCost(tokens)) + costRange();
                case CONTEXT_FIT -> "estimated " + tokens + " of " + profile.contextLimit() + " tokens";
                case AVAILABILITY -> profile.availability().configName();
                case LOAD -> state.inFlight() + " of " + profile.maxConcurrency() + " slots in use";
                case PREFERENCE -> {
                    String by = preferredBy(profile);
                    yield by == null ? "not preferred" : by;
                }
            };
        }

        private String successReason(double value, AgentState state, AgentPerformance perf) {
            long s = perf.successes();
            long n = perf.executions();
            if (policy.exploration() == Exploration.THOMPSON) {
                double[] ab = posteriors.get(state.agent().name());
                return String.format(Locale.ROOT, "sampled %.2f from Beta(%.2f, %.2f) (%d of %d on %s succeeded)",
                        value, ab[0], ab[1], s, n, workType);
            }
            if (policy.bayesianPrior()) {
                double[] ab = posteriors.get(state.agent().name());
                return String.format(Locale.ROOT,
                        "posterior mean of Beta(%.2f, %.2f): %d of %d on %s succeeded, prior from profile",
                        ab[0], ab[1], s, n, workType);
            }
            if (n == 0 || n < policy.minSamples()) {
                return n + " outcome" + (n == 1 ? "" : "s") + " on " + workType + ", fewer than min_samples "
                        + policy.minSamples() + ": taken as 0.5";
            }
            return s + " of " + n + " on " + workType + " succeeded";
        }

        private String strengthReason(AgentProfile profile) {
            List<String> needed = traits.neededSkills();
            if (needed.isEmpty()) {
                return "the task names no needed skills";
            }
            long strong = needed.stream().filter(profile.strengths()::contains).count();
            long weak = needed.stream().filter(profile.weaknesses()::contains).count();
            return strong + " of " + needed.size() + " needed skills " + needed + " among strengths"
                    + (weak > 0 ? ", " + weak + " among weaknesses" : "");
        }

        /**
         * The share of replayed Thompson draws in which {@code chosen} comes out on top, with every other
         * factor held as scored. The replays use a generator derived from the decision seed, so the figure
         * is reproducible too.
         */
        double propensity(ScoredCandidate chosen, List<ScoredCandidate> ranked, long seed) {
            if (ranked.size() == 1) {
                return 1.0;
            }
            double weight = weights[Factor.SUCCESS_RATE.ordinal()];
            SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
            int wins = 0;
            for (int draw = 0; draw < PROPENSITY_DRAWS; draw++) {
                ScoredCandidate best = null;
                double bestTotal = Double.NEGATIVE_INFINITY;
                for (ScoredCandidate candidate : ranked) {
                    double[] ab = posteriors.get(candidate.agent());
                    double fixed = candidate.total() - candidate.points(Factor.SUCCESS_RATE);
                    double total = fixed + weight * BetaSampler.sample(ab[0], ab[1], random);
                    if (total > bestTotal || (total == bestTotal && RANKING.compare(candidate, best) < 0)) {
                        best = candidate;
                        bestTotal = total;
                    }
                }
                if (best == chosen) {
                    wins++;
                }
            }
            return (double) wins / PROPENSITY_DRAWS;
        }
    }

    private String chosenReason(List<ScoredCandidate> ranked, Rule rule, Mode mode, boolean readmitted,
            RoutingRequest request) {
        ScoredCandidate chosen = ranked.getFirst();
        StringBuilder text = new StringBuilder();
        text.append(chosen.agent()).append(" scored ").append(points(chosen.total())).append(" of ")
                .append(points(policy.weights().total())).append(" under the ").append(policy.presetName())
                .append(" policy");
        List<FactorScore> top = chosen.factors().stream()
                .filter(f -> f.points() > 0)
                .sorted(Comparator.comparingDouble(FactorScore::points).reversed())
                .limit(3)
                .toList();
        if (!top.isEmpty()) {
            text.append(" (");
            for (int i = 0; i < top.size(); i++) {
                FactorScore factor = top.get(i);
                text.append(i == 0 ? "" : ", ").append(factor.factor().configName()).append(' ')
                        .append(points(factor.points()));
            }
            text.append(')');
        }
        if (ranked.size() == 1) {
            text.append("; it was the only candidate");
        } else {
            ScoredCandidate runnerUp = ranked.get(1);
            double margin = chosen.total() - runnerUp.total();
            text.append("; next was ").append(runnerUp.agent()).append(" with ").append(points(runnerUp.total()));
            if (margin == 0) {
                text.append(", tie broken by ").append(tieBreak(chosen, runnerUp));
            }
        }
        text.append(". Mode ").append(mode.configName());
        if (request.placement().mode() != null) {
            text.append(" as ").append(request.placement().askedBy()).append(" asks");
        } else {
            text.append(rule != null && rule.mode() != null ? " from rule '" + rule.name() + "'" : " (policy default)");
        }
        text.append('.');
        if (rule != null && rule.mode() == null) {
            text.append(" Rule '").append(rule.name()).append("' matched.");
        }
        if (readmitted) {
            text.append(" Every other agent was excluded, so the policy allowed an agent that already failed this task.");
        }
        if (request.prefer() != null && policy.weights().of(Factor.PREFERENCE) == 0) {
            text.append(" Note: --prefer has no effect because the ").append(policy.presetName())
                    .append(" policy gives preference no weight.");
        } else if (request.placement().prefer() != null && policy.weights().of(Factor.PREFERENCE) == 0) {
            text.append(" Note: the preference of ").append(request.placement().askedBy())
                    .append(" has no effect because the ").append(policy.presetName())
                    .append(" policy gives preference no weight.");
        }
        if (request.placement().pin() != null) {
            text.append(" Pinned to ").append(request.placement().pin()).append(" by ")
                    .append(request.placement().askedBy()).append(": no other agent may take it.");
        }
        return text.toString();
    }

    private static String tieBreak(ScoredCandidate chosen, ScoredCandidate runnerUp) {
        if (chosen.inFlight() != runnerUp.inFlight()) {
            return "fewer in-flight attempts (" + chosen.inFlight() + " vs " + runnerUp.inFlight() + ")";
        }
        if (chosen.estimatedCost() != runnerUp.estimatedCost()) {
            return "lower estimated cost (" + dollars(chosen.estimatedCost()) + " vs "
                    + dollars(runnerUp.estimatedCost()) + ")";
        }
        return "name";
    }

    private static String noCandidateReason(Task task, String workType, int inPool, int capable,
            List<Exclusion> exclusions) {
        String pool = task.pool() == null ? "any pool" : "pool '" + task.pool() + "'";
        StringBuilder text = new StringBuilder("No agent can take task ").append(task.id()).append(" (work type ")
                .append(workType).append(", ").append(pool).append("): ");
        if (inPool == 0) {
            return text.append(task.pool() == null ? "no agents are registered" : pool + " has no agents").toString();
        }
        if (capable == 0) {
            return text.append("no agent in ").append(pool).append(" has capability '").append(workType)
                    .append("' or '").append(task.traits().type().configName()).append('\'').toString();
        }
        text.append(capable == 1 ? "the only capable agent is excluded: " : "all " + capable
                + " capable agents are excluded: ");
        int listed = 0;
        for (Exclusion exclusion : exclusions) {
            if (exclusion.reason() == ExclusionReason.NOT_IN_POOL || exclusion.reason() == ExclusionReason.NOT_CAPABLE) {
                continue;
            }
            if (listed == 5) {
                text.append("; …");
                break;
            }
            text.append(listed == 0 ? "" : "; ").append(exclusion.agent()).append(' ')
                    .append(exclusion.reason().configName().replace('_', ' ')).append(" (")
                    .append(exclusion.detail()).append(')');
            listed++;
        }
        return text.toString();
    }

    static String points(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    static String dollars(double value) {
        return String.format(Locale.ROOT, "$%.4f", value);
    }

    static String ago(Duration duration) {
        long minutes = duration.toMinutes();
        if (minutes < 1) {
            return duration.toSeconds() + " s";
        }
        if (minutes < 120) {
            return minutes + " min";
        }
        return duration.toHours() + " h";
    }
}
