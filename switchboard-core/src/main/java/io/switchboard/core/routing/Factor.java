package io.switchboard.core.routing;

import io.switchboard.core.ConfigNamed;
import java.util.Optional;

/** The nine things the router scores a candidate on, each a value in [0, 1] multiplied by its weight. */
public enum Factor implements ConfigNamed {
    /** Posterior mean (or raw rate, under the history preset) of the agent's outcomes on this work type. */
    SUCCESS_RATE("success_rate"),
    /** 1 if the agent succeeded at the same work type within the recent-context window. */
    RECENT_CONTEXT("recent_context"),
    /** 1 if the work type is among the agent's specializations. */
    SPECIALIZATION("specialization"),
    /** Share of the task's needed skills among the agent's strengths, less a penalty for its weaknesses. */
    STRENGTH("strength"),
    /** Cheaper is better, normalised over the candidates. */
    COST("cost"),
    /** Headroom of the context limit over the task's estimated tokens. */
    CONTEXT_FIT("context_fit"),
    /** Local 1, remote 0.8, optional 0.5 (configurable). */
    AVAILABILITY("availability"),
    /** 1 − in-flight attempts ÷ max concurrency. */
    LOAD("load"),
    /** 1 for the agent named by {@code --prefer} or a matching rule. */
    PREFERENCE("preference");

    private final String configName;

    Factor(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    public static Optional<Factor> fromConfigName(String name) {
        return ConfigNamed.find(values(), name);
    }

    @Override
    public String toString() {
        return configName;
    }
}
