package io.switchboard.process;

import static io.switchboard.process.AgentRunBuilder.anAgentRun;
import static io.switchboard.process.AgentRunBuilder.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.execution.RunningAgent;
import io.switchboard.process.adapter.CommandAdapter;
import io.switchboard.process.internal.PidWindow;
import io.switchboard.testkit.agent.FakeAgent;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clean-up after a run reads only the processes created since its agent, unless the pid counter may have
 * wrapped around: then it reads them all. The kernel's counters are given by each test, and a decoy shows which
 * way was taken: a process started before the run, so with a lower pid, that carries the run's marker as an
 * escaped descendant would. The window leaves it unread; the full scan stops it.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class CleanUpWindowTest {
    /** Counters under which no wrap is possible: no fork, few tasks, a cursor far ahead, a large pid space. */
    private static final PidWindow.Kernel NO_WRAP = kernel(0, 100, Integer.MAX_VALUE, 4_194_304);
    /** A pid space so small that the tasks alone could fill a lap. */
    private static final PidWindow.Kernel SMALL_PID_SPACE = kernel(0, 100, Integer.MAX_VALUE, 1_000);
    /** A cursor seen below any agent's pid: it went back, so it wrapped. */
    private static final PidWindow.Kernel CURSOR_WENT_BACK = kernel(0, 100, 1, 4_194_304);

    @TempDir
    Path dir;

    /** Runs a test makes at most when the host's pid counter keeps wrapping under it. */
    private static final int MOST_TRIES = 5;

    private RunRequest request;
    private Process decoy;
    private long leader;

    @BeforeEach
    void startTheDecoy() throws Exception {
        request = anAgentRun("double-fork", "60000", "ok").in(dir).build();
        ProcessBuilder builder = new ProcessBuilder(FakeAgent.command("sleep", "60000"));
        builder.environment().put(RunRequest.MARKER_VARIABLE, request.marker());
        decoy = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @AfterEach
    void stopTheDecoy() {
        decoy.destroyForcibly();
    }

    @Test
    void aDescendantThatLeftTheGroupIsFoundThroughTheWindowAndOlderPidsAreNotRead() throws Exception {
        for (int tries = 1; ; tries++) {
            RunResult result = runWith(NO_WRAP, request);
            long descendant = Processes.numberAfter("descendant", result.stdout().text());
            try {
                if (descendant > leader && leader > decoy.pid()) {
                    assertThat(result.failure()).isNull();
                    assertThat(Processes.running(descendant)).as("found by its marker above the agent's pid").isFalse();
                    assertThat(decoy.isAlive()).as("below the agent's pid: not read").isTrue();
                    return;
                }
            } finally {
                ProcessHandle.of(descendant).ifPresent(ProcessHandle::destroyForcibly);
            }
            // The host's pid counter wrapped between the decoy and the run: the order this test needs is not
            // there, so it starts over with a new decoy.
            assertThat(tries).as("the pid counter wrapped during every try").isLessThan(MOST_TRIES);
            stopTheDecoy();
            startTheDecoy();
        }
    }

    @Test
    void anOrphanedGrandchildIsFoundThroughTheWindowByItsProcessGroup() throws Exception {
        for (int tries = 1; ; tries++) {
            RunResult result = runWith(NO_WRAP, anAgentRun("unmark", "grandchild", "60000").in(dir).build());
            long grandchild = Processes.numberAfter("grandchild", result.stdout().text());
            try {
                if (grandchild > leader) {
                    assertThat(result.failure()).isNull();
                    assertThat(Processes.running(grandchild)).isFalse();
                    return;
                }
            } finally {
                ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
            }
            // The pid counter wrapped during the run: the grandchild got a pid below the agent's; run again.
            assertThat(tries).as("the pid counter wrapped during every try").isLessThan(MOST_TRIES);
        }
    }

    @Test
    void everyProcessIsReadWhenTheCountersCannotRuleOutAWrap() throws Exception {
        RunResult result = runWith(SMALL_PID_SPACE, request);

        assertThat(result.failure()).isNull();
        assertThat(Processes.running(Processes.numberAfter("descendant", result.stdout().text()))).isFalse();
        assertThat(decoy.waitFor(10, TimeUnit.SECONDS)).as("found by its marker below the agent's pid").isTrue();
        assertThat(Processes.carrying(request.marker())).isEmpty();
    }

    @Test
    void everyProcessIsReadWhenTheCursorWasSeenGoingBack() throws Exception {
        RunResult result = runWith(CURSOR_WENT_BACK, request);

        assertThat(result.failure()).isNull();
        assertThat(Processes.running(Processes.numberAfter("descendant", result.stdout().text()))).isFalse();
        assertThat(decoy.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    private RunResult runWith(PidWindow.Kernel kernel, RunRequest request) throws InterruptedException {
        LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults().withGracePeriod(ms(500)),
                kind -> new CommandAdapter(), System::nanoTime, kernel);
        RunningAgent run = runner.start(request, RunObserver.NONE);
        leader = run.pid();
        return run.await();
    }

    private static PidWindow.Kernel kernel(long forks, long tasks, long lastPid, long pidMax) {
        return new PidWindow.Kernel() {
            @Override
            public PidWindow.Counters counters() {
                return new PidWindow.Counters(forks, tasks, lastPid, pidMax);
            }

            @Override
            public long lastPid() {
                return lastPid;
            }
        };
    }
}
