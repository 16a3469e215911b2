package io.switchboard.process;

import static io.switchboard.process.AgentRunBuilder.aRunOf;
import static io.switchboard.process.AgentRunBuilder.anAgentRun;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunResult;
import io.switchboard.process.adapter.CommandAdapter;
import io.switchboard.process.internal.Redaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets are replaced in everything the runner keeps, and never reach a command line. */
class SecretsTest {
    private static final String CANARY = "sk-canary-4f1d9a7c2b";

    @TempDir
    Path dir;

    @Test
    void aSecretIsRedactedFromOutputLinesSummaryAndStderr() throws Exception {
        RecordingAdapter adapter = new RecordingAdapter();
        LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults(), kind -> adapter);

        RunResult result = runner.start(anAgentRun("print-env", "API_KEY", "print", "summary the key is " + CANARY,
                "stderr", "auth failed for " + CANARY).in(dir).env("API_KEY", CANARY).secret(CANARY).build(),
                RunObserver.NONE).await();

        assertThat(result.failure()).isNull();
        assertThat(result.stdout().text()).isEqualTo(Redaction.MASK + "\nsummary the key is " + Redaction.MASK
                + "\n");
        assertThat(result.stderr().text()).isEqualTo("auth failed for " + Redaction.MASK + "\n");
        assertThat(result.summary()).isEqualTo("the key is " + Redaction.MASK);
        assertThat(adapter.lines).extracting(RecordingAdapter.Line::text)
                .containsExactly(Redaction.MASK, "summary the key is " + Redaction.MASK);
        assertThat(adapter.stderrTails).singleElement().asString().doesNotContain(CANARY);
    }

    @Test
    void aSecretSplitAcrossReadsIsRedacted() throws Exception {
        LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults(), kind -> new CommandAdapter());

        // Two writes with a pause between them arrive as two reads.
        RunResult result = runner.start(anAgentRun("print-part", "token=" + CANARY.substring(0, 7), "sleep", "300",
                "print", CANARY.substring(7) + " end").in(dir).secret(CANARY).build(), RunObserver.NONE).await();

        assertThat(result.stdout().text()).isEqualTo("token=" + Redaction.MASK + " end\n");
    }

    @Test
    void aSecretIsRedactedFromFailureMessages() throws Exception {
        LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults(), kind -> new CommandAdapter());

        RunResult result = runner.start(aRunOf(List.of("agent-" + CANARY)).in(dir).secret(CANARY).build(),
                RunObserver.NONE).await();

        assertThat(result.failure().type()).isEqualTo(FailureType.BINARY_MISSING);
        assertThat(result.failure().message()).contains("agent-" + Redaction.MASK).doesNotContain(CANARY);
    }

    @Test
    void theCommandLineCarriesNoSecret() throws Exception {
        LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults(), kind -> new CommandAdapter());
        Path cmdline = dir.resolve("cmdline.bin");

        RunResult result = runner.start(anAgentRun("cmdline-to", cmdline.toString()).in(dir).env("API_KEY", CANARY)
                .secret(CANARY).prompt("use " + CANARY).build(), RunObserver.NONE).await();

        assertThat(result.failure()).isNull();
        String started = Files.readString(cmdline, UTF_8);
        assertThat(started).contains("cmdline-to").doesNotContain(CANARY);
    }
}
