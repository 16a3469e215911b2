package io.switchboard.process.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

class PidWindowTest {
    private static final long LEADER = 5000;

    // ---- the decision alone

    @Test
    void aCursorThatWentBackHasWrapped() {
        assertThat(PidWindow.mayHaveWrapped(true, 0, 1, 4_194_304)).isTrue();
    }

    @Test
    void fewForksAmongFewTasksCannotGoRoundALargePidSpace() {
        assertThat(PidWindow.mayHaveWrapped(false, 12, 150, 32_768)).isFalse();
    }

    @Test
    void enoughForksToGoRoundMayHaveWrapped() {
        // 6,000 forks and 150 tasks: 6,000 + 5 × 6,150 + 1,024 pids passed, more than 32,768 - 300.
        assertThat(PidWindow.mayHaveWrapped(false, 6_000, 150, 32_768)).isTrue();
    }

    @Test
    void enoughTasksInUseToFillTheSpaceMayHaveWrapped() {
        // A host with 7,000 threads and pid_max at 32,768: its pids in use alone could fill a lap.
        assertThat(PidWindow.mayHaveWrapped(false, 0, 7_000, 32_768)).isTrue();
    }

    @Test
    void theBoundaryIsALapExactlyAccountedFor() {
        // 10 forks, 100 tasks: 10 + 5 × 110 + 1,024 = 1,584 pids can be passed between two looks.
        long passed = 10 + PidWindow.PIDS_PER_TASK * 110 + PidWindow.MARGIN;
        assertThat(passed).isEqualTo(1_584);

        assertThat(PidWindow.mayHaveWrapped(false, 10, 100, passed + PidWindow.RESERVED_PIDS)).isTrue();
        assertThat(PidWindow.mayHaveWrapped(false, 10, 100, passed + PidWindow.RESERVED_PIDS + 1)).isFalse();
    }

    @Test
    void countersThatMakeNoSenseRuleNothingOut() {
        assertThat(PidWindow.mayHaveWrapped(false, -1, 150, 4_194_304)).as("fork counter went back").isTrue();
        assertThat(PidWindow.mayHaveWrapped(false, 0, 150, 300)).as("pid_max at its floor").isTrue();
    }

    // ---- the window over a run's looks

    @Test
    void aRunWhoseCursorOnlyMovedForwardLooksUpThePidsGivenOutSinceItsLeader() {
        ScriptedKernel kernel = new ScriptedKernel(counters(1000, 150, 4990, 32_768));
        PidWindow window = PidWindow.beforeStart(kernel);
        window.started(LEADER);

        kernel.lastPids(5003, 5010);
        window.look();
        window.look();
        kernel.now(counters(1030, 160, 5015, 32_768));

        assertThat(window.pids()).isEqualTo(new PidWindow.Pids(LEADER, 5015, false));
    }

    @Test
    void moreNewPidsThanListingCostsAreReadFromAListing() {
        ScriptedKernel kernel = new ScriptedKernel(counters(1000, 160, 4990, 4_194_304));
        PidWindow window = PidWindow.beforeStart(kernel);
        window.started(LEADER);

        // With 160 tasks, up to 20 pids (an eighth) are looked up one by one; 21 are read from a listing.
        kernel.now(counters(1020, 160, LEADER + 19, 4_194_304));
        assertThat(window.pids()).isEqualTo(new PidWindow.Pids(LEADER, LEADER + 19, false));

        kernel.now(counters(1021, 160, LEADER + 20, 4_194_304));
        assertThat(window.pids()).isEqualTo(new PidWindow.Pids(LEADER, Long.MAX_VALUE, true));
    }

    @Test
    void aLookThatSeesTheCursorBelowTheLeaderReadsEverything() {
        ScriptedKernel kernel = new ScriptedKernel(counters(1000, 150, 4990, 32_768));
        PidWindow window = PidWindow.beforeStart(kernel);
        window.started(LEADER);

        // Wrapped and came back up, but not as far as the leader.
        kernel.lastPids(4_000);
        window.look();
        kernel.now(counters(1030, 160, 4_500, 32_768));

        assertThat(window.pids()).isEqualTo(PidWindow.Pids.EVERY);
    }

    @Test
    void aCursorThatWentBackBetweenTwoLooksReadsEverythingEvenAboveTheLeader() {
        ScriptedKernel kernel = new ScriptedKernel(counters(1000, 150, 4990, 32_768));
        PidWindow window = PidWindow.beforeStart(kernel);
        window.started(LEADER);

        kernel.lastPids(30_000, 6_000);
        window.look();
        window.look();
        kernel.now(counters(1030, 160, 7_000, 32_768));

        assertThat(window.pids()).isEqualTo(PidWindow.Pids.EVERY);
    }

    @Test
    void aScanThatFindsTheCursorBehindTheLastLookReadsEverything() {
        ScriptedKernel kernel = new ScriptedKernel(counters(1000, 150, 4990, 32_768));
        PidWindow window = PidWindow.beforeStart(kernel);
        window.started(LEADER);
        kernel.lastPids(32_000);
        window.look();

        kernel.now(counters(1030, 160, 400, 32_768));

        assertThat(window.pids()).isEqualTo(PidWindow.Pids.EVERY);
    }

    @Test
    void onceTrackIsLostEveryLaterScanReadsEverything() {
        ScriptedKernel kernel = new ScriptedKernel(counters(1000, 150, 4990, 32_768));
        PidWindow window = PidWindow.beforeStart(kernel);
        window.started(LEADER);
        kernel.now(counters(1001, 150, 4_000, 32_768));
        assertThat(window.pids()).isEqualTo(PidWindow.Pids.EVERY);

        kernel.now(counters(1002, 150, 6_000, 32_768));

        assertThat(window.pids()).isEqualTo(PidWindow.Pids.EVERY);
    }

    @Test
    void tooManyForksSinceTheStartReadEverything() {
        ScriptedKernel kernel = new ScriptedKernel(counters(1000, 150, 4990, 32_768));
        PidWindow window = PidWindow.beforeStart(kernel);
        window.started(LEADER);

        kernel.now(counters(1000 + 6_000, 150, 5_500, 32_768));

        assertThat(window.pids()).isEqualTo(PidWindow.Pids.EVERY);
    }

    @Test
    void pidMaxLoweredDuringTheRunCountsAtItsLowest() {
        // 1,000 forks, 150 tasks: 7,774 pids can be passed; a window at 32,768 but not at 8,000.
        ScriptedKernel kernel = new ScriptedKernel(counters(0, 150, 4990, 8_000));
        PidWindow window = PidWindow.beforeStart(kernel);
        window.started(LEADER);

        kernel.now(counters(1_000, 150, 5_500, 32_768));

        assertThat(window.pids()).isEqualTo(PidWindow.Pids.EVERY);
    }

    @Test
    void countersThatCannotBeReadReadEverything() {
        ScriptedKernel unreadable = new ScriptedKernel(null);
        PidWindow window = PidWindow.beforeStart(unreadable);
        window.started(LEADER);

        assertThat(window.pids()).isEqualTo(PidWindow.Pids.EVERY);

        ScriptedKernel laterUnreadable = new ScriptedKernel(counters(1000, 150, 4990, 32_768));
        PidWindow later = PidWindow.beforeStart(laterUnreadable);
        later.started(LEADER);
        laterUnreadable.now(null);

        assertThat(later.pids()).isEqualTo(PidWindow.Pids.EVERY);
    }

    @Test
    void aLookThatFailsLosesTrack() {
        ScriptedKernel kernel = new ScriptedKernel(counters(1000, 150, 4990, 32_768));
        PidWindow window = PidWindow.beforeStart(kernel);
        window.started(LEADER);

        window.look(); // no last pid scripted: the look fails
        kernel.now(counters(1001, 150, 5_100, 32_768));

        assertThat(window.pids()).isEqualTo(PidWindow.Pids.EVERY);
    }

    // ---- reading /proc's text

    @Test
    void theForkCounterIsReadFromProcStat() {
        String stat = "cpu  1 2 3\ncpu0 1 2 3\nintr 5 0 1\nctxt 99\nbtime 17\nprocesses 15201\nprocs_running 1\n";

        assertThat(PidWindow.forks(stat)).isEqualTo(15_201);
        assertThat(PidWindow.forks("processes 7")).isEqualTo(7);
        assertThatThrownBy(() -> PidWindow.forks("cpu 1\nxprocesses 3\n")).isInstanceOf(
                IllegalArgumentException.class);
    }

    @Test
    void tasksAndTheLastPidAreReadFromLoadavg() {
        assertThat(PidWindow.loadavg("0.58 0.73 0.33 1/145 15199\n")).containsExactly(145, 15_199);
        assertThatThrownBy(() -> PidWindow.loadavg("0.58 0.73 0.33 145")).isInstanceOf(
                IllegalArgumentException.class);
    }

    @Test
    void thisHostsCountersCanBeRead() throws IOException {
        PidWindow.Counters counters = PidWindow.PROC.counters();

        assertThat(counters.forks()).isPositive();
        assertThat(counters.tasks()).isPositive();
        assertThat(counters.pidMax()).isGreaterThan(PidWindow.RESERVED_PIDS);
        assertThat(counters.lastPid()).isBetween(1L, counters.pidMax());
    }

    @Test
    void thisHostsCountersAreReadAfreshEachTime() throws Exception {
        PidWindow.Counters before = PidWindow.PROC.counters();
        Process child = new ProcessBuilder("true").start();
        child.waitFor();

        PidWindow.Counters after = PidWindow.PROC.counters();

        // The files stay open between reads: a read that did not start over would give the old text, or none.
        assertThat(after.forks()).isGreaterThan(before.forks());
        assertThat(after.lastPid()).isNotEqualTo(before.lastPid());
        assertThat(PidWindow.PROC.lastPid()).isNotEqualTo(before.lastPid());
        assertThat(after.pidMax()).isEqualTo(before.pidMax());
    }

    private static PidWindow.Counters counters(long forks, long tasks, long lastPid, long pidMax) {
        return new PidWindow.Counters(forks, tasks, lastPid, pidMax);
    }

    /** Counters a test sets by hand; {@code null} means unreadable. */
    static final class ScriptedKernel implements PidWindow.Kernel {
        private PidWindow.Counters now;
        private final Deque<Long> lastPids = new ArrayDeque<>();

        ScriptedKernel(PidWindow.Counters now) {
            this.now = now;
        }

        void now(PidWindow.Counters counters) {
            now = counters;
        }

        void lastPids(long... values) {
            for (long value : values) {
                lastPids.add(value);
            }
        }

        @Override
        public PidWindow.Counters counters() throws IOException {
            if (now == null) {
                throw new IOException("unreadable");
            }
            return now;
        }

        @Override
        public long lastPid() throws IOException {
            Long next = lastPids.poll();
            if (next == null) {
                throw new IOException("no last pid scripted");
            }
            return next;
        }
    }
}
