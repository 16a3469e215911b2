package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.performance.Difficulty;
import io.switchboard.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentsCommandTest {
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
                    strengths: [reasoning]
                    cost_per_1k_tokens: 0.015
                    context_limit: 200000
                    availability: local
                  codex-cli:
                    strengths: [speed]
                    cost_per_1k_tokens: 0.006
                    context_limit: 128000
                    availability: local
                """);
    }

    @Test
    void listShowsTheDeclaredAgentsSyncedIntoTheRegistry() throws IOException {
        CliRun.Result table = cli.run("agents", "list");
        JsonNode json = JSON.readTree(cli.run("agents", "list", "--json").out());

        assertThat(table.code()).as(table.toString()).isZero();
        assertThat(table.out()).contains("claude-code").contains("codex-cli").contains("online");
        assertThat(json).hasSize(2);
        assertThat(json.get(1).get("name").asText()).isEqualTo("codex-cli");
        assertThat(json.get(1).get("adapter").asText()).isEqualTo("codex");
        assertThat(json.get(1).get("origin").asText()).isEqualTo("config");
    }

    @Test
    void addShowAndRemoveAnAgent() throws IOException {
        CliRun.Result added = cli.run("agents", "add", "ops-bot", "--adapter", "command", "--pool", "infra",
                "--capability", "deploy", "--strength", "terraform,kubernetes", "--cost", "0.001",
                "--command", "./bin/ops-bot", "--json-output");

        assertThat(added.code()).as(added.toString()).isZero();
        JsonNode shown = JSON.readTree(cli.run("agents", "show", "ops-bot", "--json").out());
        assertThat(shown.get("pool").asText()).isEqualTo("infra");
        assertThat(shown.get("origin").asText()).isEqualTo("cli");
        assertThat(shown.get("command").toString()).isEqualTo("[\"./bin/ops-bot\",\"--json-output\"]");
        assertThat(shown.get("strengths").toString()).isEqualTo("[\"terraform\",\"kubernetes\"]");

        assertThat(cli.run("agents", "add", "ops-bot", "--adapter", "command", "--command", "x").code())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(cli.run("agents", "remove", "ops-bot").code()).isZero();
        assertThat(cli.run("agents", "show", "ops-bot").code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(cli.run("agents", "remove", "ops-bot").code()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void aDeclaredAgentIsChangedInConfigNotByTheCli() {
        CliRun.Result removed = cli.run("agents", "remove", "codex-cli");
        CliRun.Result added = cli.run("agents", "add", "claude-code");

        assertThat(removed.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(removed.err()).contains("declared in switchboard.yaml:").contains("remove it there");
        assertThat(added.code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void addRejectsImpossibleValuesClearly() {
        CliRun.Result result = cli.run("agents", "add", "claude-mini", "--context-limit", "0");
        CliRun.Result negative = cli.run("agents", "add", "claude-mini", "--cost", "-0.5");

        assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).isEqualTo("switchboard: --context-limit must be more than zero, was 0\n");
        assertThat(negative.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(negative.err()).contains("--cost must be zero or more, was -0.5");
        assertThat(cli.run("agents", "show", "claude-mini").code()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void statusCanBeSetAndTheRouterStopsChoosingAnOfflineAgent() throws IOException {
        assertThat(cli.run("agents", "status", "codex-cli", "--set", "offline").code()).isZero();

        JsonNode status = JSON.readTree(cli.run("agents", "status", "--json").out());
        CliRun.Result routed = cli.run("route", "--prompt", "Fix the typo in the README", "--json");

        assertThat(status.get(1).get("status").asText()).isEqualTo("offline");
        JsonNode decision = JSON.readTree(routed.out()).get("decisions").get(0);
        assertThat(decision.get("chosen_agent").asText()).isEqualTo("claude-code");
        assertThat(decision.get("exclusions").get(0).get("reason").asText()).isEqualTo("offline");
        assertThat(cli.run("agents", "status", "codex-cli", "--set", "sleepy").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void statsShowsEachAgentsRecordPerWorkType() throws IOException {
        cli.run("agents", "list");
        try (Database database = Database.open("jdbc:sqlite:" + dir.resolve(".switchboard/state.db"))) {
            var store = database.store();
            var codex = store.find("codex-cli").orElseThrow();
            for (int i = 0; i < 3; i++) {
                store.recordOutcome(codex.id(), "implement", i < 2, cli.clock.instant(), Duration.ofDays(14), 60_000,
                        1_000, 0.01, Difficulty.STRAIGHTFORWARD);
            }
        }

        CliRun.Result table = cli.run("stats");
        JsonNode json = JSON.readTree(cli.run("stats", "--json").out());

        assertThat(table.out()).contains("codex-cli").contains("implement").contains("67%").contains("60.0 s");
        assertThat(json.get(0).get("successes").asInt()).isEqualTo(2);
        assertThat(json.get(0).get("failures").asInt()).isEqualTo(1);
        assertThat(json.get(0).get("difficulty").asText()).isEqualTo("straightforward");
    }
}
