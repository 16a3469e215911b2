package io.switchboard.input.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.switchboard.core.agent.Adapter;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Availability;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.config.AgentLimits;
import io.switchboard.core.config.Budgets;
import io.switchboard.core.config.RetryPolicy;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.remote.WorkerSettings;
import io.switchboard.core.routing.AgentSelector;
import io.switchboard.core.routing.Exploration;
import io.switchboard.core.routing.Factor;
import io.switchboard.core.routing.Preset;
import io.switchboard.core.routing.Rule;
import io.switchboard.core.routing.RuleCondition;
import io.switchboard.core.routing.RoutingPolicy;
import io.switchboard.core.task.Risk;
import io.switchboard.core.task.Scope;
import io.switchboard.core.task.TaskType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private static final String FULL = """
            agents:
              claude-code:
                adapter: claude-code
                agent_type: code
                pool: reasoning
                capabilities: [implement, review]
                specializations: [code-review]
                strengths: [reasoning, architecture]
                weaknesses: [speed]
                cost_per_1k_tokens: 0.015
                context_limit: 200000
                availability: local
                max_concurrency: 2
                modes:
                  plan: [--permission-mode, plan]
                  auto: [--permission-mode, acceptEdits]
                  full-auto: [--dangerously-skip-permissions]
                env: [ANTHROPIC_API_KEY]
                timeout: 30m
                idle_timeout: 5m
              codex:
                strengths: [speed]
                cost_per_1k_tokens: 0.01
              deployer:
                adapter: command
                agent_type: infra
                command: [./bin/deploy-agent, --json]
                availability: remote
            policy:
              preset: profile
              weights: {success_rate: 40, cost: 5}
              min_samples: 5
              bayesian_prior: true
              prior_strength: 2.5
              half_life: 7d
              recent_window: 2h
              exploration: thompson
              seed: 42
              availability_scores: {remote: 0.6}
              heartbeat_timeout: 45s
              retry_same_agent_when_alone: true
              default_mode: plan
            rules:
              - name: risky-deploys
                when: {type: [deploy], work_type: [deploy_service], tags: [prod], min_complexity: 10,
                       max_complexity: 90, scope: [module], risk: [high], needs_reasoning: true,
                       needs_iteration: false}
                mode: plan
                pin: deployer
              - name: reviews
                when: {type: review}
                prefer: {strength: reasoning}
              - name: quick
                prefer: codex
            retry: {initial_delay: 1s, multiplier: 3, max_delay: 2m, max_attempts: 5, deadline: 2h}
            budgets: {per_task: 2.00, per_plan: 20, daily: 50}
            fallbacks: {codex: [claude-code], deployer: []}
            tasks: {folders: [work/tasks]}
            """;

    @Test
    void readsEverySectionOfAFullConfig() {
        SwitchboardConfig config = ConfigLoader.parse("switchboard.yaml", FULL);

        assertThat(config.agents()).extracting(AgentProfile::name).containsExactly("claude-code", "codex", "deployer");
        AgentProfile claude = config.agent("claude-code").orElseThrow();
        assertThat(claude).isEqualTo(new AgentProfile("claude-code", Adapter.CLAUDE_CODE, "code", "reasoning",
                List.of("implement", "review"), List.of("code-review"), List.of("reasoning", "architecture"),
                List.of("speed"), 0.015, 200_000, Availability.LOCAL, 2,
                Map.of(Mode.PLAN, List.of("--permission-mode", "plan"),
                        Mode.AUTO, List.of("--permission-mode", "acceptEdits"),
                        Mode.FULL_AUTO, List.of("--dangerously-skip-permissions")),
                List.of()));
        assertThat(config.envFor("claude-code")).containsExactly("ANTHROPIC_API_KEY");
        assertThat(config.limitsFor("claude-code")).isEqualTo(new AgentLimits(Duration.ofMinutes(30),
                Duration.ofMinutes(5)));
        assertThat(config.agent("codex").orElseThrow().adapter()).isEqualTo(Adapter.CODEX);
        AgentProfile deployer = config.agent("deployer").orElseThrow();
        assertThat(deployer.command()).containsExactly("./bin/deploy-agent", "--json");
        assertThat(deployer.pool()).isEqualTo("infra");
        assertThat(deployer.availability()).isEqualTo(Availability.REMOTE);
        assertThat(config.agentOrigins()).containsExactly(Map.entry("claude-code", "switchboard.yaml:2"),
                Map.entry("codex", "switchboard.yaml:21"), Map.entry("deployer", "switchboard.yaml:24"));

        RoutingPolicy policy = config.policy();
        assertThat(policy.presetName()).isEqualTo("profile");
        assertThat(policy.weights()).isEqualTo(Preset.PROFILE.weights().with(
                Map.of(Factor.SUCCESS_RATE, 40.0, Factor.COST, 5.0)));
        assertThat(policy.minSamples()).isEqualTo(5);
        assertThat(policy.bayesianPrior()).isTrue();
        assertThat(policy.priorStrength()).isEqualTo(2.5);
        assertThat(policy.halfLife()).isEqualTo(Duration.ofDays(7));
        assertThat(policy.recentWindow()).isEqualTo(Duration.ofHours(2));
        assertThat(policy.exploration()).isEqualTo(Exploration.THOMPSON);
        assertThat(policy.seed()).isEqualTo(42);
        assertThat(policy.availabilityScores()).containsEntry(Availability.REMOTE, 0.6)
                .containsEntry(Availability.LOCAL, 1.0).containsEntry(Availability.OPTIONAL, 0.5);
        assertThat(policy.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(policy.retrySameAgentWhenAlone()).isTrue();
        assertThat(policy.defaultMode()).isEqualTo(Mode.PLAN);

        assertThat(config.rules()).containsExactly(
                new Rule("risky-deploys", new RuleCondition(Set.of(TaskType.DEPLOY), Set.of("deploy_service"),
                        Set.of("prod"), 10, 90, Set.of(Scope.MODULE), Set.of(Risk.HIGH), true, false),
                        Mode.PLAN, null, AgentSelector.agent("deployer")),
                new Rule("reviews", new RuleCondition(Set.of(TaskType.REVIEW), null, null, null, null, null, null,
                        null, null), null, AgentSelector.strength("reasoning"), null),
                new Rule("quick", RuleCondition.ANY, null, AgentSelector.agent("codex"), null));

        assertThat(config.retry()).isEqualTo(new RetryPolicy(Duration.ofSeconds(1), 3, Duration.ofMinutes(2), 5,
                Duration.ofHours(2)));
        assertThat(config.budgets()).isEqualTo(new Budgets(2.0, 20.0, 50.0));
        assertThat(config.fallbacks()).containsExactly(Map.entry("codex", List.of("claude-code")),
                Map.entry("deployer", List.of()));
        assertThat(config.taskFolders()).containsExactly("work/tasks");
        assertThat(config.sources()).containsExactly("switchboard.yaml");
    }

    @Test
    void aPlainProfileFileLoadsUnchangedWithAdaptersInferredFromTheNames() {
        SwitchboardConfig config = ConfigLoader.parse("agents.yaml", """
                agents:
                  claude-code:
                    strengths: [reasoning, architecture, code-review]
                    weaknesses: [speed]
                    cost_per_1k_tokens: 0.015
                    context_limit: 200000
                    availability: local
                  codex-cli:
                    strengths: [speed, implement]
                    weaknesses: [architecture]
                    cost_per_1k_tokens: 0.01
                    context_limit: 128000
                    availability: local
                  cursor:
                    strengths: [refactor]
                    weaknesses: []
                    cost_per_1k_tokens: 0.02
                    context_limit: 100000
                    availability: optional
                """);

        assertThat(config.agents()).containsExactly(
                profile("claude-code", Adapter.CLAUDE_CODE, List.of("reasoning", "architecture", "code-review"),
                        List.of("speed"), 0.015, 200_000, Availability.LOCAL),
                profile("codex-cli", Adapter.CODEX, List.of("speed", "implement"), List.of("architecture"), 0.01,
                        128_000, Availability.LOCAL),
                profile("cursor", Adapter.CURSOR, List.of("refactor"), List.of(), 0.02, 100_000,
                        Availability.OPTIONAL));
        assertThat(config.rules()).isEqualTo(Rule.defaults());
        assertThat(config.policy()).isEqualTo(RoutingPolicy.defaults());
    }

    @Test
    void readsTheWorkersHeartbeatAndItsWindow() {
        SwitchboardConfig config = ConfigLoader.parse("switchboard.yaml", """
                workers: {heartbeat: 200ms, missed_beats: 4}
                """);

        assertThat(config.workers()).isEqualTo(new WorkerSettings(Duration.ofMillis(200), 4));
        assertThat(config.workers().staleAfter()).isEqualTo(Duration.ofMillis(800));
        assertThat(ConfigLoader.parse("switchboard.yaml", "agents: {}\n").workers())
                .isEqualTo(WorkerSettings.defaults());
        assertThat(config.workers().claimWithin()).isEqualTo(WorkerSettings.DEFAULT_CLAIM_WITHIN);
    }

    @Test
    void readsHowLongAWorkerHasToClaimAnAttempt() {
        SwitchboardConfig config = ConfigLoader.parse("switchboard.yaml", """
                workers: {claim_within: 2s}
                """);

        assertThat(config.workers().claimWithin()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> ConfigLoader.parse("switchboard.yaml", "workers: {claim_within: 0s}\n"))
                .hasMessageContaining("switchboard.yaml").hasMessageContaining("claim_within");
    }

    @Test
    void absentKeysTakeTheirDefaults() {
        SwitchboardConfig config = ConfigLoader.parse("switchboard.yaml", """
                agents:
                  aider:
                """);

        assertThat(config.agents()).containsExactly(AgentProfile.named("aider"));
        assertThat(config.agent("aider").orElseThrow().adapter()).isEqualTo(Adapter.AIDER);
        assertThat(config.policy()).isEqualTo(RoutingPolicy.defaults());
        assertThat(config.rules()).isEqualTo(Rule.defaults());
        assertThat(config.retry()).isEqualTo(RetryPolicy.defaults());
        assertThat(config.budgets()).isEqualTo(Budgets.UNLIMITED);
        assertThat(config.fallbacks()).isEmpty();
        assertThat(config.taskFolders()).isEqualTo(SwitchboardConfig.DEFAULT_TASK_FOLDERS);
        assertThat(config.envFor("aider")).isEmpty();
        assertThat(config.limitsFor("aider")).isEqualTo(AgentLimits.NONE);
    }

    @Test
    void sectionsWrittenWithNoValueMeanTheirDefaults() {
        SwitchboardConfig config = ConfigLoader.parse("switchboard.yaml", """
                agents:
                policy:
                retry:
                budgets:
                fallbacks:
                tasks:
                """);

        assertThat(config).isEqualTo(new SwitchboardConfig(List.of(), RoutingPolicy.defaults(), Rule.defaults(),
                RetryPolicy.defaults(), Budgets.UNLIMITED, Map.of(), SwitchboardConfig.DEFAULT_TASK_FOLDERS,
                List.of("switchboard.yaml"), Map.of(), Map.of(), Map.of(),
                io.switchboard.core.config.ExecutionSettings.defaults()));
    }

    @Test
    void rulesAbsentMeansTheDefaultRulesAndAnEmptyListMeansNone() {
        assertThat(ConfigLoader.parse("switchboard.yaml", "policy: {preset: history}\n").rules())
                .isEqualTo(Rule.defaults());
        assertThat(ConfigLoader.parse("switchboard.yaml", "rules: []\n").rules()).isEmpty();
    }

    @Test
    void agentsMayBeAListOfProfilesWithNames() {
        SwitchboardConfig config = ConfigLoader.parse("switchboard.yaml", """
                agents:
                  - name: gemini-cli
                    strengths: [large-context]
                  - name: my-tool
                    command: [my-tool, --quiet]
                """);

        assertThat(config.agents()).extracting(AgentProfile::name, AgentProfile::adapter)
                .containsExactly(tuple("gemini-cli", Adapter.GEMINI),
                        tuple("my-tool", Adapter.COMMAND));
        assertThat(config.originOf("gemini-cli")).contains("switchboard.yaml:2");
        assertThat(config.originOf("my-tool")).contains("switchboard.yaml:4");
    }

    @Test
    void noConfigFileIsAValidEmptyConfig() {
        SwitchboardConfig config = ConfigLoader.load(dir);

        assertThat(config).isEqualTo(SwitchboardConfig.empty());
        assertThat(config.agents()).isEmpty();
        assertThat(config.sources()).isEmpty();
    }

    @Test
    void anEmptyFileIsAValidEmptyConfig() throws IOException {
        Files.writeString(dir.resolve("switchboard.yaml"), "# nothing here yet\n");

        SwitchboardConfig config = ConfigLoader.load(dir);

        assertThat(config.agents()).isEmpty();
        assertThat(config.rules()).isEqualTo(Rule.defaults());
        assertThat(config.sources()).containsExactly("switchboard.yaml");
    }

    @Test
    void agentsFromBothFilesAreMergedAndEachKeepsItsOrigin() throws IOException {
        Files.writeString(dir.resolve("switchboard.yaml"), """
                agents:
                  claude-code:
                    strengths: [reasoning]
                fallbacks:
                  claude-code: [codex]
                """);
        Files.createDirectories(dir.resolve(".switchboard"));
        Files.writeString(dir.resolve(".switchboard/agents.yaml"), """
                # added by hand
                agents:
                  codex:
                    strengths: [speed]
                policy:
                  preset: history
                """);

        SwitchboardConfig config = ConfigLoader.load(dir);

        assertThat(config.agents()).extracting(AgentProfile::name).containsExactly("claude-code", "codex");
        assertThat(config.originOf("claude-code")).contains("switchboard.yaml:2");
        assertThat(config.originOf("codex")).contains(".switchboard/agents.yaml:3");
        assertThat(config.fallbacksFor("claude-code")).containsExactly("codex");
        assertThat(config.policy().presetName()).isEqualTo("history");
        assertThat(config.sources()).containsExactly("switchboard.yaml", ".switchboard/agents.yaml");
    }

    @Test
    void anExplicitConfigFileIsReadInsteadOfSwitchboardYaml() throws IOException {
        Files.writeString(dir.resolve("switchboard.yaml"), "agents: {ignored: {command: [x]}}\n");
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf/team.yaml"), "agents: {codex: {}}\n");

        SwitchboardConfig config = ConfigLoader.load(dir, Path.of("conf/team.yaml"));

        assertThat(config.agents()).extracting(AgentProfile::name).containsExactly("codex");
        assertThat(config.originOf("codex")).contains("conf/team.yaml:1");
    }

    @Test
    void onlyTheAgentsFileIsEnough() throws IOException {
        Files.createDirectories(dir.resolve(".switchboard"));
        Files.writeString(dir.resolve(".switchboard/agents.yaml"), "agents: {gemini: {context_limit: 1000000}}\n");

        SwitchboardConfig config = ConfigLoader.load(dir);

        assertThat(config.agent("gemini").orElseThrow().contextLimit()).isEqualTo(1_000_000);
        assertThat(config.sources()).containsExactly(".switchboard/agents.yaml");
    }

    @Test
    void jsonIsReadToo() {
        SwitchboardConfig config = ConfigLoader.parse("switchboard.json",
                "{\"agents\": {\"codex\": {\"cost_per_1k_tokens\": 0.01}}, \"rules\": []}");

        assertThat(config.agent("codex").orElseThrow().costPer1kTokens()).isEqualTo(0.01);
        assertThat(config.rules()).isEmpty();
    }

    @Test
    void theEffectiveConfigurationIsDescribedWithEnvironmentNamesOnly() {
        SwitchboardConfig config = ConfigLoader.parse("switchboard.yaml", FULL);

        String description = config.describe();

        assertThat(description)
                .contains("configuration: switchboard.yaml")
                .contains("agents: 3 (claude-code, codex, deployer)")
                .contains("policy: preset profile; weights success_rate 40, strength 40, cost 5, context_fit 20,"
                        + " availability 10, preference 10;")
                .contains("rules: 3 (risky-deploys, reviews, quick)")
                .contains("retry: 5 attempts, delays from 1s x3 up to 2m, deadline 2h")
                .contains("budgets: per task $2.00, per plan $20.00, daily $50.00")
                .contains("environment passed (names only): claude-code: ANTHROPIC_API_KEY");
    }

    private static AgentProfile profile(String name, Adapter adapter, List<String> strengths, List<String> weaknesses,
            double cost, int contextLimit, Availability availability) {
        return new AgentProfile(name, adapter, AgentProfile.DEFAULT_AGENT_TYPE, null, List.of(), List.of(), strengths,
                weaknesses, cost, contextLimit, availability, AgentProfile.DEFAULT_MAX_CONCURRENCY, Map.of(), List.of());
    }
}
