package io.switchboard.cli;

import io.switchboard.input.config.ConfigLoader;
import io.switchboard.input.config.StarterConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code switchboard init}: writes a commented starter {@code switchboard.yaml}. */
@Command(name = "init", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Write a commented starter switchboard.yaml (Claude Code, Codex CLI, Gemini CLI, Aider",
            "and the default rules) and create the tasks/ folder."})
final class InitCommand implements Callable<Integer> {
    @ParentCommand
    SwitchboardCommand root;

    @Option(names = "--force", description = "Overwrite an existing switchboard.yaml.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        Path base = root.workspace().base();
        Path config = base.resolve(ConfigLoader.CONFIG_FILE);
        if (Files.exists(config) && !force) {
            throw CliException.usage(ConfigLoader.CONFIG_FILE + " already exists in " + base
                    + "; use --force to overwrite it");
        }
        Files.createDirectories(base);
        Files.writeString(config, StarterConfig.text(), StandardCharsets.UTF_8);
        Files.createDirectories(base.resolve("tasks"));
        Shell shell = root.shell();
        shell.out().println("Wrote " + ConfigLoader.CONFIG_FILE + " with 4 agents (claude-code, codex, gemini, aider) "
                + "and the default rules.");
        shell.out().println("Next: put task files in tasks/, then run: switchboard route --task ID --explain");
        return ExitCodes.OK;
    }
}
