package io.switchboard.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class PlanGraphTest {
    private static final Function<String, Optional<String>> NOTHING_OUTSIDE =
            dependency -> Optional.of("is no task of the plan");

    @Test
    void tasksComeAfterWhatTheyDependOnAndKeepTheGivenOrderOtherwise() {
        PlanGraph graph = PlanGraph.of(List.of(
                task("c", "a"), task("a"), task("d"), task("b", "a")), NOTHING_OUTSIDE);

        assertThat(graph.order()).containsExactly("a", "c", "d", "b");
        assertThat(graph.dependenciesOf("b")).containsExactly("a");
    }

    @Test
    void aPlansNameStandsForEveryTaskOfThatPlan() {
        PlanGraph graph = PlanGraph.of(List.of(
                inPlan("api-1", "api"), inPlan("api-2", "api", "api-1"), inPlan("ui-1", "ui", "api")),
                NOTHING_OUTSIDE);

        assertThat(graph.dependenciesOf("ui-1")).containsExactly("api-1", "api-2");
        // api-2 already waits for api-1: building on api-2 brings api-1's work with it.
        assertThat(graph.directDependenciesOf("ui-1")).containsExactly("api-2");
    }

    @Test
    void aTaskInAWaveWaitsForEveryTaskOfTheWavesBelowThroughTheOneJustBelow() {
        PlanGraph graph = PlanGraph.of(List.of(
                inWave("w2-a", 2), inWave("w1-a", 1), inWave("w1-b", 1), inWave("w3", 3), task("free")),
                NOTHING_OUTSIDE);

        assertThat(graph.dependenciesOf("w2-a")).containsExactly("w1-a", "w1-b");
        assertThat(graph.dependenciesOf("w3")).containsExactly("w2-a");
        assertThat(graph.dependenciesOf("free")).isEmpty();
        assertThat(graph.order()).containsExactly("w1-a", "w1-b", "w2-a", "w3", "free");
    }

    @Test
    void aCycleIsAnErrorNamingItsTasksInOrder() {
        assertThatThrownBy(() -> PlanGraph.of(List.of(task("a", "c"), task("b", "a"), task("c", "b"), task("d", "a")),
                NOTHING_OUTSIDE))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessage("the tasks depend on each other in a cycle: a -> c -> b -> a");
    }

    @Test
    void everyCycleIsReportedAndOneThroughAWaveSaysSo() {
        InvalidPlanException e = catchInvalid(List.of(task("a", "b"), task("b", "a"), task("c", "c"),
                new PlanTask("early", null, 1, List.of("late"), List.of()), inWave("late", 2)));

        assertThat(e.problems()).containsExactly(
                "the tasks depend on each other in a cycle: a -> b -> a",
                "the tasks depend on each other in a cycle: c -> c",
                "the tasks depend on each other in a cycle: early -> late -> early "
                        + "(through waves: late is in wave 2, after early's wave 1)");
    }

    @Test
    void aDependencyOnNothingInThePlanIsAnErrorUnlessItSucceededBefore() {
        Function<String, Optional<String>> outside = dependency -> dependency.equals("done-before") ? Optional.empty()
                : Optional.of("is no task of plan p nor a stored task");

        InvalidPlanException e = catchInvalid(List.of(task("a", "done-before", "ghost"), task("b", "a", "phantom")),
                outside);

        assertThat(e.problems()).containsExactly("task a depends on ghost, which is no task of plan p nor a stored task",
                "task b depends on phantom, which is no task of plan p nor a stored task");
        PlanGraph graph = PlanGraph.of(List.of(task("a", "done-before")), outside);
        assertThat(graph.dependenciesOf("a")).isEmpty();
    }

    @Test
    void anIdGivenTwiceIsAnError() {
        assertThat(catchInvalid(List.of(task("a"), task("a")), NOTHING_OUTSIDE).problems())
                .containsExactly("task id 'a' is given twice");
    }

    @Test
    void idsMatchIgnoringCaseWhenNoneMatchesExactly() {
        PlanGraph graph = PlanGraph.of(List.of(task("TASK-1"), task("TASK-2", "task-1")), NOTHING_OUTSIDE);

        assertThat(graph.dependenciesOf("TASK-2")).containsExactly("TASK-1");
    }

    @Test
    void filesOverlapWhenEqualOrOneIsAFolderOfTheOther() {
        PlanGraph graph = PlanGraph.of(List.of(withFiles("a", "./src/api/"), withFiles("b", "src/api/Limiter.java"),
                withFiles("c", "src/apiary.txt"), withFiles("d", "docs\\guide.md"), withFiles("e", "docs/guide.md")),
                NOTHING_OUTSIDE);

        assertThat(graph.files("a")).containsExactly("src/api");
        assertThat(graph.overlap("a", "b")).isTrue();
        assertThat(graph.overlap("a", "c")).isFalse();
        assertThat(graph.overlap("d", "e")).isTrue();
        assertThat(graph.overlap("b", "e")).isFalse();
    }

    /** Random plans (seeded, printed): the order respects every dependency, and reduction keeps reachability. */
    @RepeatedTest(20)
    void randomPlansAreOrderedAndReducedCorrectly(RepetitionInfo repetition) {
        long seed = 20260105L + repetition.getCurrentRepetition();
        System.out.println("seed " + seed);
        Random random = new Random(seed);
        int n = 60;
        List<PlanTask> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<String> dependencies = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                if (random.nextInt(10) == 0) {
                    dependencies.add("t" + j);
                }
            }
            tasks.add(new PlanTask("t" + i, null, null, dependencies, List.of()));
        }
        java.util.Collections.shuffle(tasks, random);

        PlanGraph graph = PlanGraph.of(tasks, NOTHING_OUTSIDE);

        List<String> order = graph.order();
        for (PlanTask task : tasks) {
            for (String dependency : task.dependencies()) {
                assertThat(order.indexOf(dependency)).isLessThan(order.indexOf(task.id()));
            }
            // Every dependency is still reached through the direct ones.
            for (String dependency : task.dependencies()) {
                assertThat(reaches(graph, graph.directDependenciesOf(task.id()), dependency)).isTrue();
            }
        }
    }

    private static boolean reaches(PlanGraph graph, List<String> from, String target) {
        for (String step : from) {
            if (step.equals(target) || reaches(graph, graph.directDependenciesOf(step), target)) {
                return true;
            }
        }
        return false;
    }

    private static InvalidPlanException catchInvalid(List<PlanTask> tasks) {
        return catchInvalid(tasks, NOTHING_OUTSIDE);
    }

    private static InvalidPlanException catchInvalid(List<PlanTask> tasks, Function<String, Optional<String>> outside) {
        try {
            PlanGraph.of(tasks, outside);
        } catch (InvalidPlanException e) {
            return e;
        }
        throw new AssertionError("the plan was accepted");
    }

    static PlanTask task(String id, String... dependencies) {
        return new PlanTask(id, null, null, List.of(dependencies), List.of());
    }

    static PlanTask inPlan(String id, String plan, String... dependencies) {
        return new PlanTask(id, plan, null, List.of(dependencies), List.of());
    }

    static PlanTask inWave(String id, int wave) {
        return new PlanTask(id, null, wave, List.of(), List.of());
    }

    static PlanTask withFiles(String id, String... files) {
        return new PlanTask(id, null, null, List.of(), List.of(files));
    }
}
