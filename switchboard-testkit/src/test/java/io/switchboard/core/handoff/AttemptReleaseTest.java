package io.switchboard.core.handoff;

import static io.switchboard.testkit.TaskBuilder.aTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptStart;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.RunningAgent;
import io.switchboard.core.execution.VerifyRequest;
import io.switchboard.core.port.AgentRunner;
import io.switchboard.testkit.AgentBuilder;
import io.switchboard.testkit.MutableClock;
import io.switchboard.testkit.store.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Stopping another orchestrator's attempt and waiting for it to record the end, on a clock moved by hand. */
class AttemptReleaseTest {
    private final MutableClock clock = new MutableClock();
    private final InMemoryStore store = new InMemoryStore();
    private final List<String> swept = new ArrayList<>();
    private final List<Instant> waitedUntil = new ArrayList<>();
    /** After this many sweeps the other orchestrator records the attempt's end; never when negative. */
    private int endsAfterSweeps = -1;

    private final AgentRunner runner = new AgentRunner() {
        @Override
        public RunningAgent start(RunRequest request, RunObserver observer) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RunningAgent verify(VerifyRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int sweep(String markerPrefix) {
            swept.add(markerPrefix);
            if (swept.size() == endsAfterSweeps) {
                store.finishAttempt("T-1", 1, AttemptState.CANCELLED, clock.instant());
            }
            return 1;
        }
    };

    private final AttemptRelease release = new AttemptRelease(store, runner, due -> {
        waitedUntil.add(due);
        clock.set(due);
    }, clock);

    private AttemptRecord running() {
        store.saveTask(aTask().withId("T-1").build(), clock.instant());
        UUID agent = store.register(AgentBuilder.anAgent("slow").profile(),
                io.switchboard.core.agent.AgentOrigin.CONFIG, clock.instant()).id();
        store.startAttempt(new AttemptStart("T-1", agent, "slow", Mode.AUTO, "implement", null, "o-1", "o-1:T-1:1",
                ""), clock.instant());
        return store.inFlightAttempts().getFirst();
    }

    @Test
    void the_attempt_is_stopped_by_its_marker_until_its_orchestrator_records_the_end() throws Exception {
        AttemptRecord attempt = running();
        endsAfterSweeps = 2;

        boolean released = release.stopAndAwait(attempt, Duration.ofSeconds(10), Duration.ofMillis(200));

        assertThat(released).isTrue();
        // Stopped again at each look: what the attempt starts after the first stop is stopped too.
        assertThat(swept).containsExactly("o-1:T-1:1", "o-1:T-1:1");
        assertThat(waitedUntil).containsExactly(MutableClock.EPOCH.plusMillis(200), MutableClock.EPOCH.plusMillis(400));
    }

    @Test
    void an_attempt_already_ended_needs_no_stop() throws Exception {
        AttemptRecord attempt = running();
        store.finishAttempt("T-1", 1, AttemptState.FAILED, clock.instant());

        assertThat(release.stopAndAwait(attempt, Duration.ofSeconds(10), Duration.ofMillis(200))).isTrue();
        assertThat(swept).isEmpty();
    }

    @Test
    void waiting_ends_at_the_timeout_when_the_end_is_never_recorded() throws Exception {
        AttemptRecord attempt = running();

        boolean released = release.stopAndAwait(attempt, Duration.ofMillis(500), Duration.ofMillis(200));

        assertThat(released).isFalse();
        assertThat(clock.instant()).isEqualTo(MutableClock.EPOCH.plusMillis(500));
        // The last wait is cut to the deadline.
        assertThat(waitedUntil).containsExactly(MutableClock.EPOCH.plusMillis(200), MutableClock.EPOCH.plusMillis(400),
                MutableClock.EPOCH.plusMillis(500));
        assertThat(store.inFlightAttempts()).hasSize(1);
    }
}
