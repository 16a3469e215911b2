package io.switchboard.input.config;

import static io.switchboard.input.config.ConfigValues.argv;
import static io.switchboard.input.config.ConfigValues.entries;
import static io.switchboard.input.config.ConfigValues.items;
import static io.switchboard.input.config.ConfigValues.oneOf;
import static io.switchboard.input.config.ConfigValues.optional;
import static io.switchboard.input.config.ConfigValues.wholeAtLeast;

import io.switchboard.core.agent.Adapter;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Availability;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.config.AgentLimits;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.input.InputException;
import io.switchboard.input.yaml.YamlValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the {@code agents:} section: a mapping of name to profile, or a list of profiles that each carry a
 * {@code name}. Cross-file checks (the same name in two files) are the loader's.
 */
final class AgentsReader {
    /** Names appear on command lines and in logs, so they are kept to characters that need no quoting. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    static final Set<String> KEYS = Set.of("adapter", "agent_type", "pool", "capabilities", "specializations",
            "strengths", "weaknesses", "cost_per_1k_tokens", "context_limit", "availability", "max_concurrency",
            "modes", "command", "env", "timeout", "idle_timeout", "bypass_permissions");

    private static final Set<String> LIST_ITEM_KEYS = withName(KEYS);
    private static final Set<String> MODE_NAMES = modeNames();
    private static final String COMMAND_EXAMPLE = "[./bin/my-agent, --json]";

    private AgentsReader() {
    }

    static List<AgentDeclaration> read(YamlValue section) {
        if (section == null || section.isNull()) {
            return List.of();
        }
        if (section.isMap()) {
            List<AgentDeclaration> agents = new ArrayList<>();
            for (Map.Entry<String, YamlValue> entry : section.asMap().entrySet()) {
                YamlValue body = entry.getValue();
                agents.add(declaration(entry.getKey(), section.file(), section.keyLine(entry.getKey()), body.path(),
                        entries(body, KEYS)));
            }
            return agents;
        }
        if (!section.isList()) {
            throw section.error("expected a mapping of agent names to profiles (or a list of profiles, each with a"
                    + " name), found " + section.describe());
        }
        Map<String, AgentDeclaration> byName = new LinkedHashMap<>();
        for (YamlValue item : section.asList()) {
            if (!item.isMap()) {
                throw item.error("expected an agent profile (key: value lines with a name), found " + item.describe());
            }
            Map<String, YamlValue> fields = item.asMap(LIST_ITEM_KEYS);
            YamlValue nameValue = fields.get("name");
            if (nameValue == null || nameValue.isNull()) {
                throw item.error("an agent in a list needs a name: key");
            }
            AgentDeclaration agent = declaration(nameValue.asString(), item.file(), nameValue.line(), item.path(),
                    fields);
            AgentDeclaration earlier = byName.putIfAbsent(agent.name(), agent);
            if (earlier != null) {
                throw nameValue.error("agent '" + agent.name() + "' is declared twice, at " + earlier.origin()
                        + " and " + agent.origin() + "; agent names must be unique");
            }
        }
        return List.copyOf(byName.values());
    }

    private static AgentDeclaration declaration(String name, String file, int line, String path,
            Map<String, YamlValue> fields) {
        if (!NAME.matcher(name).matches()) {
            throw new InputException(file, line, path, "agent name '" + name + "' must start with a letter or digit"
                    + " and hold only letters, digits, '.', '_' and '-'");
        }
        boolean adapterInferred = !fields.containsKey("adapter") || fields.get("adapter").isNull();
        Adapter adapter = optional(fields, "adapter")
                .map(value -> oneOf(value, Adapter.values(), Adapter::configName, "adapter"))
                .orElseGet(() -> Adapter.inferFromAgentName(name));
        String agentType = optional(fields, "agent_type").map(YamlValue::asString).orElse(null);
        String pool = optional(fields, "pool").map(YamlValue::asString).orElse(null);
        List<String> capabilities = optional(fields, "capabilities").map(ConfigValues::names).orElse(List.of());
        List<String> specializations = optional(fields, "specializations").map(ConfigValues::names).orElse(List.of());
        List<String> strengths = optional(fields, "strengths").map(ConfigValues::names).orElse(List.of());
        List<String> weaknesses = optional(fields, "weaknesses").map(ConfigValues::names).orElse(List.of());
        double cost = optional(fields, "cost_per_1k_tokens").map(ConfigValues::zeroOrMore).orElse(0.0);
        int contextLimit = optional(fields, "context_limit").map(value -> wholeAtLeast(value, 1))
                .orElse(AgentProfile.DEFAULT_CONTEXT_LIMIT);
        Availability availability = optional(fields, "availability")
                .map(value -> oneOf(value, Availability.values(), Availability::configName, "availability"))
                .orElse(Availability.LOCAL);
        int maxConcurrency = optional(fields, "max_concurrency").map(value -> wholeAtLeast(value, 1))
                .orElse(AgentProfile.DEFAULT_MAX_CONCURRENCY);
        Map<Mode, List<String>> modeFlags = optional(fields, "modes").map(AgentsReader::modeFlags).orElse(Map.of());
        List<String> command = command(name, file, line, path, adapter, adapterInferred, fields);
        List<String> env = optional(fields, "env").map(AgentsReader::envNames).orElse(List.of());
        Duration timeout = optional(fields, "timeout").map(ConfigValues::limit).orElse(null);
        Duration idleTimeout = optional(fields, "idle_timeout").map(ConfigValues::limit).orElse(null);
        boolean bypass = optional(fields, "bypass_permissions").map(ConfigValues::bool).orElse(false);
        try {
            AgentProfile profile = new AgentProfile(name, adapter, agentType, pool, capabilities, specializations,
                    strengths, weaknesses, cost, contextLimit, availability, maxConcurrency, modeFlags, command);
            return new AgentDeclaration(profile, file, line, path, env, new AgentLimits(timeout, idleTimeout),
                    bypass);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InputException(file, line, path, String.valueOf(e.getMessage()));
        }
    }

    private static Map<Mode, List<String>> modeFlags(YamlValue modes) {
        EnumMap<Mode, List<String>> flags = new EnumMap<>(Mode.class);
        for (Map.Entry<String, YamlValue> entry : modes.asMap(MODE_NAMES).entrySet()) {
            Mode mode = Mode.fromConfigName(entry.getKey()).orElseThrow();
            YamlValue value = entry.getValue();
            flags.put(mode, value.isNull() ? List.of() : argv(value, "[--permission-mode, plan]"));
        }
        return flags;
    }

    private static List<String> command(String name, String file, int line, String path, Adapter adapter,
            boolean adapterInferred, Map<String, YamlValue> fields) {
        YamlValue value = fields.get("command");
        boolean given = value != null && !value.isNull();
        if (adapter != Adapter.COMMAND) {
            // For a known CLI, a command replaces only its program (one installed elsewhere, or a stand-in).
            List<String> program = given ? argv(value, "[/opt/bin/" + adapter.configName() + "]") : List.of();
            if (given && program.isEmpty()) {
                throw value.error("must name the program to run in place of the " + adapter.configName()
                        + " CLI, or be left out");
            }
            return program;
        }
        if (!given) {
            throw new InputException(file, line, path, "adapter command needs a command list, such as command: "
                    + COMMAND_EXAMPLE + (adapterInferred
                            ? " (the adapter was inferred from the name '" + name + "'; if it is one of "
                                    + "claude-code, codex, gemini, cursor or aider, set adapter:)"
                            : ""));
        }
        List<String> argv = argv(value, COMMAND_EXAMPLE);
        if (argv.isEmpty()) {
            throw value.error("must name at least the program to run, such as " + COMMAND_EXAMPLE);
        }
        return argv;
    }

    /** Only names: a value written here would be a secret in a file, so a mapping is refused outright. */
    private static List<String> envNames(YamlValue env) {
        if (env.isMap()) {
            throw env.error("list the names of the environment variables to pass, such as [ANTHROPIC_API_KEY];"
                    + " their values come from the environment at run time and never from this file");
        }
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (YamlValue item : items(env)) {
            String variable = item.asString();
            if (!SwitchboardConfig.ENV_NAME.matcher(variable).matches()) {
                throw item.error("'" + variable + "' is not an environment variable name (upper-case letters,"
                        + " digits and '_', not starting with a digit)");
            }
            if (!seen.add(variable)) {
                throw item.error("'" + variable + "' is listed twice");
            }
            names.add(variable);
        }
        return names;
    }

    /** The problem with a reference (from a rule or a fallback) to an agent no config file declares. */
    static String notDeclared(String name, Set<String> agentNames) {
        return "no agent named '" + name + "' is declared ("
                + (agentNames.isEmpty() ? "no agents are" : "declared: "
                        + String.join(", ", agentNames.stream().sorted().toList()))
                + ")";
    }

    private static Set<String> withName(Set<String> keys) {
        Set<String> all = new HashSet<>(keys);
        all.add("name");
        return Set.copyOf(all);
    }

    private static Set<String> modeNames() {
        Set<String> names = new HashSet<>();
        for (Mode mode : Mode.values()) {
            names.add(mode.configName());
        }
        return Set.copyOf(names);
    }
}
