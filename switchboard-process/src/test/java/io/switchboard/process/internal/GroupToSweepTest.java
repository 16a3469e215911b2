package io.switchboard.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which process group the clean-up after a run sweeps, when the agent's pid may have been given out again. */
class GroupToSweepTest {

    @Test
    void anAgentStillRunningHasItsGroupSwept() {
        assertThat(SupervisedRun.groupToSweep(4242, true, true)).isEqualTo(4242);
    }

    @Test
    void anAgentGoneWhoseGroupMayLiveOnHasItsGroupSwept() {
        // No process has the pid: the group may still have members (an orphaned grandchild), all of them the run's.
        assertThat(SupervisedRun.groupToSweep(4242, false, false)).isEqualTo(4242);
    }

    @Test
    void anAgentGoneWhosePidBelongsToAnotherProcessHasNoGroupSwept() {
        // The pid was given out again, so no group of the agent's is left: a group of that id is a stranger's.
        assertThat(SupervisedRun.groupToSweep(4242, false, true)).isEqualTo(-1);
    }
}
