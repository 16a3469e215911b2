package io.switchboard.core.config;

import static io.switchboard.core.Require.require;

import io.switchboard.core.agent.Skills;
import io.switchboard.core.task.Task;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How agents are run: which of Switchboard's own environment variables they may see, default limits, the
 * verification command per work type, cooldowns, and which agents may skip their CLI's permission checks.
 *
 * @param envAllowList names of variables passed from Switchboard's environment to every agent (an agent's own
 *     {@code env} list adds to it)
 * @param timeout the wall-clock limit of an attempt when neither the agent nor the task sets one
 * @param idleTimeout the idle-output limit of an attempt when neither the agent nor the task sets one
 * @param grace how long a stopped agent gets between TERM and KILL
 * @param verifyTimeout the limit of a verification command
 * @param verifyByWorkType per work type, a verification command (split into words, no shell) used when the task
 *     names none
 * @param bypassPermissions agents the configuration explicitly allows to skip their CLI's permission checks in
 *     {@code full-auto} mode
 */
public record ExecutionSettings(
        List<String> envAllowList,
        Duration timeout,
        Duration idleTimeout,
        Duration grace,
        Duration verifyTimeout,
        Map<String, String> verifyByWorkType,
        CooldownPolicy cooldowns,
        Set<String> bypassPermissions) {

    /** The variables every agent sees by default: enough for a CLI to find its tools, home and locale. */
    public static final List<String> DEFAULT_ENV_ALLOW_LIST =
            List.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TERM", "TMPDIR", "SHELL");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_VERIFY_TIMEOUT = Duration.ofMinutes(15);
    /** No limit above this is believed: a typo such as {@code 3000h}. */
    public static final Duration LONGEST_LIMIT = Duration.ofDays(7);

    public ExecutionSettings {
        envAllowList = List.copyOf(envAllowList);
        for (String name : envAllowList) {
            require(SwitchboardConfig.ENV_NAME.matcher(name).matches(), "env_allow names must match %s, was '%s'",
                    SwitchboardConfig.ENV_NAME, name);
        }
        checkLimit("timeout", timeout);
        checkLimit("idle_timeout", idleTimeout);
        Objects.requireNonNull(grace, "grace");
        require(!grace.isNegative() && grace.compareTo(Duration.ofMinutes(10)) <= 0,
                "grace must be between 0 and 10m, was %s", grace);
        checkLimit("verify_timeout", verifyTimeout);
        verifyByWorkType = Map.copyOf(new LinkedHashMap<>(verifyByWorkType));
        verifyByWorkType.forEach((workType, command) -> require(!command.isBlank(),
                "the verify command of work type %s must not be empty", workType));
        Objects.requireNonNull(cooldowns, "cooldowns");
        bypassPermissions = Set.copyOf(bypassPermissions);
    }

    public static ExecutionSettings defaults() {
        return new ExecutionSettings(DEFAULT_ENV_ALLOW_LIST, DEFAULT_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_GRACE,
                DEFAULT_VERIFY_TIMEOUT, Map.of(), CooldownPolicy.defaults(), Set.of());
    }

    /** Checks a time limit given anywhere (config, task, command line): more than zero, at most a week. */
    public static void checkLimit(String key, Duration limit) {
        Objects.requireNonNull(limit, key);
        require(limit.isPositive(), "%s must be more than zero, was %s", key, RetryPolicy.text(limit));
        require(limit.compareTo(LONGEST_LIMIT) <= 0, "%s of %s is beyond the longest allowed (%s)", key,
                RetryPolicy.text(limit), RetryPolicy.text(LONGEST_LIMIT));
    }

    public String describe() {
        return "timeout " + RetryPolicy.text(timeout) + ", idle " + RetryPolicy.text(idleTimeout) + ", grace "
                + RetryPolicy.text(grace) + "; environment allowed: " + String.join(", ", envAllowList)
                + "; cooldowns: " + cooldowns.describe()
                + (verifyByWorkType.isEmpty() ? "" : "; verify for " + String.join(", ", verifyByWorkType.keySet()))
                + (bypassPermissions.isEmpty() ? "" : "; may bypass permissions: "
                        + String.join(", ", bypassPermissions.stream().sorted().toList()));
    }

    /**
     * A task's verification command as one line: its own, else the one configured for its work type; {@code null}
     * for none.
     */
    public String verifyLine(Task task) {
        String line = task.draft().verify();
        return line != null ? line
                : verifyByWorkType.get(Skills.normalize(task.traits().workType()));
    }
}
