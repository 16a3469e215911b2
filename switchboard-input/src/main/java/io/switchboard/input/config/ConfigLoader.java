package io.switchboard.input.config;

import static io.switchboard.input.config.ConfigValues.entries;
import static io.switchboard.input.config.ConfigValues.optional;
import static io.switchboard.input.config.ConfigValues.wholeAtLeast;

import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.config.AgentLimits;
import io.switchboard.core.config.Budgets;
import io.switchboard.core.config.ExecutionSettings;
import io.switchboard.core.config.RetryPolicy;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.remote.WorkerSettings;
import io.switchboard.core.routing.Rule;
import io.switchboard.core.routing.RoutingPolicy;
import io.switchboard.input.InputException;
import io.switchboard.input.SourceText;
import io.switchboard.input.yaml.YamlDocument;
import io.switchboard.input.yaml.YamlValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads Switchboard's configuration: {@code switchboard.yaml} in the working directory (or the file given with
 * {@code --config}) and, when present, {@code .switchboard/agents.yaml}. Both files take the same keys. Their
 * agents are merged; any other section may be set in one of them only. No file at all is a valid, empty
 * configuration.
 *
 * <p>It prints and logs nothing: it returns a {@link SwitchboardConfig} or throws one {@link InputException}
 * naming the file, line and key of the first problem. It never reads an environment variable; {@code env}
 * lists names only.
 */
public final class ConfigLoader {
    /** The main config file, in the working directory. */
    public static final String CONFIG_FILE = "switchboard.yaml";
    /** The agents file kept next to the state, in the working directory. */
    public static final String AGENTS_FILE = ".switchboard/agents.yaml";

    static final Set<String> TOP_LEVEL_KEYS = Set.of("agents", "policy", "rules", "retry", "budgets", "fallbacks",
            "tasks", "execution", "workers");
    private static final Set<String> RETRY_KEYS = Set.of("initial_delay", "multiplier", "max_delay",
            "max_attempts", "deadline");
    private static final Set<String> BUDGET_KEYS = Set.of("per_task", "per_plan", "daily");
    private static final Set<String> WORKER_KEYS = Set.of("heartbeat", "missed_beats", "claim_within");
    private static final Set<String> TASK_KEYS = Set.of("folders");

    private ConfigLoader() {
    }

    /** Reads {@code switchboard.yaml} and {@code .switchboard/agents.yaml} from the directory, those that exist. */
    public static SwitchboardConfig load(Path workingDirectory) {
        return load(workingDirectory, null);
    }

    /**
     * @param configFile the file given with {@code --config} (relative to the working directory unless
     *     absolute), which must exist; {@code null} for {@code switchboard.yaml}, which may be absent
     * @throws InputException for the first problem found in either file
     */
    public static SwitchboardConfig load(Path workingDirectory, Path configFile) {
        List<Source> sources = new ArrayList<>();
        Path main = workingDirectory.resolve(configFile == null ? Path.of(CONFIG_FILE) : configFile);
        if (configFile != null || Files.exists(main)) {
            String name = configFile == null ? CONFIG_FILE : configFile.toString();
            sources.add(new Source(name, SourceText.read(main, name)));
        }
        Path agents = workingDirectory.resolve(AGENTS_FILE);
        if (Files.exists(agents) && !sameFile(main, agents)) {
            sources.add(new Source(AGENTS_FILE, SourceText.read(agents, AGENTS_FILE)));
        }
        return parse(sources);
    }

    /** Reads one config document held in memory; {@code fileName} is what errors and origins call it. */
    public static SwitchboardConfig parse(String fileName, String text) {
        return parse(List.of(new Source(fileName, text)));
    }

    /** A config file's name, as errors should call it, and its text. */
    record Source(String name, String text) {
    }

    static SwitchboardConfig parse(List<Source> sources) {
        if (sources.isEmpty()) {
            return SwitchboardConfig.empty();
        }
        Map<String, YamlValue> sections = new LinkedHashMap<>();
        Map<String, String> sectionOrigins = new LinkedHashMap<>();
        Map<String, AgentDeclaration> agents = new LinkedHashMap<>();
        for (Source source : sources) {
            Optional<YamlValue> parsed = YamlDocument.parse(source.name(), source.text());
            if (parsed.isEmpty() || parsed.get().isNull()) {
                continue;
            }
            YamlValue root = parsed.get();
            Map<String, YamlValue> top = topLevel(root);
            for (Map.Entry<String, YamlValue> section : top.entrySet()) {
                String key = section.getKey();
                String origin = source.name() + ":" + root.keyLine(key);
                if (!key.equals("agents") && sections.putIfAbsent(key, section.getValue()) != null) {
                    throw new InputException(source.name(), root.keyLine(key), key, "is set both in "
                            + sectionOrigins.get(key) + " and " + origin + "; set it in one file only");
                }
                sectionOrigins.putIfAbsent(key, origin);
            }
            for (AgentDeclaration agent : AgentsReader.read(top.get("agents"))) {
                AgentDeclaration earlier = agents.putIfAbsent(agent.name(), agent);
                if (earlier != null) {
                    throw agent.error("agent '" + agent.name() + "' is declared both in " + earlier.origin() + " and "
                            + agent.origin() + "; declare each agent in one place");
                }
            }
        }
        Set<String> agentNames = agents.keySet();
        RoutingPolicy policy = PolicyReader.read(sections.get("policy"));
        List<Rule> rules = RulesReader.read(sections.get("rules"), agentNames);
        RetryPolicy retry = retry(sections.get("retry"));
        Budgets budgets = budgets(sections.get("budgets"));
        Map<String, List<String>> fallbacks = fallbacks(sections.get("fallbacks"), agentNames);
        List<String> taskFolders = taskFolders(sections.get("tasks"));

        List<AgentProfile> profiles = new ArrayList<>();
        Map<String, String> origins = new LinkedHashMap<>();
        Map<String, List<String>> env = new LinkedHashMap<>();
        Map<String, AgentLimits> limits = new LinkedHashMap<>();
        Set<String> bypass = new HashSet<>();
        for (AgentDeclaration agent : agents.values()) {
            if (agent.bypassPermissions()) {
                bypass.add(agent.name());
            }
            profiles.add(agent.profile());
            origins.put(agent.name(), agent.origin());
            if (!agent.env().isEmpty()) {
                env.put(agent.name(), agent.env());
            }
            if (!agent.limits().isNone()) {
                limits.put(agent.name(), agent.limits());
            }
        }
        ExecutionSettings execution = ExecutionReader.read(sections.get("execution"), bypass);
        List<String> names = sources.stream().map(Source::name).toList();
        try {
            return new SwitchboardConfig(profiles, policy, rules, retry, budgets, fallbacks, taskFolders, names,
                    origins, env, limits, execution, workers(sections.get("workers")));
        } catch (IllegalArgumentException | NullPointerException e) {
            // Every part was checked where it was written; this is the last line of defence.
            throw new InputException(names.get(0), 0, null, String.valueOf(e.getMessage()));
        }
    }

    private static Map<String, YamlValue> topLevel(YamlValue root) {
        if (!root.isMap()) {
            throw root.error("not a Switchboard config: expected keys such as agents:, policy: and rules: at the top"
                    + " level, found " + root.describe());
        }
        return root.asMap(TOP_LEVEL_KEYS);
    }

    private static RetryPolicy retry(YamlValue section) {
        Map<String, YamlValue> fields = entries(section, RETRY_KEYS);
        Duration initialDelay = optional(fields, "initial_delay").map(ConfigValues::nonNegativeDuration)
                .orElse(RetryPolicy.DEFAULT_INITIAL_DELAY);
        double multiplier = optional(fields, "multiplier").map(ConfigValues::atLeastOne)
                .orElse(RetryPolicy.DEFAULT_MULTIPLIER);
        Duration maxDelay = optional(fields, "max_delay").map(ConfigValues::positiveDuration)
                .orElse(RetryPolicy.DEFAULT_MAX_DELAY);
        int maxAttempts = optional(fields, "max_attempts").map(value -> wholeAtLeast(value, 1))
                .orElse(RetryPolicy.DEFAULT_MAX_ATTEMPTS);
        Duration deadline = optional(fields, "deadline").map(ConfigValues::positiveDuration).orElse(null);
        if (maxDelay.compareTo(initialDelay) < 0) {
            Optional<YamlValue> maxDelayValue = optional(fields, "max_delay");
            Optional<YamlValue> initialDelayValue = optional(fields, "initial_delay");
            String initialText = initialDelayValue.map(YamlValue::asString)
                    .orElse(text(RetryPolicy.DEFAULT_INITIAL_DELAY) + " by default");
            // With max_delay left at its default, only a written initial_delay can be above it.
            throw maxDelayValue.isPresent()
                    ? maxDelayValue.get().error("must be at least initial_delay (" + initialText + "), was "
                            + maxDelayValue.get().asString())
                    : initialDelayValue.orElseThrow().error("must be at most max_delay (" + text(maxDelay)
                            + " by default), was " + initialText);
        }
        return section == null ? RetryPolicy.defaults()
                : ConfigValues.build(section, () -> new RetryPolicy(initialDelay, multiplier, maxDelay, maxAttempts,
                        deadline));
    }

    private static WorkerSettings workers(YamlValue section) {
        Map<String, YamlValue> fields = entries(section, WORKER_KEYS);
        Duration heartbeat = optional(fields, "heartbeat").map(ConfigValues::positiveDuration)
                .orElse(WorkerSettings.DEFAULT_HEARTBEAT);
        int missedBeats = optional(fields, "missed_beats").map(value -> wholeAtLeast(value, 1))
                .orElse(WorkerSettings.DEFAULT_MISSED_BEATS);
        Duration claimWithin = optional(fields, "claim_within").map(ConfigValues::positiveDuration)
                .orElse(WorkerSettings.DEFAULT_CLAIM_WITHIN);
        if (heartbeat.compareTo(WorkerSettings.MIN_HEARTBEAT) < 0) {
            YamlValue value = fields.get("heartbeat");
            throw value.error("must be at least " + WorkerSettings.MIN_HEARTBEAT.toMillis() + "ms, was "
                    + value.asString());
        }
        return section == null ? WorkerSettings.defaults()
                : ConfigValues.build(section, () -> new WorkerSettings(heartbeat, missedBeats, claimWithin));
    }

    private static Budgets budgets(YamlValue section) {
        Map<String, YamlValue> fields = entries(section, BUDGET_KEYS);
        Double perTask = optional(fields, "per_task").map(ConfigValues::zeroOrMore).orElse(null);
        Double perPlan = optional(fields, "per_plan").map(ConfigValues::zeroOrMore).orElse(null);
        Double daily = optional(fields, "daily").map(ConfigValues::zeroOrMore).orElse(null);
        return new Budgets(perTask, perPlan, daily);
    }

    private static Map<String, List<String>> fallbacks(YamlValue section, Set<String> agentNames) {
        Map<String, List<String>> fallbacks = new LinkedHashMap<>();
        if (section == null || section.isNull()) {
            return fallbacks;
        }
        for (Map.Entry<String, YamlValue> entry : section.asMap().entrySet()) {
            String agent = entry.getKey();
            if (!agentNames.contains(agent)) {
                throw new InputException(section.file(), section.keyLine(agent), entry.getValue().path(),
                        AgentsReader.notDeclared(agent, agentNames));
            }
            List<String> next = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            YamlValue value = entry.getValue();
            for (YamlValue item : value.isNull() ? List.<YamlValue>of() : ConfigValues.items(value)) {
                String fallback = item.asString();
                if (!agentNames.contains(fallback)) {
                    throw item.error(AgentsReader.notDeclared(fallback, agentNames));
                }
                if (fallback.equals(agent)) {
                    throw item.error("agent '" + agent + "' cannot fall back to itself");
                }
                if (!seen.add(fallback)) {
                    throw item.error("'" + fallback + "' is listed twice");
                }
                next.add(fallback);
            }
            fallbacks.put(agent, next);
        }
        return fallbacks;
    }

    private static List<String> taskFolders(YamlValue section) {
        Map<String, YamlValue> fields = entries(section, TASK_KEYS);
        return optional(fields, "folders").map(ConfigValues::names).orElse(SwitchboardConfig.DEFAULT_TASK_FOLDERS);
    }

    private static String text(Duration duration) {
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
