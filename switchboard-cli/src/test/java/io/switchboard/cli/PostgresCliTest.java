package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.store.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a real PostgreSQL, through --db and SWITCHBOARD_DB. */
class PostgresCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PostgresServer.Schema schema;

    @TempDir
    Path dir;

    @BeforeAll
    static void createSchema() {
        schema = PostgresServer.newSchema(PostgresCliTest.class);
    }

    @AfterAll
    static void dropSchema() {
        schema.close();
    }

    @Test
    void routesRecordsAndQueriesDecisionsInPostgres() throws IOException {
        CliRun cli = new CliRun(dir);
        assertThat(cli.run("init").code()).isZero();

        CliRun.Result routed = cli.run("--db", schema.url(), "route", "--prompt", "Review the payment webhook handler");
        cli.env.put("SWITCHBOARD_DB", schema.url());
        CliRun.Result decisions = cli.run("decisions", "--json");
        CliRun.Result agents = cli.run("agents", "list", "--json");

        assertThat(routed.code()).as(routed.toString()).isZero();
        assertThat(routed.out()).contains("→ claude-code in plan mode").contains("recorded as decision 1");
        JsonNode stored = JSON.readTree(decisions.out());
        assertThat(stored).singleElement().satisfies(d -> {
            assertThat(d.get("chosen_agent").asText()).isEqualTo("claude-code");
            assertThat(d.get("work_type").asText()).isEqualTo("review");
            assertThat(d.get("candidates")).hasSize(4);
        });
        assertThat(JSON.readTree(agents.out())).hasSize(4);
        assertThat(dir.resolve(".switchboard")).doesNotExist();
    }

    @Test
    void orchestratesWithRetryAndRecordsEveryAttemptInPostgres() throws IOException {
        CliRun cli = new CliRun(dir);
        cli.env.put("PATH", System.getenv("PATH"));
        Files.writeString(dir.resolve("switchboard.yaml"), """
                agents:
                  first:
                    adapter: command
                    command: %s
                    specializations: [implement]
                  second:
                    adapter: command
                    command: %s
                """.formatted(OrchestrateCommandTest.yamlList(io.switchboard.testkit.agent.FakeAgent.command("exit", "2")),
                OrchestrateCommandTest.yamlList(io.switchboard.testkit.agent.FakeAgent.command("print", "done")))
                + OrchestrateCommandTest.NO_BACK_OFF);

        CliRun.Result result = cli.run("--db", schema.url(), "orchestrate", "--prompt", "Implement the CSV export",
                "--json");

        assertThat(result.code()).as(result.toString()).isZero();
        JsonNode task = JSON.readTree(result.out()).get("tasks").get(0);
        assertThat(task.get("agent").asText()).isEqualTo("second");
        assertThat(task.get("attempts").asInt()).isEqualTo(2);
        try (io.switchboard.store.Database database = io.switchboard.store.Database.open(schema.url())) {
            var store = database.store();
            String id = task.get("task").asText();
            assertThat(store.attemptRecords(id)).extracting(a -> a.attempt().agentName() + " " + a.attempt().state())
                    .containsExactly("first FAILED", "second SUCCEEDED");
            assertThat(store.transitions(id)).last().satisfies(t -> assertThat(t.to()).isEqualTo("succeeded"));
        }
        assertThat(dir.resolve(".switchboard")).doesNotExist();
    }

    @Test
    void anUnreachableDatabaseIsExitCode5WithoutATrace() throws IOException {
        CliRun cli = new CliRun(dir);
        Files.writeString(dir.resolve("switchboard.yaml"), "agents: {codex: {}}\n");

        CliRun.Result result = cli.run("--db", "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1", "route",
                "--prompt", "Fix it");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.STORE);
        assertThat(result.err()).startsWith("switchboard: ").doesNotContain("\tat ");
    }
}
