package io.switchboard.process;

import static io.switchboard.process.AgentRunBuilder.anAgentRun;
import static io.switchboard.process.AgentRunBuilder.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.execution.VerifyRequest;
import io.switchboard.process.adapter.CommandAdapter;
import io.switchboard.process.internal.Redaction;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task's verification command runs under the same supervision as an agent, judged by its exit status. */
class VerifyTest {
    private static final String CANARY = "ghp_canary_93kd0s";

    @TempDir
    Path dir;

    private final LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults().withGracePeriod(ms(500)),
            kind -> new CommandAdapter());

    @Test
    void aVerificationThatExitsZeroPasses() throws Exception {
        RunResult result = runner.verify(anAgentRun("print", "12 tests passed").in(dir).buildVerify()).await();

        assertThat(result.succeeded()).isTrue();
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout().text()).isEqualTo("12 tests passed\n");
    }

    @Test
    void aVerificationThatExitsNonZeroFailsWithItsStatusAndOutput() throws Exception {
        RunResult result = runner.verify(anAgentRun("print", "3 tests failed", "exit", "2").in(dir).buildVerify())
                .await();

        assertThat(result.failure().type()).isEqualTo(FailureType.VERIFY_FAILED);
        assertThat(result.failure().message()).contains("status 2");
        assertThat(result.failure().detail()).contains("3 tests failed");
        assertThat(result.exitCode()).isEqualTo(2);
    }

    @Test
    void aVerificationKilledByASignalFailsNamingIt() throws Exception {
        RunResult result = runner.verify(anAgentRun("signal", "SEGV").in(dir).buildVerify()).await();

        assertThat(result.failure().type()).isEqualTo(FailureType.VERIFY_FAILED);
        assertThat(result.failure().message()).contains("SIGSEGV");
    }

    @Test
    void aVerificationRunningPastItsTimeoutEndsWithTimeout() throws Exception {
        RunResult result = runner.verify(anAgentRun("sleep", "60000").in(dir).timeout(ms(500)).buildVerify())
                .await();

        assertThat(result.failure().type()).isEqualTo(FailureType.TIMEOUT);
    }

    @Test
    void aVerificationIsRedactedAndSweptLikeAnAgent() throws Exception {
        AgentRunBuilder request = anAgentRun("print-env", "TOKEN", "double-fork", "60000").in(dir)
                .env("TOKEN", CANARY).secret(CANARY);
        VerifyRequest verify = request.buildVerify();

        RunResult result = runner.verify(verify).await();

        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdout().text()).startsWith(Redaction.MASK + "\n").doesNotContain(CANARY);
        assertThat(Processes.running(Processes.numberAfter("descendant", result.stdout().text()))).isFalse();
        assertThat(Processes.carrying(verify.marker())).isEmpty();
    }

    @Test
    void aVerificationInAMissingDirectoryIsAnInvalidTask() throws Exception {
        RunResult result = runner.verify(anAgentRun("ok").in(dir.resolve("gone")).buildVerify()).await();

        assertThat(result.failure().type()).isEqualTo(FailureType.INVALID_TASK);
        assertThat(result.failure().message()).contains(dir.resolve("gone").toString());
    }
}
