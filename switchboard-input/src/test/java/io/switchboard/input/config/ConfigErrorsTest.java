package io.switchboard.input.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.switchboard.input.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each bad input gives one {@link InputException} whose message names the file, the line and the key path. */
class ConfigErrorsTest {
    @TempDir
    Path dir;

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                bad("negative cost", """
                        agents:
                          claude-code:
                            strengths: [reasoning]
                          codex:
                            strengths: [speed]
                            context_limit: 200000
                            cost_per_1k_tokens: -1
                        """,
                        "switchboard.yaml:7: agents.codex.cost_per_1k_tokens: must be zero or more, was -1"),
                bad("zero context limit", """
                        agents:
                          codex:
                            context_limit: 0
                        """,
                        "switchboard.yaml:3: agents.codex.context_limit: must be more than zero, was 0"),
                bad("negative context limit", """
                        agents:
                          codex: {context_limit: -5}
                        """,
                        "switchboard.yaml:2: agents.codex.context_limit: must be more than zero, was -5"),
                bad("max concurrency zero", """
                        agents:
                          codex:
                            max_concurrency: 0
                        """,
                        "switchboard.yaml:3: agents.codex.max_concurrency: must be more than zero, was 0"),
                bad("unknown top-level key", """
                        agnets:
                          codex: {}
                        """,
                        "switchboard.yaml:1: agnets: unknown key 'agnets' (did you mean 'agents'?); allowed here:"
                                + " agents, budgets, execution, fallbacks, policy, retry, rules, tasks, workers"),
                bad("unknown agent key", """
                        agents:
                          codex:
                            strengths: [speed]
                            cost_per_1k_token: 0.01
                        """,
                        "switchboard.yaml:4: agents.codex.cost_per_1k_token: unknown key 'cost_per_1k_token' (did you"
                                + " mean 'cost_per_1k_tokens'?); allowed here: adapter, agent_type, availability,"
                                + " bypass_permissions, capabilities, command, context_limit, cost_per_1k_tokens, env, idle_timeout,"
                                + " max_concurrency, modes, pool, specializations, strengths, timeout, weaknesses"),
                bad("unknown policy key", """
                        policy:
                          min_sample: 3
                        """,
                        "switchboard.yaml:2: policy.min_sample: unknown key 'min_sample' (did you mean"
                                + " 'min_samples'?); allowed here: availability_scores, bayesian_prior, default_mode,"
                                + " exploration, half_life, heartbeat_timeout, min_samples, preset, prior_strength,"
                                + " recent_window, retry_same_agent_when_alone, seed, weights"),
                bad("unknown rule condition key", """
                        rules:
                          - name: reviews
                            when: {typ: [review]}
                        """,
                        "switchboard.yaml:3: rules[0].when.typ: unknown key 'typ' (did you mean 'type'?); allowed"
                                + " here: max_complexity, min_complexity, needs_iteration, needs_reasoning, risk,"
                                + " scope, tags, type, work_type"),
                bad("unknown workers key", """
                        workers:
                          heartbeats: 5s
                        """,
                        "switchboard.yaml:2: workers.heartbeats: unknown key 'heartbeats' (did you mean"
                                + " 'heartbeat'?); allowed here: claim_within, heartbeat, missed_beats"),
                bad("a heartbeat too frequent", """
                        workers: {heartbeat: 10ms}
                        """,
                        "switchboard.yaml:1: workers.heartbeat: must be at least 100ms, was 10ms"),
                bad("no missed beat allowed", """
                        workers:
                          missed_beats: 0
                        """,
                        "switchboard.yaml:2: workers.missed_beats: must be more than zero, was 0"),
                bad("unknown retry key", """
                        retry:
                          max_attempt: 4
                        """,
                        "switchboard.yaml:2: retry.max_attempt: unknown key 'max_attempt' (did you mean"
                                + " 'max_attempts'?); allowed here: deadline, initial_delay, max_attempts, max_delay,"
                                + " multiplier"),
                bad("unknown factor", """
                        policy:
                          weights:
                            succes_rate: 40
                        """,
                        "switchboard.yaml:3: policy.weights.succes_rate: unknown key 'succes_rate' (did you mean"
                                + " 'success_rate'?); allowed here: availability, context_fit, cost, load,"
                                + " preference, recent_context, specialization, strength, success_rate"),
                bad("unknown mode in an agent", """
                        agents:
                          codex:
                            modes:
                              yolo: [--full-auto]
                        """,
                        "switchboard.yaml:4: agents.codex.modes.yolo: unknown key 'yolo'; allowed here: auto,"
                                + " full-auto, plan"),
                bad("wrong type: text for a number", """
                        agents:
                          codex:
                            context_limit: lots
                        """,
                        "switchboard.yaml:3: agents.codex.context_limit: expected a whole number, found the text"
                                + " 'lots'"),
                bad("wrong type: quoted number", """
                        budgets:
                          daily: "50"
                        """,
                        "switchboard.yaml:2: budgets.daily: expected a number, found the text '50'"),
                bad("wrong type: mapping for a list", """
                        agents:
                          codex:
                            strengths: {speed: true}
                        """,
                        "switchboard.yaml:3: agents.codex.strengths: expected a list, found a mapping"),
                bad("wrong type: yes is not a boolean in YAML 1.2", """
                        policy:
                          bayesian_prior: yes
                        """,
                        "switchboard.yaml:2: policy.bayesian_prior: expected true or false, found the text 'yes'"),
                bad("wrong type: duration without a unit", """
                        policy:
                          half_life: 14
                        """,
                        "switchboard.yaml:2: policy.half_life: expected a duration such as 30s, 15m, 4h or 14d,"
                                + " found '14'"),
                bad("wrong type: agents as a number", """
                        agents: 5
                        """,
                        "switchboard.yaml:1: agents: expected a mapping of agent names to profiles (or a list of"
                                + " profiles, each with a name), found the number 5"),
                bad("wrong type: policy as a list", """
                        policy: [balanced]
                        """,
                        "switchboard.yaml:1: policy: expected a mapping (key: value lines), found a list"),
                bad("unknown adapter", """
                        agents:
                          codex:
                            adapter: openai
                        """,
                        "switchboard.yaml:3: agents.codex.adapter: unknown adapter 'openai'; expected one of"
                                + " claude-code, codex, gemini, cursor, aider, command"),
                bad("unknown availability", """
                        agents:
                          codex:
                            availability: cloud
                        """,
                        "switchboard.yaml:3: agents.codex.availability: unknown availability 'cloud'; expected one"
                                + " of local, remote, optional"),
                bad("unknown preset", """
                        policy:
                          preset: fastest
                        """,
                        "switchboard.yaml:2: policy.preset: unknown preset 'fastest'; expected one of history,"
                                + " profile, balanced"),
                bad("unknown rule mode", """
                        rules:
                          - name: reviews
                            mode: read-only
                        """,
                        "switchboard.yaml:3: rules[0].mode: unknown mode 'read-only'; expected one of plan, auto,"
                                + " full-auto"),
                bad("unknown default mode", """
                        policy:
                          default_mode: yolo
                        """,
                        "switchboard.yaml:2: policy.default_mode: unknown mode 'yolo'; expected one of plan, auto,"
                                + " full-auto"),
                bad("unknown task type in a rule", """
                        rules:
                          - name: docs
                            when:
                              type: [design, documentation]
                        """,
                        "switchboard.yaml:4: rules[0].when.type[1]: unknown task type 'documentation'; expected one"
                                + " of design, implement, fix, refactor, review, test, docs, deploy, research,"
                                + " general"),
                bad("unknown exploration", """
                        policy: {exploration: epsilon}
                        """,
                        "switchboard.yaml:1: policy.exploration: unknown exploration 'epsilon'; expected one of"
                                + " none, thompson"),
                bad("rule prefers a missing agent", """
                        agents:
                          codex: {}
                        rules:
                          - name: reviews
                            when: {type: review}
                            prefer: claude
                        """,
                        "switchboard.yaml:6: rules[0].prefer: no agent named 'claude' is declared (declared:"
                                + " codex)"),
                bad("rule pins a missing agent", """
                        agents:
                          codex: {}
                          aider: {}
                        rules:
                          - name: deploys
                            pin: {agent: deployer}
                        """,
                        "switchboard.yaml:6: rules[0].pin.agent: no agent named 'deployer' is declared (declared:"
                                + " aider, codex)"),
                bad("rule both prefers and pins", """
                        agents: {codex: {}}
                        rules:
                          - name: both
                            prefer: codex
                            pin: codex
                        """,
                        "switchboard.yaml:5: rules[0].pin: rule 'both' both prefers and pins; a rule does one or"
                                + " the other"),
                bad("rule without a name", """
                        rules:
                          - when: {type: review}
                            mode: plan
                        """,
                        "switchboard.yaml:2: rules[0]: a rule needs a name: (it is quoted in every decision it"
                                + " shapes)"),
                bad("two rules with one name", """
                        rules:
                          - name: reviews
                            mode: plan
                          - name: reviews
                            mode: auto
                        """,
                        "switchboard.yaml:4: rules[1].name: rule 'reviews' is already defined at line 2; rule names"
                                + " must be unique"),
                bad("complexity range no task could match", """
                        rules:
                          - name: never
                            when: {min_complexity: 60, max_complexity: 40}
                        """,
                        "switchboard.yaml:3: rules[0].when.max_complexity: must be at least min_complexity (60),"
                                + " was 40; no task could match"),
                bad("complexity out of range", """
                        rules:
                          - name: huge
                            when: {min_complexity: 150}
                        """,
                        "switchboard.yaml:3: rules[0].when.min_complexity: must be between 0 and 100, was 150"),
                bad("rules with no value", """
                        agents: {codex: {}}
                        rules:
                        """,
                        "switchboard.yaml:2: rules: has no value; write rules: [] for no rules, or remove the key to"
                                + " use the default rules"),
                bad("fallback from a missing agent", """
                        agents: {codex: {}, claude-code: {}}
                        fallbacks:
                          gemini: [codex]
                        """,
                        "switchboard.yaml:3: fallbacks.gemini: no agent named 'gemini' is declared (declared:"
                                + " claude-code, codex)"),
                bad("fallback to a missing agent", """
                        agents: {codex: {}, claude-code: {}}
                        fallbacks:
                          codex: [claude-code, gemini]
                        """,
                        "switchboard.yaml:3: fallbacks.codex[1]: no agent named 'gemini' is declared (declared:"
                                + " claude-code, codex)"),
                bad("fallback to itself", """
                        agents: {codex: {}}
                        fallbacks:
                          codex: codex
                        """,
                        "switchboard.yaml:3: fallbacks.codex: agent 'codex' cannot fall back to itself"),
                bad("duplicate agent in list form", """
                        agents:
                          - name: codex
                            strengths: [speed]
                          - name: aider
                          - name: codex
                        """,
                        "switchboard.yaml:5: agents[2].name: agent 'codex' is declared twice, at switchboard.yaml:2"
                                + " and switchboard.yaml:5; agent names must be unique"),
                bad("duplicate agent in map form", """
                        agents:
                          codex: {}
                          codex: {}
                        """,
                        "switchboard.yaml:3: agents.codex: key 'codex' appears twice, at lines 2 and 3"),
                bad("agent in a list without a name", """
                        agents:
                          - adapter: codex
                        """,
                        "switchboard.yaml:2: agents[0]: an agent in a list needs a name: key"),
                bad("agent name that needs quoting", """
                        agents:
                          "my agent": {command: [x]}
                        """,
                        "switchboard.yaml:2: agents.my agent: agent name 'my agent' must start with a letter or digit"
                                + " and hold only letters, digits, '.', '_' and '-'"),
                bad("command adapter without a command", """
                        agents:
                          deployer:
                            adapter: command
                            agent_type: infra
                        """,
                        "switchboard.yaml:2: agents.deployer: adapter command needs a command list, such as command:"
                                + " [./bin/my-agent, --json]"),
                bad("inferred command adapter without a command", """
                        agents:
                          gpt-engineer:
                            strengths: [speed]
                        """,
                        "switchboard.yaml:2: agents.gpt-engineer: adapter command needs a command list, such as"
                                + " command: [./bin/my-agent, --json] (the adapter was inferred from the name"
                                + " 'gpt-engineer'; if it is one of claude-code, codex, gemini, cursor or aider, set"
                                + " adapter:)"),
                bad("command written as one string", """
                        agents:
                          deployer:
                            adapter: command
                            command: ./bin/deploy --json
                        """,
                        "switchboard.yaml:4: agents.deployer.command: must be a list of arguments such as"
                                + " [./bin/my-agent, --json], found the text './bin/deploy --json' (a single string"
                                + " is never split into arguments)"),
                bad("an empty command for an adapter that has its own", """
                        agents:
                          codex:
                            command: []
                        """,
                        "switchboard.yaml:3: agents.codex.command: must name the program to run in place of the codex"
                                + " CLI, or be left out"),
                bad("bypass_permissions that is not true or false", """
                        agents:
                          claude-code:
                            bypass_permissions: sometimes
                        """,
                        "switchboard.yaml:3: agents.claude-code.bypass_permissions: must be true or false, was the "
                                + "text 'sometimes'"),
                bad("an absurd agent timeout", """
                        agents:
                          codex:
                            timeout: 3000h
                        """,
                        "switchboard.yaml:3: agents.codex.timeout: is beyond the longest allowed limit (7 days), was "
                                + "3000h"),
                bad("a negative execution timeout", """
                        execution:
                          timeout: -5m
                        """,
                        "switchboard.yaml:2: execution.timeout: expected a duration such as 30s, 15m, 4h or 14d, found '-5m'"),
                bad("an empty verify command for a work type", """
                        execution:
                          verify:
                            implement: ""
                        """,
                        "switchboard.yaml:3: execution.verify.implement: the verify command of work type "
                                + "'implement' must not be empty; write the command to run, such as \"mvn -q test\""),
                bad("an env_allow name that is not a variable name", """
                        execution:
                          env_allow: [PATH, "my var"]
                        """,
                        "switchboard.yaml:2: execution.env_allow[1]: 'my var' is not an environment variable name "
                                + "(upper-case letters, digits and _)"),
                bad("mode flags written as one string", """
                        agents:
                          claude-code:
                            modes:
                              plan: --permission-mode plan
                        """,
                        "switchboard.yaml:4: agents.claude-code.modes.plan: must be a list of arguments such as"
                                + " [--permission-mode, plan], found the text '--permission-mode plan' (a single"
                                + " string is never split into arguments)"),
                bad("env with values", """
                        agents:
                          claude-code:
                            env:
                              ANTHROPIC_API_KEY: sk-not-a-real-key
                        """,
                        "switchboard.yaml:4: agents.claude-code.env: list the names of the environment variables to"
                                + " pass, such as [ANTHROPIC_API_KEY]; their values come from the environment at run"
                                + " time and never from this file"),
                bad("env with a bad name", """
                        agents:
                          claude-code:
                            env: [ANTHROPIC_API_KEY, api-key]
                        """,
                        "switchboard.yaml:3: agents.claude-code.env[1]: 'api-key' is not an environment variable"
                                + " name (upper-case letters, digits and '_', not starting with a digit)"),
                bad("zero timeout", """
                        agents:
                          codex: {timeout: 0s}
                        """,
                        "switchboard.yaml:2: agents.codex.timeout: must be more than zero, was 0s"),
                bad("all weights zero", """
                        policy:
                          preset: history
                          weights: {success_rate: 0, recent_context: 0, specialization: 0, load: 0}
                        """,
                        "switchboard.yaml:3: policy.weights: the weights must not all be zero; no candidate could"
                                + " score above another"),
                bad("negative weight", """
                        policy:
                          weights: {cost: -10}
                        """,
                        "switchboard.yaml:2: policy.weights.cost: must be zero or more, was -10"),
                bad("availability score above one", """
                        policy:
                          availability_scores: {remote: 1.5}
                        """,
                        "switchboard.yaml:2: policy.availability_scores.remote: must be between 0 and 1, was 1.5"),
                bad("negative min samples", """
                        policy: {min_samples: -1}
                        """,
                        "switchboard.yaml:1: policy.min_samples: must be zero or more, was -1"),
                bad("max delay below initial delay", """
                        retry:
                          initial_delay: 2m
                          max_delay: 1m
                        """,
                        "switchboard.yaml:3: retry.max_delay: must be at least initial_delay (2m), was 1m"),
                bad("initial delay above the default max delay", """
                        retry:
                          initial_delay: 5m
                        """,
                        "switchboard.yaml:2: retry.initial_delay: must be at most max_delay (1m by default), was 5m"),
                bad("max delay below the default initial delay", """
                        retry: {max_delay: 1s}
                        """,
                        "switchboard.yaml:1: retry.max_delay: must be at least initial_delay (2s by default), was 1s"),
                bad("initial delay above a max delay written with no value", """
                        retry:
                          initial_delay: 90s
                          max_delay:
                        """,
                        "switchboard.yaml:2: retry.initial_delay: must be at most max_delay (1m by default), was 90s"),
                bad("multiplier below one", """
                        retry: {multiplier: 0.5}
                        """,
                        "switchboard.yaml:1: retry.multiplier: must be 1 or more, was 0.5"),
                bad("zero attempts", """
                        retry: {max_attempts: 0}
                        """,
                        "switchboard.yaml:1: retry.max_attempts: must be more than zero, was 0"),
                bad("negative budget", """
                        budgets:
                          per_task: 2.00
                          per_plan: -20
                        """,
                        "switchboard.yaml:3: budgets.per_plan: must be zero or more, was -20"),
                bad("blank task folder", """
                        tasks:
                          folders: [tasks, ""]
                        """,
                        "switchboard.yaml:2: tasks.folders[1]: must not be blank"),
                bad("not a config at all", """
                        Just some notes about which agent to use.
                        """,
                        "switchboard.yaml:1: not a Switchboard config: expected keys such as agents:, policy: and"
                                + " rules: at the top level, found the text 'Just some notes about which agent to"
                                + " use.'"),
                bad("not YAML", """
                        agents:
                          codex: {strengths: [speed}
                        """,
                        "switchboard.yaml:2: not valid YAML: expected ',' or ']', but got }"),
                bad("a YAML alias", """
                        agents:
                          codex: &base {strengths: [speed]}
                          aider: *base
                        """,
                        "switchboard.yaml:2: YAML anchors (&name) are not allowed here"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void badInputIsOneErrorNamingFileLineAndKey(String what, String yaml, String message) {
        InputException error = catchThrowableOfType(InputException.class,
                () -> ConfigLoader.parse("switchboard.yaml", yaml));

        assertThat(error).as(what).isNotNull();
        assertThat(error.getMessage()).isEqualTo(message);
        assertThat(error.file()).isEqualTo("switchboard.yaml");
    }

    @Test
    void anAliasBombIsRefusedBeforeAnythingIsExpanded() {
        StringBuilder bomb = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char c = 'b'; c <= 'z'; c++) {
            char previous = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                bomb.append(i == 0 ? "" : ", ").append('*').append(previous);
            }
            bomb.append("]\n");
        }

        InputException error = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> catchThrowableOfType(InputException.class,
                        () -> ConfigLoader.parse("switchboard.yaml", bomb.toString())));

        assertThat(error).hasMessage("switchboard.yaml:1: YAML anchors (&name) are not allowed here");
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedAtTheLineOfTheBadByte() throws IOException {
        byte[] head = "agents:\n  codex:\n    strengths: [".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[head.length + 3];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xE9; // 'é' in Latin-1, which is not UTF-8
        bytes[head.length + 1] = ']';
        bytes[head.length + 2] = '\n';
        Files.write(dir.resolve("switchboard.yaml"), bytes);

        InputException error = catchThrowableOfType(InputException.class, () -> ConfigLoader.load(dir));

        assertThat(error).hasMessage("switchboard.yaml:3: not UTF-8: invalid byte 0xE9 at byte offset "
                + head.length);
    }

    @Test
    void theSameAgentInBothFilesIsAnErrorNamingBothPlaces() throws IOException {
        Files.writeString(dir.resolve("switchboard.yaml"), """
                agents:
                  claude-code: {}
                  codex:
                    strengths: [speed]
                """);
        Files.createDirectories(dir.resolve(".switchboard"));
        Files.writeString(dir.resolve(".switchboard/agents.yaml"), """
                agents:
                  codex:
                    strengths: [refactor]
                """);

        InputException error = catchThrowableOfType(InputException.class, () -> ConfigLoader.load(dir));

        assertThat(error).hasMessage(".switchboard/agents.yaml:2: agents.codex: agent 'codex' is declared both in"
                + " switchboard.yaml:3 and .switchboard/agents.yaml:2; declare each agent in one place");
    }

    @Test
    void aSectionOtherThanAgentsMayBeSetInOneFileOnly() throws IOException {
        Files.writeString(dir.resolve("switchboard.yaml"), """
                agents: {codex: {}}
                policy: {preset: history}
                """);
        Files.createDirectories(dir.resolve(".switchboard"));
        Files.writeString(dir.resolve(".switchboard/agents.yaml"), """
                agents: {aider: {}}

                policy: {preset: profile}
                """);

        InputException error = catchThrowableOfType(InputException.class, () -> ConfigLoader.load(dir));

        assertThat(error).hasMessage(".switchboard/agents.yaml:3: policy: is set both in switchboard.yaml:2 and"
                + " .switchboard/agents.yaml:3; set it in one file only");
    }

    @Test
    void aRuleMayNameAnAgentDeclaredInTheOtherFile() throws IOException {
        Files.writeString(dir.resolve("switchboard.yaml"), """
                rules:
                  - name: reviews
                    prefer: reviewer
                """);
        Files.createDirectories(dir.resolve(".switchboard"));
        Files.writeString(dir.resolve(".switchboard/agents.yaml"), """
                agents:
                  reviewer: {adapter: claude-code}
                """);

        assertThat(ConfigLoader.load(dir).rules()).hasSize(1);
    }

    @Test
    void anExplicitConfigFileThatDoesNotExistIsAnError() {
        InputException error = catchThrowableOfType(InputException.class,
                () -> ConfigLoader.load(dir, Path.of("team.yaml")));

        assertThat(error).hasMessage("team.yaml: no such file");
        assertThat(error.line()).isZero();
    }

    private static Arguments bad(String what, String yaml, String message) {
        return Arguments.of(what, yaml, message);
    }
}
