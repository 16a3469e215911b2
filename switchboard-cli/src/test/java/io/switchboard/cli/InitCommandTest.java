package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {
    @TempDir
    Path dir;

    @Test
    void initWritesAStarterConfigThatRoutesAtOnce() throws IOException {
        CliRun cli = new CliRun(dir);

        CliRun.Result init = cli.run("init");
        CliRun.Result again = cli.run("init");
        CliRun.Result routed = cli.run("route", "--dry-run", "--prompt", "Design the caching layer");

        assertThat(init.code()).as(init.toString()).isZero();
        assertThat(Files.readString(dir.resolve("switchboard.yaml"))).contains("claude-code").contains("codex")
                .contains("gemini").contains("aider").contains("rules:");
        assertThat(dir.resolve("tasks")).isDirectory();
        assertThat(again.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(again.err()).contains("already exists").contains("--force");
        assertThat(cli.run("init", "--force").code()).isZero();
        assertThat(routed.code()).as(routed.toString()).isZero();
        assertThat(routed.out()).contains("→ claude-code in plan mode");
    }

    @Test
    void directoryOptionRunsAsIfStartedThere() throws IOException {
        CliRun cli = new CliRun(dir);

        assertThat(cli.run("-C", "project", "init").code()).isZero();

        assertThat(dir.resolve("project/switchboard.yaml")).exists();
    }

    @Test
    void helpAndVersionWorkEverywhere() {
        CliRun cli = new CliRun(dir);

        for (String[] args : new String[][] {{"--help"}, {"--version"}, {"route", "--help"}, {"agents", "list", "--help"},
                {"decisions", "--version"}, {"stats", "--help"}, {"init", "--help"}}) {
            CliRun.Result result = cli.run(args);
            assertThat(result.code()).as(String.join(" ", args)).isZero();
            assertThat(result.out()).as(String.join(" ", args)).isNotBlank();
        }
        assertThat(cli.run("--version").out()).startsWith("switchboard ");
        assertThat(cli.run("--help").out()).contains("Exit codes: 0 ok");
        assertThat(cli.run("no-such-command").code()).isEqualTo(ExitCodes.USAGE);
    }
}
