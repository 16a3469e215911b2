package io.switchboard.core.plan;

import static io.switchboard.core.plan.PlanGraphTest.task;
import static io.switchboard.core.plan.PlanGraphTest.withFiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.task.TaskState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class PlanSchedulerTest {

    @Test
    void readyTasksStartUpToTheLimitEarliestFirst() {
        PlanScheduler scheduler = scheduler(2, task("a"), task("b"), task("c"), task("d", "a"));

        assertThat(scheduler.start()).containsExactly("a", "b");
        assertThat(scheduler.start()).isEmpty();
        assertThat(scheduler.waitingCount()).isEqualTo(2);

        scheduler.finished("b", TaskState.SUCCEEDED);
        assertThat(scheduler.start()).containsExactly("c");
        scheduler.finished("a", TaskState.SUCCEEDED);
        assertThat(scheduler.start()).containsExactly("d");
        scheduler.finished("c", TaskState.SUCCEEDED);
        scheduler.finished("d", TaskState.SUCCEEDED);
        assertThat(scheduler.over()).isTrue();
        assertThat(scheduler.settledCount()).isEqualTo(4);
    }

    @Test
    void aTaskWhoseFilesOverlapARunningTasksWaitsWithoutHoldingBackTheOthers() {
        PlanScheduler scheduler = scheduler(3, withFiles("a", "src/Parser.java"), withFiles("b", "src/"),
                withFiles("c", "docs/readme.md"), task("d"));

        assertThat(scheduler.start()).containsExactly("a", "c", "d");
        scheduler.finished("c", TaskState.SUCCEEDED);
        // b declares the folder a's file is in.
        assertThat(scheduler.start()).isEmpty();
        assertThat(scheduler.over()).isFalse();

        scheduler.finished("a", TaskState.SUCCEEDED);
        assertThat(scheduler.start()).containsExactly("b");
    }

    @Test
    void aFailedTaskSkipsOnlyWhatWaitsForItNamingTheCause() {
        PlanScheduler scheduler = scheduler(4, task("a"), task("b", "a"), task("c", "b"), task("d"), task("e", "d"));

        assertThat(scheduler.start()).containsExactly("a", "d");
        List<PlanScheduler.Skip> skips = scheduler.finished("a", TaskState.FAILED);

        assertThat(skips).containsExactly(new PlanScheduler.Skip("b", "skipped: depends on a, which failed"),
                new PlanScheduler.Skip("c", "skipped: depends on b, which was skipped because a failed"));
        scheduler.finished("d", TaskState.SUCCEEDED);
        assertThat(scheduler.start()).containsExactly("e");
    }

    @Test
    void tasksThatEndedBeforeCountAsTheyEnded() {
        PlanScheduler scheduler = scheduler(2, task("a"), task("b", "a"), task("c"), task("d", "c"));

        assertThat(scheduler.settle("a", TaskState.SUCCEEDED)).isEmpty();
        assertThat(scheduler.settle("c", TaskState.CANCELLED))
                .containsExactly(new PlanScheduler.Skip("d", "skipped: depends on c, which was cancelled"));

        assertThat(scheduler.start()).containsExactly("b");
    }

    @Test
    void aTaskThatStopsUnfinishedHoldsWhatWaitsForItWithoutSkippingIt() {
        PlanScheduler scheduler = scheduler(2, task("a"), task("b", "a"), task("c", "b"), task("d"));

        assertThat(scheduler.start()).containsExactly("a", "d");
        assertThat(scheduler.finished("a", TaskState.QUEUED)).isEmpty();
        scheduler.finished("d", TaskState.SUCCEEDED);

        assertThat(scheduler.start()).isEmpty();
        assertThat(scheduler.over()).isTrue();
        assertThat(scheduler.held()).containsExactly("b", "c");
    }

    /**
     * Random plans with random files and outcomes (seeded, printed): never more than the limit at once, never two
     * overlapping tasks at once, never a task before what it waits for succeeded, and every task accounted for.
     */
    @RepeatedTest(25)
    void randomPlansKeepEveryRule(RepetitionInfo repetition) {
        long seed = 7_000L + repetition.getCurrentRepetition();
        System.out.println("seed " + seed);
        Random random = new Random(seed);
        int n = 80;
        int parallel = 1 + random.nextInt(6);
        List<PlanTask> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> dependencies = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                if (random.nextInt(20) == 0) {
                    dependencies.add("t" + j);
                }
            }
            List<String> files = random.nextInt(3) == 0 ? List.of("f" + random.nextInt(5)) : List.of();
            // Waves rise with the index, as dependencies point back: no cycle.
            tasks.add(new PlanTask("t" + i, null, random.nextInt(4) == 0 ? i * 3 / n : null, dependencies, files));
        }
        PlanGraph graph = PlanGraph.of(tasks, dependency -> Optional.of("missing"));
        PlanScheduler scheduler = new PlanScheduler(graph, parallel);
        Set<String> running = new HashSet<>();
        Set<String> succeeded = new HashSet<>();
        Set<String> ended = new HashSet<>();
        while (true) {
            for (String started : scheduler.start()) {
                for (String dependency : graph.dependenciesOf(started)) {
                    assertThat(succeeded).contains(dependency);
                }
                for (String other : running) {
                    assertThat(graph.overlap(started, other)).as(started + " with " + other).isFalse();
                }
                running.add(started);
            }
            assertThat(running.size()).isLessThanOrEqualTo(parallel);
            if (running.isEmpty()) {
                break;
            }
            String done = running.stream().sorted().toList().get(random.nextInt(running.size()));
            running.remove(done);
            TaskState state = random.nextInt(8) == 0 ? TaskState.FAILED : TaskState.SUCCEEDED;
            (state == TaskState.SUCCEEDED ? succeeded : ended).add(done);
            scheduler.finished(done, state).forEach(skip -> ended.add(skip.taskId()));
        }
        assertThat(scheduler.over()).isTrue();
        assertThat(succeeded.size() + ended.size()).isEqualTo(n);
    }

    private static PlanScheduler scheduler(int parallel, PlanTask... tasks) {
        return new PlanScheduler(PlanGraph.of(List.of(tasks), dependency -> Optional.of("missing")), parallel);
    }
}
