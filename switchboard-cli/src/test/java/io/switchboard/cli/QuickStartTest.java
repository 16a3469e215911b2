package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.input.config.StarterConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's first command, on the quick-start folder it names: it must keep working as documented. */
class QuickStartTest {
    private static final Path QUICK_START = Path.of("..", "examples", "quickstart").toAbsolutePath().normalize();

    @Test
    void theQuickStartConfigIsTheStarterConfig() throws IOException {
        assertThat(Files.readString(QUICK_START.resolve("switchboard.yaml"))).isEqualTo(StarterConfig.text());
    }

    @Test
    void theReadmesFirstCommandExplainsItsChoice() {
        CliRun cli = new CliRun(QUICK_START);

        CliRun.Result result = cli.run("route", "--dry-run", "--task", "TASK-028", "--explain");

        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.out())
                .contains("TASK-028  Add a rate limiter to the public API")
                .contains("→ codex in auto mode")
                .contains("Mode auto from rule 'complex-implementation'")
                .contains("complexity        65                              stated (Metadata, line 6)")
                .contains("Why codex");
    }

    @Test
    void everyQuickStartTaskRoutes() {
        CliRun cli = new CliRun(QUICK_START);

        for (String id : new String[] {"TASK-028", "TASK-029", "01-api-01-1", "01-api-01-2", "01-api-01-3"}) {
            CliRun.Result result = cli.run("route", "--dry-run", "--task", id);
            assertThat(result.code()).as(id + "\n" + result).isZero();
        }
        assertThat(cli.run("route", "--dry-run", "--task", "TASK-029").out()).contains("→ claude-code in plan mode");
    }
}
