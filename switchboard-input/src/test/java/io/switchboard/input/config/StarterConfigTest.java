package io.switchboard.input.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.switchboard.core.agent.Adapter;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.config.Budgets;
import io.switchboard.core.config.RetryPolicy;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.routing.Rule;
import io.switchboard.core.routing.RoutingPolicy;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StarterConfigTest {
    /** A commented-out key, such as {@code # retry:}, {@code #   max_attempts: 3} or {@code     # env: [...]}. */
    private static final Pattern COMMENTED_KEY = Pattern.compile("^(\\s*)# (\\s*[a-z_-]+:(\\s.*)?)$");

    @Test
    void loadsAsWrittenWithFourAgentsAndTheDefaultRules() {
        SwitchboardConfig config = ConfigLoader.parse("switchboard.yaml", StarterConfig.text());

        assertThat(config.agents()).extracting(AgentProfile::name, AgentProfile::adapter).containsExactly(
                tuple("claude-code", Adapter.CLAUDE_CODE),
                tuple("codex", Adapter.CODEX),
                tuple("gemini", Adapter.GEMINI),
                tuple("aider", Adapter.AIDER));
        assertThat(config.rules()).isEqualTo(Rule.defaults());
        assertThat(config.policy()).isEqualTo(RoutingPolicy.defaults());
        assertThat(config.retry()).isEqualTo(RetryPolicy.defaults());
        assertThat(config.budgets()).isEqualTo(Budgets.UNLIMITED);
        assertThat(config.taskFolders()).isEqualTo(SwitchboardConfig.DEFAULT_TASK_FOLDERS);
        assertThat(config.agentEnv()).isEmpty();
    }

    @Test
    void eachAgentHasItsStrengthsAndLeavesItsCliFlagsToItsAdapter() {
        SwitchboardConfig config = ConfigLoader.parse("switchboard.yaml", StarterConfig.text());

        AgentProfile claude = config.agent("claude-code").orElseThrow();
        assertThat(claude.strengths()).containsExactly("reasoning", "architecture", "code-review");
        AgentProfile codex = config.agent("codex").orElseThrow();
        assertThat(codex.strengths()).containsExactly("speed", "implement", "refactor");
        AgentProfile gemini = config.agent("gemini").orElseThrow();
        assertThat(gemini.strengths()).containsExactly("large-context", "research");
        assertThat(gemini.contextLimit()).isEqualTo(1_000_000);
        assertThat(gemini.costPer1kTokens()).isLessThan(claude.costPer1kTokens()).isLessThan(codex.costPer1kTokens());
        AgentProfile aider = config.agent("aider").orElseThrow();
        assertThat(aider.strengths()).containsExactly("speed", "refactor");

        // The adapters know each CLI's flags per mode; the starter adds none, and bypasses nothing.
        for (AgentProfile agent : config.agents()) {
            assertThat(agent.modeFlags()).as(agent.name()).isEmpty();
            assertThat(agent.command()).as(agent.name()).isEmpty();
        }
        assertThat(config.execution()).isEqualTo(io.switchboard.core.config.ExecutionSettings.defaults());
    }

    @Test
    void everyCommentedOutExampleIsValidOnceUncommented() {
        String uncommented = uncomment(StarterConfig.text());

        SwitchboardConfig config = ConfigLoader.parse("switchboard.yaml", uncommented);

        assertThat(config.agents()).extracting(AgentProfile::name)
                .containsExactly("claude-code", "codex", "gemini", "aider", "my-agent");
        assertThat(config.agent("my-agent").orElseThrow().command()).containsExactly("./bin/my-agent", "--json");
        assertThat(config.envFor("claude-code")).containsExactly("ANTHROPIC_API_KEY");
        assertThat(config.limitsFor("claude-code").timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.policy().seed()).isEqualTo(42);
        assertThat(config.retry().deadline()).isEqualTo(Duration.ofHours(2));
        assertThat(config.budgets()).isEqualTo(new Budgets(2.0, 20.0, 50.0));
        assertThat(config.fallbacksFor("codex")).containsExactly("claude-code");
        assertThat(config.agent("claude-code").orElseThrow().flagsFor(Mode.AUTO)).containsExactly("--model", "sonnet");
        assertThat(config.execution().verifyByWorkType()).containsEntry("implement", "./mvnw -q test");
        assertThat(config.execution().cooldowns()).isEqualTo(io.switchboard.core.config.CooldownPolicy.defaults());
        assertThat(config.execution().bypassPermissions()).isEmpty();
    }

    private static String uncomment(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            Matcher key = COMMENTED_KEY.matcher(line);
            out.append(key.matches() ? key.group(1) + key.group(2) : line).append('\n');
        }
        return out.toString();
    }

    @Test
    void theUncommentingInThisTestTouchesOnlyKeys() {
        assertThat(uncomment("# Agents: the programs\n#   plan       read-only: proposes\n# retry:\n#   deadline: 2h\n"))
                .isEqualTo("# Agents: the programs\n#   plan       read-only: proposes\nretry:\n  deadline: 2h\n\n");
        assertThat(List.of(StarterConfig.text().split("\n"))).noneMatch(line -> line.contains("\t"));
    }
}
