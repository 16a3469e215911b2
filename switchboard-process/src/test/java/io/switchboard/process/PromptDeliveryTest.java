package io.switchboard.process;

import static io.switchboard.process.AgentRunBuilder.aRunOf;
import static io.switchboard.process.AgentRunBuilder.anAgentRun;
import static io.switchboard.process.AgentRunBuilder.ms;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.execution.RunningAgent;
import io.switchboard.process.adapter.CommandAdapter;
import io.switchboard.testkit.agent.FakeAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptDeliveryTest {
    /** Everything a shell would act on, a leading dash, and more than two pipes' worth of bytes. */
    private static final String HOSTILE_PROMPT = ("-rf --help\n$(rm -rf ~) `id` ${HOME} 'single' \"double\" \\ ; | & "
            + "* ? ~ ! # ünïcödé ☃ 𝄞\r\n\t").repeat(2_000) + "last line without an end";

    @TempDir
    Path dir;

    private final LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults().withGracePeriod(ms(500)),
            kind -> new CommandAdapter());

    @Test
    void thePromptReachesTheAgentOnStdinByteForByte() throws Exception {
        Path copy = dir.resolve("stdin.bin");

        RunResult result = runner.start(anAgentRun("stdin-to", copy.toString(), "ok").in(dir)
                .prompt(HOSTILE_PROMPT).build(), RunObserver.NONE).await();

        assertThat(result.failure()).isNull();
        assertThat(HOSTILE_PROMPT.getBytes(UTF_8)).hasSizeGreaterThan(128 * 1024);
        assertThat(Files.readAllBytes(copy)).isEqualTo(HOSTILE_PROMPT.getBytes(UTF_8));
    }

    @Test
    void aPromptBiggerThanThePipeDoesNotBlockAnAgentThatNeverReadsIt() throws Exception {
        RunResult result = runner.start(anAgentRun("ignore-stdin", "print", "done without reading").in(dir)
                .prompt("x".repeat(4 << 20)).build(), RunObserver.NONE).await();

        assertThat(result.failure()).isNull();
        assertThat(result.stdout().text()).isEqualTo("done without reading\n");
    }

    @Test
    void aPromptInAFileIsPrivateOutsideTheWorkingDirectoryAndDeletedAfterTheRun() throws Exception {
        Path copy = dir.resolve("prompt-copy.bin");

        RunResult result = runner.start(aRunOf(FakeAgent.command("describe-file", CommandAdapter.PROMPT_FILE,
                "copy", CommandAdapter.PROMPT_FILE, copy.toString())).in(dir).prompt(HOSTILE_PROMPT).build(),
                RunObserver.NONE).await();

        assertThat(result.failure()).isNull();
        assertThat(Files.readAllBytes(copy)).isEqualTo(HOSTILE_PROMPT.getBytes(UTF_8));
        String[] words = result.stdout().text().trim().split(" ");
        Path promptFile = Path.of(words[1]);
        assertThat(words).containsExactly("file", promptFile.toString(), "rw-------", "dir", "rwx------");
        assertThat(promptFile.toAbsolutePath().startsWith(dir.toAbsolutePath())).isFalse();
        assertThat(promptFile).doesNotExist();
        assertThat(promptFile.getParent()).doesNotExist();
    }

    @Test
    void aNulByteInThePromptEndsTheRunWithoutStartingIt() throws Exception {
        Path log = dir.resolve("runs.log");

        RunningAgent run = runner.start(anAgentRun("--log", log.toString(), "ok").in(dir)
                .prompt("before\0after").build(), RunObserver.NONE);
        RunResult result = run.await();

        assertThat(run.pid()).isEqualTo(-1);
        assertThat(result.failure().type()).isEqualTo(FailureType.INVALID_TASK);
        assertThat(result.failure().nonRetryable()).isTrue();
        assertThat(result.failure().message()).contains("NUL byte");
        assertThat(result.exitCode()).isNull();
        assertThat(log).doesNotExist();
    }
}
