package io.switchboard.process;

import static io.switchboard.process.AgentRunBuilder.anAgentRun;
import static io.switchboard.process.AgentRunBuilder.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.execution.RunningAgent;
import io.switchboard.process.adapter.CommandAdapter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wall-clock and idle limits, measured on the monotonic clock. */
class TimeLimitTest {
    @TempDir
    Path dir;

    private final LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults().withGracePeriod(ms(500)),
            kind -> new CommandAdapter());

    @Test
    void anAgentRunningPastItsTimeLimitEndsWithTimeout() throws Exception {
        RunResult result = runner.start(anAgentRun("print", "working", "sleep", "60000").in(dir).timeout(ms(700))
                .build(), RunObserver.NONE).await();

        assertThat(result.failure().type()).isEqualTo(FailureType.TIMEOUT);
        assertThat(result.failure().type().attemptState()).isEqualTo(AttemptState.TIMED_OUT);
        assertThat(result.failure().message()).contains("700ms");
        assertThat(result.stdout().text()).isEqualTo("working\n");
    }

    @Test
    void anAgentSilentPastItsIdleLimitEndsWithIdle() throws Exception {
        RunResult result = runner.start(anAgentRun("read-stdin-forever").in(dir).idleTimeout(ms(300)).build(),
                RunObserver.NONE).await();

        assertThat(result.failure().type()).isEqualTo(FailureType.IDLE);
        assertThat(result.failure().type().attemptState()).isEqualTo(AttemptState.TIMED_OUT);
        assertThat(result.failure().message()).contains("300ms");
    }

    @Test
    void outputKeepsAnAgentGoingPastItsIdleLimit() throws Exception {
        // A line every 100 ms for 3 s against an idle limit of 1.5 s.
        RunResult result = runner.start(anAgentRun("drip", "30", "100").in(dir).idleTimeout(ms(1_500)).build(),
                RunObserver.NONE).await();

        assertThat(result.failure()).isNull();
        assertThat(result.duration()).isGreaterThan(ms(1_500));
        assertThat(result.stdout().text()).endsWith("drip 30/30\n");
    }

    @Test
    void theLimitsAreMeasuredOnTheInjectedClock() throws Exception {
        AtomicLong nanos = new AtomicLong();
        LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults(), kind -> new CommandAdapter(),
                nanos::get);
        RunningAgent run = runner.start(anAgentRun("sleep", "60000").in(dir).timeout(Duration.ofMinutes(10))
                .idleTimeout(Duration.ofMinutes(30)).build(), RunObserver.NONE);

        nanos.addAndGet(Duration.ofMinutes(11).toNanos());
        RunResult result = run.await();

        assertThat(result.failure().type()).isEqualTo(FailureType.TIMEOUT);
        assertThat(result.failure().message()).contains("10m");
        assertThat(result.duration()).isEqualTo(Duration.ofMinutes(11));
    }
}
