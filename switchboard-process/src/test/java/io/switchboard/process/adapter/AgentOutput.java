package io.switchboard.process.adapter;

import io.switchboard.core.agent.Adapter;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.execution.Usage;
import io.switchboard.testkit.AgentBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The captured agent output in the testkit's {@code agent-output} resources, fed to an adapter's reader line by
 * line the way the runner does.
 */
final class AgentOutput {
    private static final String ROOT = "/io/switchboard/testkit/agent-output/";
    private static final List<String> STDOUT_EXTENSIONS = List.of(".jsonl", ".json", ".txt");

    /** What a reader made of one case: the usage it reported along the way, then its judgement. */
    record Run(List<Usage> progress, Reading reading) {
    }

    private AgentOutput() {
    }

    /** Reads {@code <adapter>/<name>} (standard output and, when there is one, standard error) through a new reader. */
    static Run read(CliAdapter adapter, String folder, String name, int exitCode) {
        return read(adapter, stdout(folder, name), stderr(folder, name), exitCode);
    }

    static Run read(CliAdapter adapter, List<String> stdout, String stderr, int exitCode) {
        OutputReader reader = adapter.newReader();
        List<Usage> progress = new ArrayList<>();
        for (String line : stdout) {
            Usage usage = reader.line(line, false);
            if (usage != null) {
                progress.add(usage);
            }
        }
        return new Run(progress, reader.finish(exitCode, stderr));
    }

    /** The case's standard output, one entry per line; empty when the CLI printed nothing there. */
    static List<String> stdout(String folder, String name) {
        for (String extension : STDOUT_EXTENSIONS) {
            String text = resource(folder + "/" + name + extension);
            if (text != null) {
                return text.lines().toList();
            }
        }
        return List.of();
    }

    /** The case's standard error, or empty. */
    static String stderr(String folder, String name) {
        String text = resource(folder + "/" + name + ".stderr.txt");
        return text == null ? "" : text;
    }

    static AgentProfile profile(Adapter kind) {
        return AgentBuilder.anAgent(kind.configName()).adapter(kind).profile();
    }

    /** The profile with {@code command} replacing the CLI's program. */
    static AgentProfile withCommand(AgentProfile profile, String... command) {
        return new AgentProfile(profile.name(), profile.adapter(), profile.agentType(), profile.pool(),
                profile.capabilities(), profile.specializations(), profile.strengths(), profile.weaknesses(),
                profile.costPer1kTokens(), profile.contextLimit(), profile.availability(), profile.maxConcurrency(),
                profile.modeFlags(), List.of(command));
    }

    private static String resource(String path) {
        try (InputStream in = AgentOutput.class.getResourceAsStream(ROOT + path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
