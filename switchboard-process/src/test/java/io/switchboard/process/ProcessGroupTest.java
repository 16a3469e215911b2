package io.switchboard.process;

import static io.switchboard.process.AgentRunBuilder.anAgentRun;
import static io.switchboard.process.AgentRunBuilder.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.execution.RunningAgent;
import io.switchboard.process.adapter.CommandAdapter;
import io.switchboard.testkit.agent.FakeAgent;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing an agent starts outlives its run: its process group, its descendants, anything with its marker. With
 * the default settings, agents start through posix_spawn where this JVM can call it; {@link
 * ProcessGroupThroughSetsidTest} runs the same through ProcessBuilder and {@code setsid}.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class ProcessGroupTest {
    @TempDir
    Path dir;

    private final LocalAgentRunner runner = new LocalAgentRunner(settings().withGracePeriod(ms(500)),
            kind -> new CommandAdapter());

    /** The settings every runner here starts from: the defaults (posix_spawn where this JVM can call it). */
    RunnerSettings settings() {
        return RunnerSettings.defaults();
    }

    @Test
    void eachAgentGetsAProcessGroupOfItsOwnWhenTheHostHasSetsid() {
        assertThat(runner.ownProcessGroups()).isTrue();
    }

    @Test
    void stoppingARunStopsItsChildren() throws Exception {
        RecordingAdapter adapter = RecordingAdapter.awaiting("ready");
        LocalAgentRunner runner = new LocalAgentRunner(settings().withGracePeriod(ms(500)),
                kind -> adapter);
        RunningAgent run = runner.start(anAgentRun("unmark", "spawn", "60000", "print", "ready", "sleep", "60000")
                .in(dir).build(), RunObserver.NONE);
        assertThat(adapter.sawAwaitedLine()).isTrue();

        run.stop(FailureType.CANCELLED);
        RunResult result = run.await();

        assertThat(result.failure().type()).isEqualTo(FailureType.CANCELLED);
        assertThat(Processes.running(Processes.numberAfter("child", result.stdout().text()))).isFalse();
    }

    @Test
    void aGrandchildHoldingStdoutOpenDoesNotHangTheRunAndIsStoppedWithTheGroup() throws Exception {
        // Unmarked, and orphaned once the agent exits: only its process group can find it.
        RunResult result = runner.start(anAgentRun("unmark", "grandchild", "60000").in(dir).build(),
                RunObserver.NONE).await();

        assertThat(result.failure()).isNull();
        assertThat(Processes.running(Processes.numberAfter("grandchild", result.stdout().text()))).isFalse();
    }

    @Test
    void aDoubleForkedDescendantThatLeftTheGroupIsSweptByItsMarker() throws Exception {
        RunRequest request = anAgentRun("double-fork", "60000", "ok").in(dir).build();

        RunResult result = runner.start(request, RunObserver.NONE).await();

        assertThat(result.failure()).isNull();
        assertThat(Processes.running(Processes.numberAfter("descendant", result.stdout().text()))).isFalse();
        assertThat(Processes.carrying(request.marker())).isEmpty();
    }

    @Test
    void aDescendantThatEscapedGroupAndMarkerWithStdoutOpenIsAbandonedAfterTheDrainTimeout() throws Exception {
        LocalAgentRunner runner = new LocalAgentRunner(settings().withDrainTimeout(ms(500)),
                kind -> new CommandAdapter());

        RunResult result = runner.start(anAgentRun("unmark", "double-fork", "60000", "print", "done").in(dir)
                .build(), RunObserver.NONE).await();

        long descendant = Processes.numberAfter("descendant", result.stdout().text());
        try {
            assertThat(result.failure()).isNull();
            assertThat(result.stdout().text()).endsWith("done\n");
            assertThat(Processes.running(descendant)).as("nothing could find it").isTrue();
        } finally {
            ProcessHandle.of(descendant).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void anAgentThatIgnoresTermIsKilledAfterTheGracePeriod() throws Exception {
        RecordingAdapter adapter = RecordingAdapter.awaiting("ready");
        LocalAgentRunner runner = new LocalAgentRunner(settings().withGracePeriod(ms(300)),
                kind -> adapter);
        RunningAgent run = runner.start(anAgentRun("ignore-term", "print", "ready", "sleep", "60000").in(dir).build(),
                RunObserver.NONE);
        assertThat(adapter.sawAwaitedLine()).isTrue();

        run.stop(FailureType.CANCELLED);
        RunResult result = run.await();

        assertThat(result.failure().type()).isEqualTo(FailureType.CANCELLED);
        assertThat(result.stdout().text()).contains("ignored SIGTERM");
        assertThat(result.exitCode()).as("killed by SIGKILL").isNull();
        assertThat(result.duration()).isGreaterThanOrEqualTo(ms(300));
        assertThat(Processes.running(run.pid())).isFalse();
    }

    @Test
    void sweepStopsEveryProcessWhoseMarkerStartsWithThePrefix() throws Exception {
        String prefix = "sweep-" + UUID.randomUUID() + "/";
        Process first = sleeper(prefix + "1");
        Process second = sleeper(prefix + "2");
        Process other = sleeper("other-" + UUID.randomUUID());
        try {
            int stopped = runner.sweep(prefix);

            assertThat(stopped).isEqualTo(2);
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(second.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(other.isAlive()).isTrue();
        } finally {
            other.destroyForcibly();
            first.destroyForcibly();
            second.destroyForcibly();
        }
    }

    @Test
    void withoutAProcessGroupTheAgentsDescendantsAreStillStopped() throws Exception {
        RecordingAdapter adapter = RecordingAdapter.awaiting("ready");
        LocalAgentRunner runner = new LocalAgentRunner(settings().withGracePeriod(ms(500))
                .withNewProcessGroup(false), kind -> adapter);
        RunningAgent run = runner.start(anAgentRun("unmark", "spawn", "60000", "print", "ready", "sleep", "60000")
                .in(dir).build(), RunObserver.NONE);
        assertThat(adapter.sawAwaitedLine()).isTrue();

        run.stop(FailureType.CANCELLED);
        RunResult result = run.await();

        assertThat(runner.ownProcessGroups()).isFalse();
        assertThat(result.failure().type()).isEqualTo(FailureType.CANCELLED);
        assertThat(Processes.running(Processes.numberAfter("child", result.stdout().text()))).isFalse();
    }

    private Process sleeper(String marker) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(FakeAgent.command("sleep", "60000"));
        builder.environment().put(RunRequest.MARKER_VARIABLE, marker);
        return builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }
}
