package io.switchboard.process;

import static io.switchboard.process.AgentRunBuilder.aRunOf;
import static io.switchboard.process.AgentRunBuilder.anAgentRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.RunResult;
import io.switchboard.process.adapter.CliAdapter;
import io.switchboard.process.adapter.CommandAdapter;
import io.switchboard.testkit.agent.FakeAgent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How an end that the runner did not cause is judged: death by a signal first, then the adapter. (The
 * runner's own reasons, which come before both, are in the tests of each limit.)
 */
class EndClassificationTest {
    @TempDir
    Path dir;

    @Test
    void exitStatusZeroIsASuccess() throws Exception {
        RunResult result = run(new CommandAdapter(), anAgentRun("ok").in(dir).build());

        assertThat(result.succeeded()).isTrue();
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout().text()).isEqualTo("ok\n");
        assertThat(result.duration()).isPositive();
    }

    @Test
    void aNonZeroExitIsJudgedByTheAdapter() throws Exception {
        RunResult result = run(new CommandAdapter(), anAgentRun("exit", "3").in(dir).build());

        assertThat(result.failure().type()).isEqualTo(FailureType.EXIT_CODE);
        assertThat(result.exitCode()).isEqualTo(3);
    }

    @Test
    void theAdapterReadsQuotaInTheEndOfStderr() throws Exception {
        RecordingAdapter adapter = new RecordingAdapter();

        RunResult result = run(adapter, anAgentRun("stderr", "error: quota exceeded, resets at 10:00", "exit", "1")
                .in(dir).build());

        assertThat(result.failure().type()).isEqualTo(FailureType.QUOTA);
        assertThat(adapter.stderrTails).containsExactly("error: quota exceeded, resets at 10:00\n");
    }

    @Test
    void theSummaryAndSessionComeFromTheAdapter() throws Exception {
        RunResult result = run(new RecordingAdapter(), anAgentRun("print", "session 7f3a", "print", "summary all done")
                .in(dir).build());

        assertThat(result.sessionId()).isEqualTo("7f3a");
        assertThat(result.summary()).isEqualTo("all done");
    }

    @ParameterizedTest
    @CsvSource({"SEGV, SIGSEGV", "KILL, SIGKILL", "TERM, SIGTERM", "ABRT, SIGABRT"})
    void deathByASignalWeDidNotSendIsSignalNamingIt(String signal, String name) throws Exception {
        RunResult result = run(new CommandAdapter(), anAgentRun("print", "about to die", "signal", signal).in(dir)
                .build());

        assertThat(result.failure().type()).isEqualTo(FailureType.SIGNAL);
        assertThat(result.failure().message()).contains(name);
        assertThat(result.failure().detail()).contains(name);
        assertThat(result.exitCode()).isNull();
        assertThat(result.stdout().text()).isEqualTo("about to die\n");
    }

    @Test
    void aCommandTheSystemRefusesToStartIsLaunchFailed() throws Exception {
        List<String> argv = new ArrayList<>(FakeAgent.command("ok"));
        argv.add("a NUL \0 in an argument");

        RunResult result = run(new CommandAdapter(), aRunOf(argv).in(dir).build());

        assertThat(result.failure().type()).isEqualTo(FailureType.LAUNCH_FAILED);
        assertThat(result.failure().message()).contains("could not start");
        assertThat(result.exitCode()).isNull();
    }

    private static RunResult run(CliAdapter adapter, RunRequest request) throws InterruptedException {
        return new LocalAgentRunner(RunnerSettings.defaults(), kind -> adapter).start(request, RunObserver.NONE)
                .await();
    }
}
