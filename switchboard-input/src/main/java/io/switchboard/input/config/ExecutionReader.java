package io.switchboard.input.config;

import static io.switchboard.input.config.ConfigValues.entries;
import static io.switchboard.input.config.ConfigValues.optional;

import io.switchboard.core.agent.Skills;
import io.switchboard.core.config.CooldownPolicy;
import io.switchboard.core.config.ExecutionSettings;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.input.yaml.YamlValue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code execution:} section: the environment allow-list, default limits, verification commands per
 * work type and cooldowns. Every key is optional; every value is checked where it is written.
 */
final class ExecutionReader {
    static final Set<String> KEYS = Set.of("env_allow", "timeout", "idle_timeout", "grace", "verify_timeout",
            "verify", "cooldowns");
    private static final Set<String> COOLDOWN_KEYS = Set.of("quota", "failure_window", "failure_min_attempts",
            "failure_cooldown");

    private ExecutionReader() {
    }

    /**
     * @param bypass the agents whose declarations set {@code bypass_permissions: true}
     */
    static ExecutionSettings read(YamlValue section, Set<String> bypass) {
        Map<String, YamlValue> fields = entries(section, KEYS);
        List<String> allow = optional(fields, "env_allow").map(ExecutionReader::envNames)
                .orElse(ExecutionSettings.DEFAULT_ENV_ALLOW_LIST);
        Duration timeout = optional(fields, "timeout").map(ConfigValues::limit)
                .orElse(ExecutionSettings.DEFAULT_TIMEOUT);
        Duration idle = optional(fields, "idle_timeout").map(ConfigValues::limit)
                .orElse(ExecutionSettings.DEFAULT_IDLE_TIMEOUT);
        Duration grace = optional(fields, "grace").map(ExecutionReader::grace).orElse(ExecutionSettings.DEFAULT_GRACE);
        Duration verifyTimeout = optional(fields, "verify_timeout").map(ConfigValues::limit)
                .orElse(ExecutionSettings.DEFAULT_VERIFY_TIMEOUT);
        Map<String, String> verify = optional(fields, "verify").map(ExecutionReader::verify).orElse(Map.of());
        CooldownPolicy cooldowns = optional(fields, "cooldowns").map(ExecutionReader::cooldowns)
                .orElse(CooldownPolicy.defaults());
        return section == null
                ? new ExecutionSettings(allow, timeout, idle, grace, verifyTimeout, verify, cooldowns, bypass)
                : ConfigValues.build(section, () -> new ExecutionSettings(allow, timeout, idle, grace, verifyTimeout,
                        verify, cooldowns, bypass));
    }

    private static List<String> envNames(YamlValue value) {
        List<String> names = ConfigValues.argv(value, "[PATH, HOME, LANG]");
        for (YamlValue item : ConfigValues.items(value)) {
            if (!SwitchboardConfig.ENV_NAME.matcher(item.asString()).matches()) {
                throw item.error("'" + item.asString() + "' is not an environment variable name (upper-case letters,"
                        + " digits and _)");
            }
        }
        return names;
    }

    private static Duration grace(YamlValue value) {
        Duration grace = ConfigValues.nonNegativeDuration(value);
        if (grace.compareTo(Duration.ofMinutes(10)) > 0) {
            throw value.error("must be at most 10m, was " + value.asString());
        }
        return grace;
    }

    private static Map<String, String> verify(YamlValue value) {
        Map<String, String> commands = new LinkedHashMap<>();
        for (Map.Entry<String, YamlValue> entry : value.asMap().entrySet()) {
            YamlValue command = entry.getValue();
            if (command.isNull() || !command.isScalar() || command.asString().isBlank()) {
                throw command.error("the verify command of work type '" + entry.getKey()
                        + "' must not be empty; write the command to run, such as \"mvn -q test\"");
            }
            commands.put(Skills.normalize(entry.getKey()), command.asString());
        }
        return commands;
    }

    private static CooldownPolicy cooldowns(YamlValue value) {
        Map<String, YamlValue> fields = entries(value, COOLDOWN_KEYS);
        Duration quota = optional(fields, "quota").map(ConfigValues::limit).orElse(CooldownPolicy.DEFAULT_QUOTA);
        Duration window = optional(fields, "failure_window").map(ConfigValues::limit)
                .orElse(CooldownPolicy.DEFAULT_FAILURE_WINDOW);
        int min = optional(fields, "failure_min_attempts").map(v -> ConfigValues.wholeAtLeast(v, 1))
                .orElse(CooldownPolicy.DEFAULT_FAILURE_MIN_ATTEMPTS);
        Duration cool = optional(fields, "failure_cooldown").map(ConfigValues::limit)
                .orElse(CooldownPolicy.DEFAULT_FAILURE_COOLDOWN);
        return new CooldownPolicy(quota, window, min, cool);
    }
}
