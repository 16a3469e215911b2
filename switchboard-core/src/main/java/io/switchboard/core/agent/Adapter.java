package io.switchboard.core.agent;

import io.switchboard.core.ConfigNamed;
import java.util.Locale;
import java.util.Optional;

/** The kind of program behind an agent; each knows that CLI's command line per {@link Mode}. */
public enum Adapter implements ConfigNamed {
    CLAUDE_CODE("claude-code"),
    CODEX("codex"),
    GEMINI("gemini"),
    CURSOR("cursor"),
    AIDER("aider"),
    COMMAND("command");

    private final String configName;

    Adapter(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    public static Optional<Adapter> fromConfigName(String name) {
        return ConfigNamed.find(values(), name);
    }

    /**
     * Infers the adapter from a well-known agent name, so that a plain profile file that names its agents
     * {@code claude-code}, {@code codex-cli}, {@code gemini-cli}, {@code cursor} or {@code aider} loads
     * without an {@code adapter} key. Anything else is a {@link #COMMAND}.
     */
    public static Adapter inferFromAgentName(String agentName) {
        String name = agentName.toLowerCase(Locale.ROOT);
        if (name.startsWith("claude")) {
            return CLAUDE_CODE;
        }
        if (name.startsWith("codex")) {
            return CODEX;
        }
        if (name.startsWith("gemini")) {
            return GEMINI;
        }
        if (name.startsWith("cursor")) {
            return CURSOR;
        }
        if (name.startsWith("aider")) {
            return AIDER;
        }
        return COMMAND;
    }

    public static String allowedNames() {
        StringBuilder names = new StringBuilder();
        for (Adapter adapter : values()) {
            names.append(names.isEmpty() ? "" : ", ").append(adapter.configName);
        }
        return names.toString();
    }
}
