package io.switchboard.core.execution;

import io.switchboard.core.config.SwitchboardConfig;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an agent may see of the environment, and which of those values are secrets to redact: the same rules wherever
 * an agent runs, in an orchestrator's dispatcher or on a remote worker.
 *
 * @param hostEnvironment the running process's own environment, from which allowed variables are passed on
 * @param overrides variables set for this run ({@code --env}); each reaches an agent only if allowed for it
 */
public record AgentEnvironment(SwitchboardConfig config, Map<String, String> hostEnvironment,
        Map<String, String> overrides) {
    /** Names of variables whose values are secrets even when no agent lists them as its own. */
    private static final Pattern SECRET_NAME =
            Pattern.compile(".*(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH).*");
    /** Values shorter than this are not redacted: "1" or "on" would blank out half the output. */
    private static final int SHORTEST_SECRET = 4;

    public AgentEnvironment {
        Objects.requireNonNull(config, "config");
        hostEnvironment = Map.copyOf(hostEnvironment);
        overrides = Map.copyOf(overrides);
    }

    /**
     * What the agent may see: the allow-list and the agent's own variables, taken from the host's environment, then
     * the overrides that the agent is allowed.
     */
    public Map<String, String> environmentFor(String agent) {
        Set<String> allowed = new HashSet<>(config.execution().envAllowList());
        allowed.addAll(config.envFor(agent));
        Map<String, String> environment = new HashMap<>();
        for (String name : allowed) {
            String value = hostEnvironment.get(name);
            if (value != null) {
                environment.put(name, value);
            }
        }
        overrides.forEach((name, value) -> {
            if (allowed.contains(name)) {
                environment.put(name, value);
            }
        });
        return environment;
    }

    /** The agent's own variables, any that look secret, and the overrides: redacted from everything kept. */
    public Set<String> secretsIn(String agent, Map<String, String> environment) {
        Set<String> own = new HashSet<>(config.envFor(agent));
        Set<String> secrets = new HashSet<>();
        environment.forEach((name, value) -> {
            if ((own.contains(name) || SECRET_NAME.matcher(name).matches() || overrides.containsKey(name))
                    && value.length() >= SHORTEST_SECRET) {
                secrets.add(value);
            }
        });
        return secrets;
    }
}
