package io.switchboard.process;

import static io.switchboard.process.AgentRunBuilder.anAgentRun;
import static io.switchboard.process.AgentRunBuilder.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.execution.RunningAgent;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stop} from another thread ends a run with the caller's reason, unless it had already ended. */
class StopTest {
    @TempDir
    Path dir;

    @Test
    void stopFromAnotherThreadEndsTheRunWithThatReason() throws Exception {
        RecordingAdapter adapter = RecordingAdapter.awaiting("ready");
        LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults().withGracePeriod(ms(500)),
                kind -> adapter);
        RunningAgent run = runner.start(anAgentRun("print", "ready", "sleep", "60000").in(dir).build(),
                RunObserver.NONE);
        assertThat(adapter.sawAwaitedLine()).isTrue();

        Thread stopper = new Thread(() -> run.stop(FailureType.CANCELLED));
        stopper.start();
        RunResult result = run.await();
        stopper.join();

        assertThat(result.failure().type()).isEqualTo(FailureType.CANCELLED);
        assertThat(result.failure().type().attemptState()).isEqualTo(AttemptState.CANCELLED);
        assertThat(result.exitCode()).as("ended by SIGTERM").isNull();
        assertThat(Processes.running(run.pid())).isFalse();
    }

    @Test
    void stopAfterTheRunEndedChangesNothing() throws Exception {
        LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults(), kind -> new RecordingAdapter());
        RunningAgent run = runner.start(anAgentRun("ok").in(dir).build(), RunObserver.NONE);
        RunResult first = run.await();

        run.stop(FailureType.CANCELLED);

        assertThat(first.failure()).isNull();
        assertThat(run.await()).isSameAs(first);
    }
}
