package io.switchboard.testkit.store;

import static io.switchboard.testkit.TaskBuilder.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.port.WorkflowStore;
import io.switchboard.core.routing.AgentSelector;
import io.switchboard.core.routing.Placement;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskDraft;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.workflow.Loop;
import io.switchboard.core.workflow.OnFailure;
import io.switchboard.core.workflow.Step;
import io.switchboard.core.workflow.StepAgent;
import io.switchboard.core.workflow.StepOutput;
import io.switchboard.core.workflow.StepRun;
import io.switchboard.core.workflow.StepRunState;
import io.switchboard.core.workflow.Template;
import io.switchboard.core.workflow.Workflow;
import io.switchboard.core.workflow.WorkflowInput;
import io.switchboard.core.workflow.WorkflowRun;
import io.switchboard.core.workflow.WorkflowRunState;
import io.switchboard.core.workflow.Workflows;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What every {@link WorkflowStore} does, written once and run against each store. */
public abstract class WorkflowStoreContract extends StoreContract {

    /** Every kind of step a workflow can hold, so that a run's definition is shown to come back whole. */
    static final Workflow EVERY_KIND_OF_STEP = new Workflow("design-build", "Design, build, check until approved.",
            List.of(WorkflowInput.required("task"), new WorkflowInput("style", "terse")),
            List.of(
                    new Step("design", StepAgent.named("claude-code"), Mode.PLAN,
                            Template.parse("Design {{inputs.task}}, {{ inputs.style }}; {{{{ stays"),
                            StepOutput.file("docs/design.md"), List.of(), OnFailure.handoff("codex"), null),
                    new Step("build", new StepAgent.Auto("code", AgentSelector.strength("speed"), 0.5),
                            Mode.FULL_AUTO, Template.parse("Build {{steps.design.output}}\n{{steps.check.output}}"),
                            StepOutput.CHANGED_FILES, List.of("design"), OnFailure.STOP, null),
                    new Step("check", new StepAgent.Auto(null, AgentSelector.agent("codex"), null), null,
                            Template.parse("Check {{steps.build.output}}"), StepOutput.TEXT, List.of("build"),
                            OnFailure.RETRY, new Loop("build", Loop.Until.APPROVED, 4))));

    private final TaskOptions options = new TaskOptions("/work/project", 2.5, Instant.parse("2026-01-05T12:00:00Z"),
            "codex", Set.of("aider"), Duration.ofMinutes(20), Duration.ofMinutes(4));

    private WorkflowStore workflows() {
        return store.workflows();
    }

    private WorkflowRun newRun(String base, Workflow workflow) {
        return workflows().createRun(new WorkflowRun.New(base, workflow, Map.of("task", "Add a parser"), options,
                null, "o-1"), clock.instant());
    }

    private StepRun.Start start(WorkflowRun run, String step, int iteration, String snapshot) {
        Task task = aTask().withId(run.id() + "." + step + (iteration == 1 ? "" : "." + iteration))
                .withPrompt("Do " + step).build();
        TaskOptions stepOptions = options.withPlacement(new Placement(AgentSelector.strength("reasoning"), null,
                Mode.PLAN, "workflow step '" + step + "'")).withMaxAttempts(1);
        return new StepRun.Start(run.id(), step, iteration, task, stepOptions, snapshot);
    }

    @Test
    void aRunIsNumberedWithinItsBaseAndComesBackWhole() {
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("task", "Add a parser\nwith two lines");
        inputs.put("style", "terse");
        TaskDraft origin = aTask().withId("TASK-7").titled("Add a parser").inPool("code").withComplexity(80)
                .build().draft();

        WorkflowRun first = workflows().createRun(new WorkflowRun.New("TASK-7", EVERY_KIND_OF_STEP, inputs, options,
                origin, "o-1"), clock.instant());
        clock.tick(Duration.ofSeconds(1));
        WorkflowRun second = newRun("TASK-7", Workflows.planImplementReview());
        WorkflowRun other = newRun("design-build", EVERY_KIND_OF_STEP);

        assertThat(List.of(first.id(), second.id(), other.id())).containsExactly("TASK-7-1", "TASK-7-2",
                "design-build-1");
        WorkflowRun loaded = workflows().workflowRun("TASK-7-1").orElseThrow();
        assertThat(loaded).isEqualTo(first);
        assertThat(loaded.workflow()).isEqualTo(EVERY_KIND_OF_STEP);
        assertThat(loaded.inputs()).containsExactly(Map.entry("task", "Add a parser\nwith two lines"),
                Map.entry("style", "terse"));
        assertThat(loaded.options()).isEqualTo(options);
        assertThat(loaded.origin()).isEqualTo(origin);
        assertThat(loaded.state()).isEqualTo(WorkflowRunState.RUNNING);
        assertThat(loaded.orchestratorId()).isEqualTo("o-1");
        assertThat(workflows().workflowRun("TASK-7-2").orElseThrow().workflow())
                .isEqualTo(Workflows.planImplementReview());
        assertThat(workflows().latestRun("TASK-7")).contains(second);
        assertThat(workflows().latestRun("TASK-8")).isEmpty();
        assertThat(workflows().workflowRun("TASK-7-3")).isEmpty();
    }

    @Test
    void unfinishedRunsAreListedOldestFirstAndAnEndedRunStaysEnded() {
        WorkflowRun a = newRun("a", EVERY_KIND_OF_STEP);
        clock.tick(Duration.ofSeconds(1));
        WorkflowRun b = newRun("b", EVERY_KIND_OF_STEP);
        clock.tick(Duration.ofSeconds(1));
        WorkflowRun c = newRun("c", EVERY_KIND_OF_STEP);

        assertThat(workflows().finishRun(b.id(), WorkflowRunState.FAILED, "step 'build' failed", clock.instant()))
                .isTrue();
        assertThat(workflows().finishRun(b.id(), WorkflowRunState.SUCCEEDED, "again", clock.instant())).isFalse();

        assertThat(workflows().unfinishedRuns()).containsExactly(a.id(), c.id());
        WorkflowRun ended = workflows().workflowRun(b.id()).orElseThrow();
        assertThat(ended.state()).isEqualTo(WorkflowRunState.FAILED);
        assertThat(ended.reason()).isEqualTo("step 'build' failed");
        assertThat(workflows().claimRun(b.id(), "o-2", clock.instant())).isFalse();
    }

    @Test
    void claimingARunRecordsWhoRunsItNow() {
        WorkflowRun run = newRun("a", EVERY_KIND_OF_STEP);

        assertThat(workflows().claimRun(run.id(), "o-2", clock.instant())).isTrue();

        assertThat(workflows().workflowRun(run.id()).orElseThrow().orchestratorId()).isEqualTo("o-2");
        assertThat(workflows().claimRun("nobody-1", "o-2", clock.instant())).isFalse();
    }

    @Test
    void startingAStepStoresItsTaskAndItsRowTogether() {
        WorkflowRun run = newRun("a", EVERY_KIND_OF_STEP);
        StepRun.Start start = start(run, "build", 1, "{\"kind\":\"git\"}");

        StepRun row = workflows().startStep(start, clock.instant());

        assertThat(row).isEqualTo(new StepRun(run.id(), "build", 1, "a-1.build", null, StepRunState.RUNNING,
                row.reason(), null, "{\"kind\":\"git\"}", 1, null, clock.instant(), null));
        assertThat(store.tasks().loadTask("a-1.build")).contains(start.task());
        assertThat(store.tasks().taskOptions("a-1.build")).contains(start.options());
        assertThat(store.tasks().taskStatus("a-1.build").orElseThrow().state()).isEqualTo(TaskState.QUEUED);
        assertThat(workflows().steps(run.id())).containsExactly(row);
        assertThat(workflows().stepOfTask("a-1.build")).contains(row);
        assertThat(workflows().stepOfTask("a-1.check")).isEmpty();
    }

    @Test
    void startingAStepThatIsStoredAlreadyChangesNothing() {
        WorkflowRun run = newRun("a", EVERY_KIND_OF_STEP);
        StepRun first = workflows().startStep(start(run, "design", 1, null), clock.instant());
        clock.tick(Duration.ofSeconds(5));

        StepRun again = workflows().startStep(start(run, "design", 1, "other"), clock.instant());

        assertThat(again).isEqualTo(first);
        assertThat(workflows().steps(run.id())).containsExactly(first);
    }

    @Test
    void noStepStartsInARunThatEndedOrDoesNotExist() {
        WorkflowRun run = newRun("a", EVERY_KIND_OF_STEP);
        workflows().finishRun(run.id(), WorkflowRunState.SUCCEEDED, "done", clock.instant());

        assertThatThrownBy(() -> workflows().startStep(start(run, "design", 1, null), clock.instant()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(run.id());
        assertThat(store.tasks().taskStatus("a-1.design")).isEmpty();
    }

    @Test
    void finishingAStepCommitsItsOutputInTheOrderStepsFinish() {
        WorkflowRun run = newRun("a", EVERY_KIND_OF_STEP);
        StepRun design = workflows().startStep(start(run, "design", 1, null), clock.instant());
        StepRun build = workflows().startStep(start(run, "build", 1, null), clock.instant());
        StepRun check = workflows().startStep(start(run, "check", 1, null), clock.instant());
        clock.tick(Duration.ofSeconds(3));

        assertThat(workflows().finishStep(run.id(), "check", 1, StepRunState.SUCCEEDED, "succeeded",
                "VERDICT: CHANGES_REQUESTED\nfix the {{ braces }}", clock.instant())).isTrue();
        assertThat(workflows().finishStep(run.id(), "design", 1, StepRunState.FAILED, "task a-1.design failed",
                null, clock.instant())).isTrue();
        assertThat(workflows().finishStep(run.id(), "design", 1, StepRunState.SUCCEEDED, "again", "x",
                clock.instant())).isFalse();

        assertThat(workflows().steps(run.id())).extracting(StepRun::stepId).containsExactly("design", "build",
                "check");
        assertThat(workflows().steps(run.id())).containsExactly(
                new StepRun(run.id(), "design", 1, design.taskId(), null, StepRunState.FAILED,
                        "task a-1.design failed", null, null, 1, 2, design.startedAt(), clock.instant()),
                build,
                new StepRun(run.id(), "check", 1, check.taskId(), null, StepRunState.SUCCEEDED, "succeeded",
                        "VERDICT: CHANGES_REQUESTED\nfix the {{ braces }}", null, 3, 1, check.startedAt(),
                        clock.instant()));
    }

    @Test
    void aSecondIterationIsARowOfItsOwn() {
        WorkflowRun run = newRun("a", EVERY_KIND_OF_STEP);
        workflows().startStep(start(run, "build", 1, null), clock.instant());
        workflows().finishStep(run.id(), "build", 1, StepRunState.SUCCEEDED, "succeeded", "a.txt", clock.instant());

        StepRun second = workflows().startStep(start(run, "build", 2, null), clock.instant());

        assertThat(second.taskId()).isEqualTo("a-1.build.2");
        assertThat(second.position()).isEqualTo(2);
        assertThat(workflows().steps(run.id())).extracting(row -> row.stepId() + " " + row.iteration() + " "
                + row.state().configName()).containsExactly("build 1 succeeded", "build 2 running");
    }

    @Test
    void handingOffAStepPointsItsRowAtTheNewTaskOnce() {
        WorkflowRun run = newRun("a", EVERY_KIND_OF_STEP);
        StepRun row = workflows().startStep(start(run, "design", 1, null), clock.instant());
        Task handoff = aTask().withId("a-1.design.handoff").withPrompt("Take over").build();
        TaskOptions pinned = options.withPlacement(new Placement(null, "codex", Mode.PLAN, "the handoff"))
                .withMaxAttempts(1);

        assertThat(workflows().handOffStep(run.id(), "design", 1, handoff, pinned, clock.instant())).isTrue();
        assertThat(workflows().handOffStep(run.id(), "design", 1, handoff, pinned, clock.instant())).isFalse();

        StepRun moved = workflows().steps(run.id()).getFirst();
        assertThat(moved.taskId()).isEqualTo("a-1.design.handoff");
        assertThat(moved.handedOffFrom()).isEqualTo(row.taskId());
        assertThat(moved.state()).isEqualTo(StepRunState.RUNNING);
        assertThat(store.tasks().loadTask("a-1.design.handoff")).contains(handoff);
        assertThat(store.tasks().taskOptions("a-1.design.handoff")).contains(pinned);
        assertThat(workflows().stepOfTask("a-1.design.handoff")).contains(moved);
        assertThat(workflows().stepOfTask(row.taskId())).contains(moved);
    }
}
