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
    void anUnreachableDatabaseIsExitCode5WithoutATrace() throws IOException {
        CliRun cli = new CliRun(dir);
        Files.writeString(dir.resolve("switchboard.yaml"), "agents: {codex: {}}\n");

        CliRun.Result result = cli.run("--db", "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1", "route",
                "--prompt", "Fix it");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.STORE);
        assertThat(result.err()).startsWith("switchboard: ").doesNotContain("\tat ");
    }
}
