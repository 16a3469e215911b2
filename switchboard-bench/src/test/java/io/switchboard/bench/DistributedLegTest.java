package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.bench.DistributedLeg.Submission;
import io.switchboard.bench.DistributedLeg.Tally;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DistributedLegTest {

    @Test
    void aRoundHasEveryTasksLatencyAndItsRatesFromTheFirstSubmissionAndFromTheFirstStart() throws Exception {
        Tally tally = new Tally(3);
        for (int i = 0; i < 3; i++) {
            tally.submitting(i);
        }
        tally.submittedAll();
        Thread worker = new Thread(() -> {
            for (int i = 2; i >= 0; i--) {
                tally.started(i);
                tally.completed();
            }
        });
        worker.start();
        worker.join();

        DistributedLeg.Round round = tally.await("leg", Submission.BULK);

        assertThat(round.tasks()).isEqualTo(3);
        assertThat(round.submission()).isEqualTo(Submission.BULK);
        assertThat(round.latency().samples()).isEqualTo(3);
        assertThat(round.latency().p50()).isPositive();
        assertThat(round.perSecond()).isPositive();
        assertThat(round.submittedPerSecond()).isPositive();
        // The first start comes after the first submission: counted from it, the same tasks took less time.
        assertThat(round.fromFirstStartPerSecond()).isGreaterThan(round.perSecond());
    }

    @Test
    void aTaskCountedTwiceWhileAnotherNeverStartedFailsTheRound() {
        Tally tally = new Tally(2);
        tally.submitting(0);
        tally.submitting(1);
        tally.submittedAll();
        tally.started(0);
        tally.completed();
        tally.started(0);
        tally.completed();

        assertThatThrownBy(() -> tally.await("leg", Submission.ONE_AT_A_TIME))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("leg: 2 completions were counted, but task 1 never started (some task ran more than once)");
    }

    @Test
    void aRoundWhoseTasksStopCompletingSaysHowManyAreMissing() {
        Tally tally = new Tally(2);
        tally.submitting(0);
        tally.submitting(1);
        tally.submittedAll();
        tally.started(0);
        tally.completed();

        assertThatThrownBy(() -> tally.await("leg", Submission.ONE_AT_A_TIME, Duration.ZERO))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("leg: 1 of 2 tasks had not completed, and none had completed for 0 s");
    }
}
