package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BreakdownTest {
    private static final long MS = 1_000_000;

    @Test
    void stagesRunBetweenConsecutiveMarksAndTheirMeansAddUpToTheWholeWay() {
        long[][] marks = {
            {1 * MS, 10 * MS, 20 * MS},
            {3 * MS, 11 * MS, 26 * MS},
            {7 * MS, 20 * MS, 29 * MS}};

        List<Breakdown.Stage> stages = Breakdown.stages(List.of("first", "second"), marks);

        assertThat(stages).extracting(Breakdown.Stage::name).containsExactly("first", "second");
        assertThat(stages.get(0).meanMillis()).isCloseTo(3.0, within(1e-9));
        assertThat(stages.get(0).p50Millis()).isCloseTo(2.0, within(1e-9));
        assertThat(stages.get(1).meanMillis()).isCloseTo(16.0 / 3, within(1e-9));
        assertThat(stages.get(0).meanMillis() + stages.get(1).meanMillis())
                .isCloseTo((6 + 10 + 9) / 3.0, within(1e-9));
    }

    @Test
    void aTaskThatNeverPassedAMarkIsLeftOutOfTheStagesOnEitherSideOfIt() {
        long[][] marks = {
            {1 * MS, 1 * MS},
            {2 * MS, 0},
            {4 * MS, 9 * MS}};

        List<Breakdown.Stage> stages = Breakdown.stages(List.of("first", "second"), marks);

        assertThat(stages).extracting(Breakdown.Stage::samples).containsExactly(1, 1);
        assertThat(stages.get(0).meanMillis()).isCloseTo(1.0, within(1e-9));
        assertThat(stages.get(1).meanMillis()).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void aStageNeedsAMarkOnEitherSide() {
        assertThatThrownBy(() -> Breakdown.stages(List.of("only"), new long[3][1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("3 marks make 2 stages, not 1");
    }

    @Test
    void overRoundsEachFigureIsTheMedianAndACallMissingFromARoundCountsAsNoneThere() {
        Breakdown first = new Breakdown(List.of(new Breakdown.Stage("s", 1, 1, 10)),
                List.of(new Breakdown.Call("orchestrator", "append", 1, 2), new Breakdown.Call("workers", "beat", 1,
                        9)), Map.of("waits", 4.0));
        Breakdown second = new Breakdown(List.of(new Breakdown.Stage("s", 5, 4, 10)),
                List.of(new Breakdown.Call("orchestrator", "append", 1, 4)), Map.of("waits", 0.0));
        Breakdown third = new Breakdown(List.of(new Breakdown.Stage("s", 3, 2, 10)),
                List.of(new Breakdown.Call("orchestrator", "append", 3, 3)), Map.of());

        Breakdown median = Breakdown.median(List.of(first, second, third));

        assertThat(median.stages()).containsExactly(new Breakdown.Stage("s", 3, 2, 10));
        assertThat(median.calls()).containsExactly(new Breakdown.Call("orchestrator", "append", 1, 3),
                new Breakdown.Call("workers", "beat", 0, 9));
        assertThat(median.events()).containsExactly(Map.entry("waits", 0.0));
        assertThat(Breakdown.median(List.of(Breakdown.NONE, Breakdown.NONE))).isEqualTo(Breakdown.NONE);
    }

    @Test
    void theDispatchLocksShareIsTheOrchestratorsCallsMadeUnderItOnly() {
        Breakdown breakdown = new Breakdown(List.of(), List.of(
                new Breakdown.Call("orchestrator", "agents", 0.25, 2),
                new Breakdown.Call("orchestrator", "inFlightByAgentOfOthers", 0.25, 4),
                new Breakdown.Call("orchestrator", "startAttempts", 0.25, 12),
                new Breakdown.Call("orchestrator", "attemptRecords", 1, 1),
                new Breakdown.Call("orchestrator", "finishAttempt", 1, 5),
                new Breakdown.Call("workers", "claim", 1, 7)), Map.of());

        // A batch of four: its reads, shared; its transaction comes after the lock.
        assertThat(SwitchboardLeg.millisUnderDispatchLock(breakdown)).isCloseTo(1.5, within(1e-9));
    }
}
