package io.switchboard.core.config;

import static io.switchboard.core.Require.require;

import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.remote.WorkerSettings;
import io.switchboard.core.routing.AgentSelector;
import io.switchboard.core.routing.Factor;
import io.switchboard.core.routing.Rule;
import io.switchboard.core.routing.RoutingPolicy;
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
 * Everything {@code switchboard.yaml} (and {@code .switchboard/agents.yaml}) declares, validated as a whole:
 * agent names are unique, and every agent a rule or a fallback names is declared.
 *
 * @param agents the declared agents, in the order they were declared
 * @param policy how the router weighs candidates
 * @param rules the routing rules, tried in order; empty for none
 * @param retry how failed tasks are retried
 * @param budgets spending limits
 * @param fallbacks per agent, the agents to try next (in order) when it fails
 * @param taskFolders folders searched for task files, as written (relative ones are relative to the working
 *     directory)
 * @param sources the files this configuration was read from, as the user would name them; empty when none
 *     existed
 * @param agentOrigins per agent, where it was declared, as {@code file:line}
 * @param agentEnv per agent, the names (never the values) of the environment variables passed to it
 * @param agentLimits per agent that sets any, its timeouts
 * @param execution how agents are run: environment allow-list, default limits, verification, cooldowns
 * @param workers how a {@code switchboard worker} started with this configuration heartbeats
 */
public record SwitchboardConfig(
        List<AgentProfile> agents,
        RoutingPolicy policy,
        List<Rule> rules,
        RetryPolicy retry,
        Budgets budgets,
        Map<String, List<String>> fallbacks,
        List<String> taskFolders,
        List<String> sources,
        Map<String, String> agentOrigins,
        Map<String, List<String>> agentEnv,
        Map<String, AgentLimits> agentLimits,
        ExecutionSettings execution,
        WorkerSettings workers) {

    public static final List<String> DEFAULT_TASK_FOLDERS = List.of("tasks", ".switchboard/tasks");

    /** What an environment variable name passed to an agent may look like. */
    public static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");

    public SwitchboardConfig {
        agents = List.copyOf(agents);
        Objects.requireNonNull(policy, "policy");
        rules = List.copyOf(rules);
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(budgets, "budgets");
        taskFolders = List.copyOf(taskFolders);
        sources = List.copyOf(sources);

        Set<String> names = new HashSet<>();
        for (AgentProfile agent : agents) {
            require(names.add(agent.name()), "agent %s is declared twice", agent.name());
        }
        for (Rule rule : rules) {
            requireDeclared(names, rule.prefer(), "rule " + rule.name() + " prefers");
            requireDeclared(names, rule.pin(), "rule " + rule.name() + " pins");
        }
        LinkedHashMap<String, List<String>> fallbackCopy = new LinkedHashMap<>();
        fallbacks.forEach((agent, next) -> {
            require(names.contains(agent), "fallbacks name agent %s, which is not declared", agent);
            require(!next.contains(agent), "agent %s falls back to itself", agent);
            require(new HashSet<>(next).size() == next.size(), "fallbacks of %s repeat an agent: %s", agent, next);
            for (String fallback : next) {
                require(names.contains(fallback), "%s falls back to agent %s, which is not declared", agent, fallback);
            }
            fallbackCopy.put(agent, List.copyOf(next));
        });
        fallbacks = Collections.unmodifiableMap(fallbackCopy);
        for (String folder : taskFolders) {
            require(!folder.isBlank(), "a task folder must not be blank, was '%s'", folder);
        }
        agentOrigins = copyFor(names, agentOrigins, "origin");
        agentEnv.forEach((agent, variables) -> variables.forEach(variable -> require(
                ENV_NAME.matcher(variable).matches(),
                "environment variable name of %s must match %s, was '%s'", agent, ENV_NAME, variable)));
        Map<String, List<String>> envCopy = new LinkedHashMap<>();
        agentEnv.forEach((agent, variables) -> envCopy.put(agent, List.copyOf(variables)));
        agentEnv = copyFor(names, envCopy, "environment");
        agentLimits = copyFor(names, agentLimits, "limits");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(workers, "workers");
        for (String agent : execution.bypassPermissions()) {
            require(names.contains(agent), "bypass_permissions given for agent %s, which is not declared", agent);
        }
    }

    /** A configuration with the workers' settings at their defaults. */
    public SwitchboardConfig(List<AgentProfile> agents, RoutingPolicy policy, List<Rule> rules, RetryPolicy retry,
            Budgets budgets, Map<String, List<String>> fallbacks, List<String> taskFolders, List<String> sources,
            Map<String, String> agentOrigins, Map<String, List<String>> agentEnv, Map<String, AgentLimits> agentLimits,
            ExecutionSettings execution) {
        this(agents, policy, rules, retry, budgets, fallbacks, taskFolders, sources, agentOrigins, agentEnv,
                agentLimits, execution, WorkerSettings.defaults());
    }

    /** No agents, no files, every setting at its default: what a directory without a config file means. */
    public static SwitchboardConfig empty() {
        return new SwitchboardConfig(List.of(), RoutingPolicy.defaults(), Rule.defaults(), RetryPolicy.defaults(),
                Budgets.UNLIMITED, Map.of(), DEFAULT_TASK_FOLDERS, List.of(), Map.of(), Map.of(), Map.of(),
                ExecutionSettings.defaults());
    }

    public Optional<AgentProfile> agent(String name) {
        return agents.stream().filter(agent -> agent.name().equals(name)).findFirst();
    }

    /** Where the agent was declared ({@code switchboard.yaml:12}), or empty when config does not declare it. */
    public Optional<String> originOf(String agentName) {
        return Optional.ofNullable(agentOrigins.get(agentName));
    }

    /** The names of the environment variables to pass to the agent; empty when none are listed. */
    public List<String> envFor(String agentName) {
        return agentEnv.getOrDefault(agentName, List.of());
    }

    public AgentLimits limitsFor(String agentName) {
        return agentLimits.getOrDefault(agentName, AgentLimits.NONE);
    }

    public List<String> fallbacksFor(String agentName) {
        return fallbacks.getOrDefault(agentName, List.of());
    }

    /**
     * A short summary of the effective configuration, one line per section, for the CLI to log once at start.
     * It holds no secret: configuration never contains environment values, only their names.
     */
    public String describe() {
        List<String> lines = new ArrayList<>();
        lines.add("configuration: " + (sources.isEmpty() ? "no file, defaults" : String.join(", ", sources)));
        lines.add("agents: " + (agents.isEmpty() ? "none"
                : agents.size() + " (" + String.join(", ", agents.stream().map(AgentProfile::name).toList()) + ")"));
        lines.add("policy: preset " + policy.presetName() + "; weights " + weightsText() + "; min_samples "
                + policy.minSamples() + "; bayesian_prior " + (policy.bayesianPrior() ? "on" : "off")
                + "; exploration " + policy.exploration().configName() + "; default mode "
                + policy.defaultMode().configName());
        lines.add("rules: " + (rules.isEmpty() ? "none"
                : rules.size() + " (" + String.join(", ", rules.stream().map(Rule::name).toList()) + ")"));
        lines.add("retry: " + retry.describe());
        lines.add("budgets: " + (budgets.isUnlimited() ? "unlimited" : budgets.describe()));
        if (!fallbacks.isEmpty()) {
            List<String> chains = new ArrayList<>();
            fallbacks.forEach((agent, next) -> chains.add(agent + " -> " + String.join(", ", next)));
            lines.add("fallbacks: " + String.join("; ", chains));
        }
        if (!agentEnv.isEmpty()) {
            List<String> passed = new ArrayList<>();
            agentEnv.forEach((agent, variables) -> passed.add(agent + ": " + String.join(", ", variables)));
            lines.add("environment passed (names only): " + String.join("; ", passed));
        }
        lines.add("execution: " + execution.describe());
        lines.add("workers: " + workers.describe());
        lines.add("task folders: " + String.join(", ", taskFolders));
        return String.join("\n", lines);
    }

    private String weightsText() {
        List<String> parts = new ArrayList<>();
        for (Factor factor : Factor.values()) {
            double points = policy.weights().of(factor);
            if (points > 0) {
                parts.add(factor.configName() + " " + Numbers.plain(points));
            }
        }
        return String.join(", ", parts);
    }

    private static void requireDeclared(Set<String> names, AgentSelector selector, String what) {
        if (selector != null && selector.agentName() != null) {
            require(names.contains(selector.agentName()), "%s agent %s, which is not declared", what,
                    selector.agentName());
        }
    }

    private static <V> Map<String, V> copyFor(Set<String> names, Map<String, V> perAgent, String what) {
        LinkedHashMap<String, V> copy = new LinkedHashMap<>();
        perAgent.forEach((agent, value) -> {
            require(names.contains(agent), "%s given for agent %s, which is not declared", what, agent);
            copy.put(agent, Objects.requireNonNull(value, what));
        });
        return Collections.unmodifiableMap(copy);
    }
}
