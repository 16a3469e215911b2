package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    CliRun cli;

    @BeforeEach
    void setUp() throws IOException {
        cli = new CliRun(dir);
        Files.writeString(dir.resolve("switchboard.yaml"), """
                agents:
                  claude-code:
                    strengths: [reasoning, architecture, review]
                    cost_per_1k_tokens: 0.015
                    context_limit: 200000
                  codex:
                    strengths: [speed, implement]
                    specializations: [implement]
                    cost_per_1k_tokens: 0.006
                    context_limit: 128000
                  gemini:
                    strengths: [large-context, research]
                    cost_per_1k_tokens: 0.002
                    context_limit: 1000000
                """);
        Files.createDirectories(dir.resolve("tasks"));
        Files.writeString(dir.resolve("tasks/TASK-028-rate-limiter.md"), """
                # TASK-028: Add a token-bucket rate limiter

                ## Metadata
                - **ID**: TASK-028
                - **Priority**: high
                - **Complexity**: 30
                - **Tags**: backend

                ## Description
                Add a rate limiter to the API gateway.

                ## Files to Create/Modify
                - `gateway/src/RateLimiter.java`
                """);
    }

    private Database openDatabase() {
        return Database.open("jdbc:sqlite:" + dir.resolve(".switchboard/state.db"));
    }

    @Test
    void routesATaskFileByIdAndRecordsTheDecision() throws IOException {
        CliRun.Result result = cli.run("route", "--task", "TASK-028");

        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.out()).contains("TASK-028  Add a token-bucket rate limiter")
                .contains("→ codex in auto mode").contains("recorded as decision 1");
        CliRun.Result decisions = cli.run("decisions", "--task", "TASK-028", "--json");
        JsonNode stored = JSON.readTree(decisions.out());
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).get("chosen_agent").asText()).isEqualTo("codex");
        assertThat(stored.get(0).get("rule").asText()).startsWith("rule 'rapid-implementation'");
        assertThat(stored.get(0).get("candidates")).hasSize(3);
    }

    @Test
    void explainPrintsEveryCandidateItsFactorsAndEveryExclusion() {
        CliRun.Result result = cli.run("route", "--task", "TASK-028", "--explain", "--max-cost", "0.05");

        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.out())
                .contains("Traits").contains("complexity").contains("stated")
                .contains("Candidates (balanced policy")
                .contains("success_rate ×20").contains("preference ×5").contains("total")
                .contains("Why codex")
                .contains("Excluded").contains("claude-code  over_max_cost")
                .contains("Chosen: codex, mode auto");
    }

    @Test
    void aDryRunWritesNothing() {
        CliRun.Result result = cli.run("route", "--dry-run", "--prompt", "Review the login flow for security issues");

        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.out()).contains("→ claude-code in plan mode").contains("dry run: nothing recorded");
        assertThat(dir.resolve(".switchboard")).doesNotExist();
        assertThat(cli.run("orchestrate", "--dry-run", "--prompt", "Review the login flow").out())
                .contains("→ claude-code in plan mode");
        assertThat(dir.resolve(".switchboard")).doesNotExist();
    }

    @Test
    void aDryRunReadsAnExistingStoreButAddsNothingToIt() {
        assertThat(cli.run("route", "--task", "TASK-028").code()).isZero();

        CliRun.Result result = cli.run("route", "--dry-run", "--task", "TASK-028");

        assertThat(result.code()).as(result.toString()).isZero();
        try (Database database = openDatabase()) {
            var store = database.store();
            assertThat(store.find(io.switchboard.core.port.DecisionLog.DecisionQuery.all())).hasSize(1);
        }
    }

    @Test
    void jsonOutputCarriesTheWholeDecision() throws IOException {
        CliRun.Result result = cli.run("route", "--task", "TASK-028", "--json", "--prefer", "gemini");

        JsonNode root = JSON.readTree(result.out());
        JsonNode decision = root.get("decisions").get(0);
        assertThat(root.get("dry_run").asBoolean()).isFalse();
        assertThat(decision.get("task_id").asText()).isEqualTo("TASK-028");
        assertThat(decision.get("traits").get("complexity").asInt()).isEqualTo(30);
        assertThat(decision.get("traits").get("set_by").get("complexity").asText()).startsWith("stated");
        JsonNode gemini = null;
        for (JsonNode candidate : decision.get("candidates")) {
            if (candidate.get("agent").asText().equals("gemini")) {
                gemini = candidate;
            }
        }
        assertThat(gemini).isNotNull();
        assertThat(gemini.get("factors").get("preference").get("value").asDouble()).isEqualTo(1.0);
        assertThat(gemini.get("factors").get("preference").get("reason").asText()).isEqualTo("named by --prefer");
        assertThat(decision.get("weights").get("success_rate").asDouble()).isEqualTo(20.0);
    }

    @Test
    void aRetryIsFlaggedAndNeverRepicksTheAgentThatFailed() throws IOException {
        assertThat(cli.run("route", "--task", "TASK-028").code()).isZero();
        try (Database database = openDatabase()) {
            var store = database.store();
            var codex = store.find("codex").orElseThrow();
            store.startAttempt("TASK-028", codex.id(), "codex", Mode.AUTO, "implement", cli.clock.instant());
            cli.clock.tick(Duration.ofMinutes(5));
            store.finishAttempt("TASK-028", 1, AttemptState.FAILED, cli.clock.instant());
        }

        CliRun.Result result = cli.run("route", "--task", "TASK-028", "--json");

        JsonNode decision = JSON.readTree(result.out()).get("decisions").get(0);
        assertThat(decision.get("attempt").asInt()).isEqualTo(2);
        assertThat(decision.get("retried").asBoolean()).isTrue();
        assertThat(decision.get("chosen_agent").asText()).isNotEqualTo("codex");
        assertThat(decision.get("exclusions").toString()).contains("\"agent\":\"codex\"").contains("failed_this_task");
    }

    @Test
    void noCandidateExitsWith3AndNamesThePool() throws IOException {
        Files.writeString(dir.resolve("tasks/infra.yaml"), """
                id: OPS-1
                title: Deploy the gateway
                pool: infra
                """);

        CliRun.Result result = cli.run("route", "--task", "OPS-1");

        assertThat(result.code()).isEqualTo(ExitCodes.NO_AGENT);
        assertThat(result.out()).contains("→ no agent").contains("pool 'infra' has no agents");
    }

    @Test
    void aBrokenConfigIsOneClearErrorAndNothingIsWritten() throws IOException {
        Files.writeString(dir.resolve("switchboard.yaml"), """
                agents:
                  codex:
                    cost_per_1k_tokens: -1
                """);

        CliRun.Result result = cli.run("route", "--task", "TASK-028");

        assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).startsWith("switchboard: switchboard.yaml:3: agents.codex.cost_per_1k_tokens:")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(result.err().lines()).hasSize(1);
        assertThat(dir.resolve(".switchboard")).doesNotExist();
    }

    @Test
    void anUnknownTaskIdIsNotFound() {
        CliRun.Result result = cli.run("route", "--task", "TASK-999");

        assertThat(result.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(result.err()).contains("TASK-999");
    }

    @Test
    void preferMustNameAKnownAgent() {
        CliRun.Result result = cli.run("route", "--task", "TASK-028", "--prefer", "nobody");

        assertThat(result.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(result.err()).contains("unknown agent 'nobody'").contains("claude-code, codex, gemini");
    }

    @Test
    void exactlyOneTaskSourceIsRequired() {
        CliRun.Result none = cli.run("route");
        CliRun.Result both = cli.run("route", "--task", "TASK-028", "--prompt", "x");

        assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("mutually exclusive");
    }

    @Test
    void decisionsAreFilteredByAgentWorkTypeAndTime() throws IOException {
        cli.run("route", "--task", "TASK-028");
        cli.clock.tick(Duration.ofHours(5));
        cli.run("route", "--prompt", "Review the authentication module");

        assertThat(JSON.readTree(cli.run("decisions", "--json").out())).hasSize(2);
        assertThat(JSON.readTree(cli.run("decisions", "--agent", "claude-code", "--json").out())).hasSize(1);
        assertThat(JSON.readTree(cli.run("decisions", "--work-type", "implement", "--json").out())).hasSize(1);
        assertThat(JSON.readTree(cli.run("decisions", "--since", "1h", "--json").out()))
                .singleElement().satisfies(d -> assertThat(d.get("work_type").asText()).isEqualTo("review"));
        CliRun.Result table = cli.run("decisions");
        assertThat(table.out()).contains("TASK-028").contains("codex").contains("claude-code");
        assertThat(cli.run("decisions", "--since", "yesterday").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aPlanFileRoutesEveryTaskInIt() throws IOException {
        Files.writeString(dir.resolve("plan.md"), """
                ---
                phase: 02-search
                plan: 01
                ---

                <task type="auto">
                  <name>Task 1: Add a search index</name>
                  <files>search/src/Index.java</files>
                  <action>Build an inverted index over titles.</action>
                </task>

                <task type="auto">
                  <name>Task 2: Review the index for correctness</name>
                  <action>Read the code and report problems.</action>
                </task>
                """);

        CliRun.Result result = cli.run("route", "--file", "plan.md", "--json");

        assertThat(result.code()).as(result.toString()).isZero();
        JsonNode decisions = JSON.readTree(result.out()).get("decisions");
        assertThat(decisions).hasSize(2);
        assertThat(decisions.get(0).get("task_id").asText()).isEqualTo("02-search-01-1");
        assertThat(decisions.get(1).get("mode").asText()).isEqualTo("plan");
        assertThat(decisions.get(1).get("source").asText()).isEqualTo("plan.md:12");
    }
}
