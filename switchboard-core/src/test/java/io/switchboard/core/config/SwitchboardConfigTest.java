package io.switchboard.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.routing.AgentSelector;
import io.switchboard.core.routing.Rule;
import io.switchboard.core.routing.RuleCondition;
import io.switchboard.core.routing.RoutingPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SwitchboardConfigTest {

    @Test
    void emptyConfigHasNoAgentsAndEveryDefault() {
        SwitchboardConfig config = SwitchboardConfig.empty();

        assertThat(config.agents()).isEmpty();
        assertThat(config.policy()).isEqualTo(RoutingPolicy.defaults());
        assertThat(config.rules()).isEqualTo(Rule.defaults());
        assertThat(config.retry()).isEqualTo(RetryPolicy.defaults());
        assertThat(config.budgets()).isEqualTo(Budgets.UNLIMITED);
        assertThat(config.taskFolders()).containsExactly("tasks", ".switchboard/tasks");
        assertThat(config.originOf("codex")).isEmpty();
        assertThat(config.limitsFor("codex")).isEqualTo(AgentLimits.NONE);
        assertThat(config.envFor("codex")).isEmpty();
    }

    @Test
    void describeSummarisesEachSectionOnItsOwnLine() {
        SwitchboardConfig config = new SwitchboardConfig(
                List.of(AgentProfile.named("claude-code"), AgentProfile.named("codex")),
                RoutingPolicy.defaults(), Rule.defaults(), RetryPolicy.defaults(), new Budgets(2.0, null, 50.0),
                Map.of("codex", List.of("claude-code")), SwitchboardConfig.DEFAULT_TASK_FOLDERS,
                List.of("switchboard.yaml"), Map.of("claude-code", "switchboard.yaml:2", "codex", "switchboard.yaml:5"),
                Map.of("claude-code", List.of("ANTHROPIC_API_KEY")), Map.of(), ExecutionSettings.defaults());

        assertThat(config.describe()).isEqualTo("""
                configuration: switchboard.yaml
                agents: 2 (claude-code, codex)
                policy: preset balanced; weights success_rate 20, recent_context 15, specialization 10, \
                strength 20, cost 10, context_fit 10, availability 5, load 5, preference 5; min_samples 10; \
                bayesian_prior off; exploration none; default mode auto
                rules: 4 (design-or-review, bulk-refactor, rapid-implementation, complex-implementation)
                retry: 3 attempts, delays from 2s x2 up to 1m, no deadline
                budgets: per task $2.00, per plan unlimited, daily $50.00
                fallbacks: codex -> claude-code
                environment passed (names only): claude-code: ANTHROPIC_API_KEY
                execution: timeout 30m, idle 10m, grace 10s; environment allowed: PATH, HOME, USER, LOGNAME, LANG, \
                LC_ALL, TERM, TMPDIR, SHELL; cooldowns: quota 15m, failing more than half of at least 5 attempts in \
                1h -> 10m
                workers: heartbeat 5000 ms, offline after 3 missed beats (leases pass then too), attempts claimed \
                within 60000 ms
                task folders: tasks, .switchboard/tasks""");
    }

    @Test
    void everyAgentARuleOrFallbackNamesMustBeDeclared() {
        List<AgentProfile> agents = List.of(AgentProfile.named("codex"));
        Rule pinsGhost = new Rule("pin-ghost", RuleCondition.ANY, null, null, AgentSelector.agent("ghost"));

        assertThatThrownBy(() -> config(agents, List.of(pinsGhost), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rule pin-ghost pins agent ghost, which is not declared");
        assertThatThrownBy(() -> config(agents, List.of(), Map.of("codex", List.of("ghost"))))
                .hasMessage("codex falls back to agent ghost, which is not declared");
        assertThatThrownBy(() -> config(agents, List.of(), Map.of("codex", List.of("codex"))))
                .hasMessage("agent codex falls back to itself");
        assertThatThrownBy(() -> config(List.of(AgentProfile.named("codex"), AgentProfile.named("codex")), List.of(),
                Map.of()))
                .hasMessage("agent codex is declared twice");
    }

    @Test
    void budgetsAndLimitsRefuseNegativeValues() {
        assertThatThrownBy(() -> new Budgets(-1.0, null, null)).hasMessage("per_task must be zero or more, was -1.0");
        assertThatThrownBy(() -> new Budgets(null, null, Double.POSITIVE_INFINITY))
                .hasMessage("daily must be zero or more, was Infinity");
        assertThat(new Budgets(0.0, null, null).isUnlimited()).isFalse();
        assertThatThrownBy(() -> new AgentLimits(Duration.ZERO, null)).hasMessage("timeout must be more than zero, was 0s");
        assertThatThrownBy(() -> new AgentLimits(null, Duration.ofDays(30)))
                .hasMessage("idle_timeout of 720h is beyond the longest allowed (168h)");
    }

    private static SwitchboardConfig config(List<AgentProfile> agents, List<Rule> rules,
            Map<String, List<String>> fallbacks) {
        return new SwitchboardConfig(agents, RoutingPolicy.defaults(), rules, RetryPolicy.defaults(), Budgets.UNLIMITED,
                fallbacks, List.of(), List.of(), Map.of(), Map.of(), Map.of(), ExecutionSettings.defaults());
    }
}
