package io.switchboard.testkit.store;

import static io.switchboard.testkit.OutcomeBuilder.failed;
import static io.switchboard.testkit.OutcomeBuilder.succeeded;
import static io.switchboard.testkit.TaskBuilder.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptChanges;
import io.switchboard.core.attempt.AttemptOutcome;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptStart;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.attempt.FileChange;
import io.switchboard.core.attempt.OrchestratorRecord;
import io.switchboard.core.attempt.TaskMove;
import io.switchboard.core.attempt.Transition;
import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.performance.AgentPerformance;
import io.switchboard.core.performance.Difficulty;
import io.switchboard.core.port.TaskStore;
import io.switchboard.core.port.TaskStore.RecentOutcomes;
import io.switchboard.core.task.PlanRun;
import io.switchboard.core.routing.Placement;
import io.switchboard.core.task.Risk;
import io.switchboard.core.task.Scope;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskDraft;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskSource;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskStatus;
import io.switchboard.core.task.TaskType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link TaskStore} does to run tasks, written once and run against each store: a task's state and
 * its moves, starting and finishing attempts with their guards, what is recorded about them, the history of
 * both, and the reads the orchestrator makes.
 */
public abstract class TaskExecutionContract extends StoreContract {
    private static final Duration HALF_LIFE = Duration.ofDays(14);

    private TaskStore tasks() {
        return store.tasks();
    }

    private Attempt start(String taskId, RegisteredAgent agent) {
        return tasks().startAttempt(AttemptStart.of(taskId, agent.id(), agent.name(), Mode.AUTO, "implement"),
                clock.instant());
    }

    private TaskStatus status(String taskId) {
        return tasks().taskStatus(taskId).orElseThrow();
    }

    private static Transition taskMoved(String taskId, TaskState from, TaskState to, String reason, Instant at) {
        return new Transition(taskId, null, from == null ? null : from.configName(), to.configName(), reason, at);
    }

    private static Transition attemptMoved(String taskId, int number, AttemptState from, AttemptState to,
            String reason, Instant at) {
        return new Transition(taskId, number, from == null ? null : lower(from), lower(to), reason, at);
    }

    private static String lower(AttemptState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    // ---- Tasks and their states

    @Test
    void aNewTaskIsQueuedWithTheReasonAccepted() {
        Instant now = clock.instant();

        storedTask("T-1");

        assertThat(tasks().taskStatus("T-1")).contains(new TaskStatus("T-1", TaskState.QUEUED, "accepted", null, now));
        assertThat(tasks().transitions("T-1"))
                .containsExactly(taskMoved("T-1", null, TaskState.QUEUED, "accepted", now));
        assertThat(tasks().taskStatus("T-2")).isEmpty();
        assertThat(tasks().transitions("T-2")).isEmpty();
    }

    @Test
    void aTaskLoadsBackEqualToTheTaskSaved() {
        Task whole = aTask().withId("T-1")
                .titled("Make the store keep tasks whole")
                .withPrompt("Keep every field.\nQuotes \" and back\\slashes, tabs\t, ünïcödé, emoji 🚀.")
                .ofType(TaskType.REFACTOR)
                .ofWorkType("store-refactor")
                .withComplexity(73)
                .withScope(Scope.MULTI_MODULE)
                .withRisk(Risk.HIGH)
                .withEstimatedTokens(123_456_789_012L)
                .needingReasoning()
                .needingIteration()
                .tagged("store", "json")
                .needingSkills("sql")
                .inPool("code")
                .dependingOn("T-0", "T-00")
                .touching("switchboard-store/src/Jdbc.java", "switchboard-core/src/Task.java")
                .withPriority("P1")
                .inPlan("plans/sprint-7.md", "sprint 7", 2)
                .withSourceStatus("in progress")
                .verifiedBy("./mvnw -q verify")
                .timingOutAfter(Duration.ofMinutes(45).plusMillis(250))
                .idleTimingOutAfter(Duration.ofSeconds(90))
                .statedAt("complexity", "Metadata, line 7")
                .statedAt("risk", "Metadata, line 8")
                .from("plans/sprint-7.md", 41)
                .build();
        // Nothing stated: every trait of the draft is null, and only the inferred traits say what it is.
        Task sparse = new Task(TaskDraft.of("T-2", "", "", TaskSource.COMMAND_LINE),
                aTask().withId("T-2").ofType(TaskType.GENERAL).build().traits());

        tasks().saveTask(whole, clock.instant());
        tasks().saveTask(sparse, clock.instant());

        assertThat(tasks().loadTask("T-1")).contains(whole);
        assertThat(tasks().loadTask("T-2")).contains(sparse);
        assertThat(tasks().loadTask("T-3")).isEmpty();
    }

    @Test
    void savingATaskAgainReplacesItAndKeepsItsState() {
        storedTask(aTask().withId("T-1").titled("First"));
        Instant moved = clock.tick(Duration.ofMinutes(1)).instant();
        tasks().moveTask("T-1", new TaskMove(TaskState.WAITING, "retry in 5 minutes", moved.plusSeconds(300)), moved);

        clock.tick(Duration.ofMinutes(1));
        Task second = storedTask(aTask().withId("T-1").titled("Second").ofWorkType("code-review"));

        assertThat(tasks().loadTask("T-1")).contains(second);
        assertThat(status("T-1"))
                .isEqualTo(new TaskStatus("T-1", TaskState.WAITING, "retry in 5 minutes", moved.plusSeconds(300),
                        moved));
        assertThat(tasks().transitions("T-1")).hasSize(2);
    }

    @Test
    void aTaskHasTheOptionsItWasLastSubmittedWith() {
        Task task = storedTask("T-1");
        assertThat(tasks().taskOptions("T-1")).contains(TaskOptions.DEFAULTS);
        TaskOptions options = new TaskOptions("/work/repo", 2.75, Instant.parse("2026-01-06T18:00:00.123456789Z"),
                "codex", Set.of("gemini", "aider"), Duration.ofMinutes(30), Duration.ofSeconds(90).plusNanos(5));

        TaskStatus status = tasks().submit(task, options, false, clock.instant());

        assertThat(status).isEqualTo(status("T-1")).extracting(TaskStatus::state).isEqualTo(TaskState.QUEUED);
        assertThat(tasks().taskOptions("T-1")).contains(options);
        // Saving the task again (routing it) keeps them; submitting it again replaces them.
        storedTask("T-1");
        assertThat(tasks().taskOptions("T-1")).contains(options);
        tasks().submit(task, TaskOptions.DEFAULTS, false, clock.instant());
        assertThat(tasks().taskOptions("T-1")).contains(TaskOptions.DEFAULTS);
        assertThat(tasks().taskOptions("T-2")).isEmpty();
    }

    @Test
    void submittingANewTaskAcceptsItWithItsOptions() {
        Task task = aTask().withId("T-1").build();
        TaskOptions options = new TaskOptions("/work/repo", null, null, null, Set.of(), null, null);
        Instant now = clock.instant();

        TaskStatus status = tasks().submit(task, options, false, now);

        assertThat(status).isEqualTo(new TaskStatus("T-1", TaskState.QUEUED, "accepted", null, now));
        assertThat(tasks().loadTask("T-1")).contains(task);
        assertThat(tasks().taskOptions("T-1")).contains(options);
        assertThat(tasks().transitions("T-1"))
                .containsExactly(taskMoved("T-1", null, TaskState.QUEUED, "accepted", now));
    }

    @Test
    void aTasksPlacementIsKeptWithItsOptionsWholeAPinsFirstAttemptIncluded() {
        Task task = aTask().withId("T-1").build();
        TaskOptions options = new TaskOptions("/work/repo", null, null, null, Set.of(), null, null)
                .withPlacement(new Placement(null, "codex", Mode.PLAN, "workflow step 'plan'")
                        .handedOffTo("claude-code", 3))
                .withMaxAttempts(1);

        tasks().submit(task, options, false, clock.instant());

        assertThat(tasks().taskOptions("T-1")).contains(options);
        assertThat(tasks().taskOptions("T-1").orElseThrow().placement().pinFrom()).isEqualTo(3);
    }

    @Test
    void whatRunningATaskReadsOfItSaysWhetherAnyOfItsAttemptsIsStored() {
        storedTask("T-1");
        storedTask("T-2");
        RegisteredAgent codex = registered("codex");

        assertThat(tasks().taskRun("T-1").orElseThrow().hasAttempts()).isFalse();

        start("T-1", codex);
        assertThat(tasks().taskRun("T-1").orElseThrow().hasAttempts()).isTrue();
        tasks().finishAttempt(succeeded("T-1", 1, clock.instant()).build());
        TaskStore.TaskRun run = tasks().taskRun("T-1").orElseThrow();
        assertThat(run.hasAttempts()).isTrue();
        assertThat(run.status()).isEqualTo(status("T-1"));
        // Another task's attempts are not its own.
        assertThat(tasks().taskRun("T-2").orElseThrow().hasAttempts()).isFalse();
        assertThat(tasks().taskRun("T-3")).isEmpty();
    }

    @Test
    void aTaskThatEndedStaysEndedUnlessSubmittedToRunAgain() {
        Task task = aTask().withId("T-1").build();
        tasks().submit(task, TaskOptions.DEFAULTS, false, clock.instant());
        RegisteredAgent codex = registered("codex");
        start("T-1", codex);
        Instant ended = clock.tick(Duration.ofMinutes(1)).instant();
        tasks().finishAttempt(succeeded("T-1", 1, ended)
                .movingTaskTo(TaskState.SUCCEEDED, "succeeded on codex").build());
        int transitions = tasks().transitions("T-1").size();

        Instant later = clock.tick(Duration.ofMinutes(1)).instant();
        TaskStatus unchanged = tasks().submit(task, TaskOptions.DEFAULTS, false, later);

        assertThat(unchanged).isEqualTo(new TaskStatus("T-1", TaskState.SUCCEEDED, "succeeded on codex", null, ended));
        assertThat(tasks().transitions("T-1")).hasSize(transitions);

        Instant again = clock.tick(Duration.ofMinutes(1)).instant();
        TaskStatus queued = tasks().submit(task, TaskOptions.DEFAULTS, true, again);

        assertThat(queued).isEqualTo(new TaskStatus("T-1", TaskState.QUEUED, "run again", null, again))
                .isEqualTo(status("T-1"));
        assertThat(tasks().transitions("T-1")).last()
                .isEqualTo(taskMoved("T-1", TaskState.SUCCEEDED, TaskState.QUEUED, "run again", again));
        // Its attempts keep their numbers; the next continues from them.
        assertThat(start("T-1", codex).number()).isEqualTo(2);
        // Again on a task that has not ended changes nothing.
        assertThat(tasks().submit(task, TaskOptions.DEFAULTS, true, clock.instant()).state())
                .isEqualTo(TaskState.RUNNING);
    }

    @ParameterizedTest
    @EnumSource(TaskState.class)
    void aTaskMovesOnlyAsItsStateAllows(TaskState from) {
        for (TaskState to : TaskState.values()) {
            String taskId = "T-" + to.configName();
            storedTask(taskId);
            reach(taskId, from);
            List<Transition> before = tasks().transitions(taskId);
            TaskStatus statusBefore = status(taskId);
            Instant now = clock.tick(Duration.ofSeconds(1)).instant();
            Instant due = now.plusSeconds(300);

            boolean moved = tasks().moveTask(taskId, new TaskMove(to, "because " + to.configName(), due), now);

            assertThat(moved).as("%s → %s", from, to).isEqualTo(from.canMoveTo(to));
            if (moved) {
                String reason = "because " + to.configName();
                assertThat(status(taskId)).isEqualTo(new TaskStatus(taskId, to, reason, due, now));
                assertThat(tasks().transitions(taskId)).hasSize(before.size() + 1)
                        .startsWith(before.toArray(Transition[]::new))
                        .last().isEqualTo(taskMoved(taskId, from, to, reason, now));
            } else {
                assertThat(status(taskId)).isEqualTo(statusBefore);
                assertThat(tasks().transitions(taskId)).isEqualTo(before);
            }
        }
    }

    /** Moves a queued task to the state, by allowed moves. */
    private void reach(String taskId, TaskState state) {
        switch (state) {
            case QUEUED -> { }
            case SUCCEEDED -> {
                reach(taskId, TaskState.RUNNING);
                assertThat(tasks().moveTask(taskId, TaskMove.to(state, "done"), clock.instant())).isTrue();
            }
            case RUNNING, WAITING, FAILED, DEAD_LETTERED, CANCELLED ->
                    assertThat(tasks().moveTask(taskId, TaskMove.to(state, "set up"), clock.instant())).isTrue();
        }
    }

    @Test
    void aDueTimeLastsUntilTheNextMove() {
        storedTask("T-1");
        Instant due = Instant.parse("2026-01-05T09:30:00.123456Z");

        tasks().moveTask("T-1", new TaskMove(TaskState.WAITING, "retry", due), clock.instant());
        assertThat(status("T-1").dueAt()).isEqualTo(Instant.parse("2026-01-05T09:30:00.123Z"));

        tasks().moveTask("T-1", TaskMove.to(TaskState.QUEUED, "due"), clock.instant());
        assertThat(status("T-1").dueAt()).isNull();
    }

    @Test
    void aMoveFromGivenStatesMovesOnlyATaskInOneOfThem() {
        storedTask("T-1");
        Set<TaskState> notStarted = java.util.EnumSet.of(TaskState.QUEUED, TaskState.WAITING);

        assertThat(tasks().moveTaskFrom("T-1", notStarted, new TaskMove(TaskState.WAITING, "no agent",
                clock.instant().plusSeconds(1)), clock.instant())).isTrue();
        assertThat(status("T-1").state()).isEqualTo(TaskState.WAITING);
        tasks().moveTask("T-1", TaskMove.to(TaskState.RUNNING, "attempt 1 on elsewhere"), clock.instant());

        // Started meanwhile: a move decided before the start does not take it out of RUNNING.
        assertThat(tasks().moveTaskFrom("T-1", notStarted, new TaskMove(TaskState.WAITING, "no agent",
                clock.instant().plusSeconds(1)), clock.instant())).isFalse();
        assertThat(tasks().moveTaskFrom("T-1", notStarted, TaskMove.to(TaskState.FAILED, "no agent"),
                clock.instant())).isFalse();
        assertThat(status("T-1").state()).isEqualTo(TaskState.RUNNING);
        assertThat(tasks().transitions("T-1")).extracting(Transition::to).containsExactly("queued", "waiting",
                "running");
        assertThat(tasks().moveTaskFrom("T-404", notStarted, TaskMove.to(TaskState.FAILED, "no agent"),
                clock.instant())).isFalse();
    }

    @Test
    void anUnknownTaskDoesNotMove() {
        assertThat(tasks().moveTask("T-404", TaskMove.to(TaskState.CANCELLED, "cancelled"), clock.instant())).isFalse();

        assertThat(tasks().taskStatus("T-404")).isEmpty();
        assertThat(tasks().transitions("T-404")).isEmpty();
    }

    @Test
    void unfinishedTasksAreListedOldestFirst() {
        storedTask("T-3");
        storedTask("T-1");
        clock.tick(Duration.ofSeconds(1));
        storedTask("T-2");
        storedTask("T-4");
        tasks().moveTask("T-4", TaskMove.to(TaskState.FAILED, "invalid"), clock.instant());
        clock.tick(Duration.ofSeconds(1));
        storedTask("T-5");
        tasks().moveTask("T-5", new TaskMove(TaskState.WAITING, "retry", clock.instant()), clock.instant());
        start("T-2", registered("codex"));
        // Saving a task again does not make it newer.
        storedTask("T-3");

        assertThat(tasks().unfinishedTasks()).containsExactly("T-1", "T-3", "T-2", "T-5");
    }

    // ---- Starting attempts

    @Test
    void startingAnAttemptRecordsWhatIsKnownAndMovesTheTaskToRunning() {
        Instant accepted = clock.instant();
        storedTask("T-1");
        RegisteredAgent codex = registered("codex");
        Instant now = clock.tick(Duration.ofSeconds(2)).instant();

        Attempt attempt = tasks().startAttempt(new AttemptStart("T-1", codex.id(), "codex", Mode.FULL_AUTO,
                "implement", 42L, "orchestrator-1", "SWITCHBOARD_ATTEMPT=T-1/1", "codex-cli 0.9.1"), now);

        assertThat(attempt).isEqualTo(new Attempt("T-1", 1, codex.id(), "codex", Mode.FULL_AUTO, "implement",
                AttemptState.RUNNING, now, null));
        AttemptRecord record = new AttemptRecord(attempt, null, 0, 0, 0, 0, null, null, "codex-cli 0.9.1", "", "",
                null, 42L, "orchestrator-1", "SWITCHBOARD_ATTEMPT=T-1/1", "", "", null);
        assertThat(tasks().attemptRecords("T-1")).containsExactly(record);
        assertThat(tasks().inFlightAttempts()).containsExactly(record);
        assertThat(status("T-1")).isEqualTo(new TaskStatus("T-1", TaskState.RUNNING, "attempt 1 on codex", null, now));
        assertThat(tasks().transitions("T-1")).containsExactly(
                taskMoved("T-1", null, TaskState.QUEUED, "accepted", accepted),
                taskMoved("T-1", TaskState.QUEUED, TaskState.RUNNING, "attempt 1 on codex", now),
                attemptMoved("T-1", 1, null, AttemptState.RUNNING, "started on codex", now));
    }

    @Test
    void anAttemptOfATaskThatEndedIsRefused() {
        storedTask("T-1");
        tasks().moveTask("T-1", TaskMove.to(TaskState.CANCELLED, "cancelled by the user"), clock.instant());
        List<Transition> before = tasks().transitions("T-1");

        assertThatThrownBy(() -> start("T-1", registered("codex")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("T-1")
                .hasMessageContaining("cancelled");
        assertThat(tasks().attemptRecords("T-1")).isEmpty();
        assertThat(tasks().transitions("T-1")).isEqualTo(before);
        assertThat(status("T-1").state()).isEqualTo(TaskState.CANCELLED);
    }

    @Test
    void anAttemptWhileAnotherIsInFlightIsRefused() {
        storedTask("T-1");
        RegisteredAgent codex = registered("codex");
        RegisteredAgent gemini = registered("gemini");
        start("T-1", codex);
        List<Transition> before = tasks().transitions("T-1");

        assertThatThrownBy(() -> start("T-1", gemini))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("T-1")
                .hasMessageContaining("in flight");
        assertThat(tasks().attempts("T-1")).extracting(Attempt::agentName).containsExactly("codex");
        assertThat(tasks().transitions("T-1")).isEqualTo(before);
        assertThat(tasks().inFlightByAgent()).containsOnlyKeys(codex.id());
    }

    @Test
    void aTaskStillRunningStartsItsNextAttemptWithoutAMove() {
        storedTask("T-1");
        start("T-1", registered("codex"));
        tasks().finishAttempt("T-1", 1, AttemptState.FAILED, clock.instant());
        TaskStatus running = status("T-1");
        Instant now = clock.tick(Duration.ofSeconds(5)).instant();

        Attempt second = start("T-1", registered("gemini"));

        assertThat(second.number()).isEqualTo(2);
        assertThat(status("T-1")).isEqualTo(running);
        assertThat(tasks().transitions("T-1")).last()
                .isEqualTo(attemptMoved("T-1", 2, null, AttemptState.RUNNING, "started on gemini", now));
    }

    @Test
    void inFlightAttemptsAreListedOldestFirst() {
        RegisteredAgent codex = registered("codex");
        for (String id : List.of("T-1", "T-2", "T-3", "T-4")) {
            storedTask(id);
        }
        start("T-2", codex);
        start("T-1", codex);
        clock.tick(Duration.ofSeconds(1));
        start("T-3", codex);
        tasks().finishAttempt("T-3", 1, AttemptState.SUCCEEDED, clock.instant());
        clock.tick(Duration.ofSeconds(1));
        start("T-4", codex);

        assertThat(tasks().inFlightAttempts()).extracting(record -> record.attempt().taskId())
                .containsExactly("T-1", "T-2", "T-4");
    }

    // ---- Finishing attempts

    @Test
    void finishingAnAttemptRecordsEverythingAboutIt() {
        storedTask("T-1");
        RegisteredAgent codex = registered("codex");
        Attempt attempt = tasks().startAttempt(new AttemptStart("T-1", codex.id(), "codex", Mode.AUTO, "implement",
                7L, "orchestrator-1", "marker-1", "codex-cli 0.9.1"), clock.instant());
        Instant finished = clock.tick(Duration.ofSeconds(90)).instant();
        FailureInfo failure = new FailureInfo(FailureType.RATE_LIMIT, "rate limited until 10:00", false,
                "HTTP 429\nretry-after: 3600", Instant.parse("2026-01-05T10:00:00.250Z"));
        String output = "line 1\nline 2 ünïcödé\n" + "x".repeat(10_000);

        boolean recorded = tasks().finishAttempt(failed("T-1", 1, failure, finished)
                .took(90_000).usingTokens(1_200, 340).costing(0.0123).exitingWith(2).inSession("session-7")
                .printing(output).verifyPrinting("BUILD FAILURE").assessedAs(Difficulty.TRICKY).build());

        assertThat(recorded).isTrue();
        Attempt ended = new Attempt("T-1", 1, codex.id(), "codex", Mode.AUTO, "implement", AttemptState.FAILED,
                attempt.startedAt(), finished);
        assertThat(tasks().attemptRecords("T-1")).containsExactly(new AttemptRecord(ended, failure, 90_000, 1_200,
                340, 0.0123, 2, "session-7", "codex-cli 0.9.1", output, "BUILD FAILURE", Difficulty.TRICKY, 7L,
                "orchestrator-1", "marker-1", "", "", null));
        assertThat(tasks().attempts("T-1")).containsExactly(ended);
        assertThat(tasks().transitions("T-1")).last().isEqualTo(attemptMoved("T-1", 1, AttemptState.RUNNING,
                AttemptState.FAILED, "rate limited until 10:00", finished));
        assertThat(tasks().inFlightAttempts()).isEmpty();
        // No move was asked for.
        assertThat(status("T-1").state()).isEqualTo(TaskState.RUNNING);
    }

    @Test
    void anAttemptInAWorkspaceOfItsOwnRecordsWhereItsWorkIsAndWhatItChanged() {
        storedTask("T-1");
        storedTask("T-2");
        RegisteredAgent codex = registered("codex");
        start("T-1", codex);
        start("T-2", codex);
        AttemptChanges onBranch = new AttemptChanges("switchboard/t-1", "3f2a9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b", "",
                List.of(new FileChange('D', "old.txt"), new FileChange('M', "docs/read me ünï.md"),
                        new FileChange('A', "src/Parser.java")),
                "3 files changed, 7 insertions(+), 1 deletion(-)");
        AttemptChanges inCopy = new AttemptChanges("", "", "/work/repo/.switchboard/copies/t-2-1", List.of(),
                "no changes");
        Instant finished = clock.tick(Duration.ofSeconds(5)).instant();

        tasks().finishAttempt(succeeded("T-1", 1, finished).changing(onBranch).build());
        tasks().finishAttempt(failed("T-2", 1, FailureInfo.of(FailureType.EXIT_CODE, "exit 1"), finished)
                .changing(inCopy).build());

        assertThat(tasks().attemptRecords("T-1").getFirst().changes()).isEqualTo(onBranch);
        assertThat(tasks().attemptRecords("T-2").getFirst().changes()).isEqualTo(inCopy);
        assertThat(onBranch.where()).isEqualTo("switchboard/t-1");
        assertThat(inCopy.where()).isEqualTo("/work/repo/.switchboard/copies/t-2-1");
    }

    @Test
    void aTaskKeepsThePlanRunItWasSubmittedInAndIsFoundByItsName() {
        TaskOptions base = new TaskOptions("/work/repo", null, null, null, Set.of(), null, null);
        TaskOptions first = base.withPlanRun(new PlanRun("sprint-3", List.of(), 4, true));
        TaskOptions second = base.withPlanRun(new PlanRun("sprint-3", List.of("T-1", "T-0"), 4, true));
        Task t1 = aTask().withId("T-1").build();
        Task t2 = aTask().withId("T-2").build();
        tasks().submit(t2, second, false, clock.instant());
        tasks().submit(t1, first, false, clock.tick(Duration.ofSeconds(1)).instant());
        tasks().submit(aTask().withId("T-3").build(), base.withPlanRun(new PlanRun("other", List.of(), 1, false)),
                false, clock.instant());
        tasks().submit(aTask().withId("T-4").build(), base, false, clock.instant());

        assertThat(tasks().taskOptions("T-2")).contains(second);
        assertThat(tasks().planTasks("sprint-3")).containsExactly("T-2", "T-1");
        assertThat(tasks().planTasks("other")).containsExactly("T-3");
        assertThat(tasks().planTasks("none")).isEmpty();

        // Saving a task again (routing it) keeps its plan run; submitting it outside the plan takes it out.
        storedTask("T-2");
        assertThat(tasks().planTasks("sprint-3")).containsExactly("T-2", "T-1");
        tasks().submit(t2, base, false, clock.instant());
        assertThat(tasks().planTasks("sprint-3")).containsExactly("T-1");
        assertThat(tasks().taskOptions("T-2")).contains(base);
    }

    @Test
    void aSuccessKeepsTheAgentsAnswer() {
        storedTask("T-1");
        start("T-1", registered("claude-code"));
        String answer = "The plan, in three steps.\nVERDICT: APPROVED\n";

        tasks().finishAttempt(succeeded("T-1", 1, clock.instant()).printing("{\"type\":\"result\"}")
                .answering(answer).build());

        AttemptRecord record = tasks().attemptRecords("T-1").getFirst();
        assertThat(record.answer()).isEqualTo(answer);
        assertThat(record.output()).isEqualTo("{\"type\":\"result\"}");
    }

    @Test
    void aFailureWithoutAMessageIsExplainedByItsType() {
        storedTask("T-1");
        start("T-1", registered("codex"));

        tasks().finishAttempt("T-1", 1, AttemptState.TIMED_OUT, clock.instant());

        assertThat(tasks().transitions("T-1")).last().extracting(Transition::reason).isEqualTo("timeout");
        assertThat(tasks().attemptRecords("T-1").getFirst().failure())
                .isEqualTo(FailureInfo.of(FailureType.TIMEOUT, ""));
    }

    @Test
    void aFinishedAttemptCannotFinishTwice() {
        storedTask("T-1");
        RegisteredAgent codex = registered("codex");
        start("T-1", codex);
        FailureInfo exit = FailureInfo.of(FailureType.EXIT_CODE, "exit status 1");
        assertThat(tasks().finishAttempt(failed("T-1", 1, exit, clock.instant()).exitingWith(1)
                .countingTowardsPerformance(HALF_LIFE).build())).isTrue();
        List<AttemptRecord> records = tasks().attemptRecords("T-1");
        List<Transition> transitions = tasks().transitions("T-1");
        TaskStatus status = status("T-1");

        boolean again = tasks().finishAttempt(succeeded("T-1", 1, clock.tick(Duration.ofSeconds(1)).instant())
                .exitingWith(0).countingTowardsPerformance(HALF_LIFE)
                .movingTaskTo(TaskState.SUCCEEDED, "succeeded on codex").build());

        assertThat(again).isFalse();
        assertThat(tasks().attemptRecords("T-1")).isEqualTo(records);
        assertThat(tasks().transitions("T-1")).isEqualTo(transitions);
        assertThat(status("T-1")).isEqualTo(status);
        AgentPerformance performance = store.performance().forWorkType("implement").get(codex.id());
        assertThat(performance.successes()).isZero();
        assertThat(performance.failures()).isEqualTo(1);
    }

    @Test
    void aStaleAttemptNumberCannotFinish() {
        storedTask("T-1");
        start("T-1", registered("codex"));
        tasks().finishAttempt("T-1", 1, AttemptState.TIMED_OUT, clock.instant());
        start("T-1", registered("gemini"));
        List<Transition> transitions = tasks().transitions("T-1");

        // The late result of the attempt that timed out, while the next one runs.
        assertThat(tasks().finishAttempt(succeeded("T-1", 1, clock.instant())
                .movingTaskTo(TaskState.SUCCEEDED, "succeeded on codex").build())).isFalse();
        // No such attempt, or no such task.
        assertThat(tasks().finishAttempt(succeeded("T-1", 3, clock.instant()).build())).isFalse();
        assertThat(tasks().finishAttempt(succeeded("T-1", 0, clock.instant()).build())).isFalse();
        assertThat(tasks().finishAttempt(succeeded("T-9", 1, clock.instant()).build())).isFalse();

        assertThat(tasks().attempts("T-1")).extracting(Attempt::state)
                .containsExactly(AttemptState.TIMED_OUT, AttemptState.RUNNING);
        assertThat(tasks().transitions("T-1")).isEqualTo(transitions);
        assertThat(status("T-1").state()).isEqualTo(TaskState.RUNNING);
    }

    @Test
    void performanceIsUpdatedWithTheOutcomeWhenAskedAndOnlyThen() {
        RegisteredAgent codex = registered("codex");
        for (String id : List.of("T-1", "T-2", "T-3")) {
            storedTask(id);
            start(id, codex);
        }
        Instant first = clock.tick(Duration.ofMinutes(1)).instant();
        Instant third = first.plus(Duration.ofDays(3));

        tasks().finishAttempt(succeeded("T-1", 1, first).took(60_000).usingTokens(1_000, 500).costing(0.02)
                .assessedAs(Difficulty.TRICKY).countingTowardsPerformance(HALF_LIFE).build());
        // Cancelled: says nothing about the agent, so performance is left alone.
        tasks().finishAttempt(failed("T-2", 1, FailureInfo.of(FailureType.CANCELLED, "stopped"), first.plusSeconds(1))
                .took(1_000).usingTokens(10, 10).costing(0.5).build());
        tasks().finishAttempt(failed("T-3", 1, FailureInfo.of(FailureType.TIMEOUT, "30 minutes"), third)
                .took(1_800_000).usingTokens(9_000, 0).costing(0.3).countingTowardsPerformance(HALF_LIFE).build());

        AgentPerformance expected = AgentPerformance.none(codex.id(), "implement")
                .plus(true, first, HALF_LIFE, 60_000, 1_500, 0.02, Difficulty.TRICKY)
                .plus(false, third, HALF_LIFE, 1_800_000, 9_000, 0.3, null);
        PerformanceStoreContract.assertSameRecord(store.performance().forWorkType("implement").get(codex.id()),
                expected);
    }

    @Test
    void performanceIsLeftAloneWithoutAHalfLife() {
        RegisteredAgent codex = registered("codex");
        storedTask("T-1");
        start("T-1", codex);

        tasks().finishAttempt(succeeded("T-1", 1, clock.instant()).costing(1.0).build());

        assertThat(store.performance().forWorkType("implement")).isEmpty();
    }

    @Test
    void anOutcomeForAnAgentNoLongerRegisteredIsRecordedWithoutPerformance() {
        RegisteredAgent codex = registered("codex");
        storedTask("T-1");
        start("T-1", codex);
        store.agents().remove("codex");

        assertThat(tasks().finishAttempt(succeeded("T-1", 1, clock.instant()).countingTowardsPerformance(HALF_LIFE)
                .movingTaskTo(TaskState.SUCCEEDED, "succeeded on codex").build())).isTrue();

        assertThat(tasks().attempts("T-1").getFirst().state()).isEqualTo(AttemptState.SUCCEEDED);
        assertThat(store.performance().all()).isEmpty();
    }

    @Test
    void anOutcomeWhoseTaskMoveIsNotAllowedWritesNothing() {
        storedTask("T-1");
        RegisteredAgent codex = registered("codex");
        start("T-1", codex);
        // A cancel got in first.
        tasks().moveTask("T-1", TaskMove.to(TaskState.CANCELLED, "cancelled by the user"), clock.instant());
        List<AttemptRecord> records = tasks().attemptRecords("T-1");
        List<Transition> transitions = tasks().transitions("T-1");
        TaskStatus cancelled = status("T-1");

        boolean recorded = tasks().finishAttempt(succeeded("T-1", 1, clock.tick(Duration.ofSeconds(1)).instant())
                .costing(0.4).countingTowardsPerformance(HALF_LIFE)
                .movingTaskTo(TaskState.SUCCEEDED, "succeeded on codex").build());

        assertThat(recorded).isFalse();
        assertThat(tasks().attemptRecords("T-1")).isEqualTo(records);
        assertThat(tasks().transitions("T-1")).isEqualTo(transitions);
        assertThat(status("T-1")).isEqualTo(cancelled);
        assertThat(store.performance().forWorkType("implement")).isEmpty();
        assertThat(tasks().spentSince(Instant.EPOCH)).isZero();
        // Without the move, the outcome is recorded.
        FailureInfo cancel = FailureInfo.of(FailureType.CANCELLED, "cancelled by the user");
        assertThat(tasks().finishAttempt(failed("T-1", 1, cancel, clock.instant()).build())).isTrue();
    }

    @Test
    void theTransitionsOfATaskThatRanTwoAttemptsReadInOrder() {
        Instant accepted = clock.instant();
        tasks().submit(aTask().withId("T-1").build(), TaskOptions.DEFAULTS, false, accepted);
        RegisteredAgent codex = registered("codex");
        RegisteredAgent gemini = registered("gemini");
        Instant first = clock.tick(Duration.ofSeconds(1)).instant();
        start("T-1", codex);
        Instant failedAt = clock.tick(Duration.ofMinutes(2)).instant();
        tasks().finishAttempt(failed("T-1", 1, FailureInfo.of(FailureType.EXIT_CODE, "exit status 1"), failedAt)
                .movingTask(new TaskMove(TaskState.WAITING, "retry in 30s", failedAt.plusSeconds(30))).build());
        Instant second = clock.tick(Duration.ofSeconds(30)).instant();
        start("T-1", gemini);
        Instant succeededAt = clock.tick(Duration.ofMinutes(3)).instant();
        tasks().finishAttempt(succeeded("T-1", 2, succeededAt)
                .movingTaskTo(TaskState.SUCCEEDED, "succeeded on gemini").build());

        assertThat(tasks().transitions("T-1")).containsExactly(
                taskMoved("T-1", null, TaskState.QUEUED, "accepted", accepted),
                taskMoved("T-1", TaskState.QUEUED, TaskState.RUNNING, "attempt 1 on codex", first),
                attemptMoved("T-1", 1, null, AttemptState.RUNNING, "started on codex", first),
                attemptMoved("T-1", 1, AttemptState.RUNNING, AttemptState.FAILED, "exit status 1", failedAt),
                taskMoved("T-1", TaskState.RUNNING, TaskState.WAITING, "retry in 30s", failedAt),
                taskMoved("T-1", TaskState.WAITING, TaskState.RUNNING, "attempt 2 on gemini", second),
                attemptMoved("T-1", 2, null, AttemptState.RUNNING, "started on gemini", second),
                attemptMoved("T-1", 2, AttemptState.RUNNING, AttemptState.SUCCEEDED, "succeeded", succeededAt),
                taskMoved("T-1", TaskState.RUNNING, TaskState.SUCCEEDED, "succeeded on gemini", succeededAt));
        assertThat(status("T-1")).isEqualTo(new TaskStatus("T-1", TaskState.SUCCEEDED, "succeeded on gemini", null,
                succeededAt));
        assertThat(tasks().unfinishedTasks()).isEmpty();
    }

    @Test
    void twoThreadsFinishingTheSameAttemptRecordItOnce() throws Exception {
        RegisteredAgent codex = registered("codex");
        int rounds = 10;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < rounds; round++) {
                String taskId = "T-" + round;
                storedTask(taskId);
                start(taskId, codex);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int exitStatus : List.of(0, 1)) {
                    AttemptOutcome outcome = (exitStatus == 0
                            ? succeeded(taskId, 1, clock.instant()).movingTaskTo(TaskState.SUCCEEDED, "succeeded")
                            : failed(taskId, 1, FailureInfo.of(FailureType.EXIT_CODE, "exit status 1"), clock.instant())
                                    .movingTaskTo(TaskState.FAILED, "failed"))
                            .exitingWith(exitStatus).costing(1.0).countingTowardsPerformance(HALF_LIFE).build();
                    Callable<Boolean> finish = () -> {
                        go.await();
                        return tasks().finishAttempt(outcome);
                    };
                    results.add(pool.submit(finish));
                }
                go.countDown();
                List<Boolean> recorded = new ArrayList<>();
                for (Future<Boolean> result : results) {
                    recorded.add(result.get(60, TimeUnit.SECONDS));
                }

                assertThat(recorded).as("round %d", round).containsOnlyOnce(true);
                AttemptRecord record = tasks().attemptRecords(taskId).getFirst();
                int winner = recorded.indexOf(true);
                assertThat(record.exitCode()).isEqualTo(winner);
                assertThat(status(taskId).state()).isEqualTo(winner == 0 ? TaskState.SUCCEEDED : TaskState.FAILED);
                assertThat(tasks().transitions(taskId)).filteredOn(t -> t.attempt() != null).hasSize(2);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.performance().forWorkType("implement").get(codex.id()).executions()).isEqualTo(rounds);
        assertThat(tasks().spentSince(Instant.EPOCH)).isCloseTo(rounds, within(1e-9));
    }

    // ---- Reads for recovery and budgets

    @Test
    void recentOutcomesCountAnAgentsSuccessesAndFailuresSince() {
        RegisteredAgent codex = registered("codex");
        RegisteredAgent gemini = registered("gemini");
        Instant since = clock.instant();
        finished("T-1", codex, AttemptState.SUCCEEDED, since);
        finished("T-2", codex, AttemptState.FAILED, since.plusSeconds(1));
        finished("T-3", codex, AttemptState.TIMED_OUT, since.plusSeconds(2));
        // Not counted: cancelled and abandoned say nothing about the agent; one is before the window.
        finished("T-4", codex, AttemptState.CANCELLED, since.plusSeconds(3));
        finished("T-5", codex, AttemptState.ABANDONED, since.plusSeconds(4));
        finished("T-6", codex, AttemptState.SUCCEEDED, since.minusMillis(1));
        storedTask("T-7");
        start("T-7", codex);
        finished("T-8", gemini, AttemptState.FAILED, since.plusSeconds(1));

        assertThat(tasks().recentOutcomes(codex.id(), since)).isEqualTo(new RecentOutcomes(1, 2));
        assertThat(tasks().recentOutcomes(codex.id(), since).total()).isEqualTo(3);
        assertThat(tasks().recentOutcomes(gemini.id(), since)).isEqualTo(new RecentOutcomes(0, 1));
        assertThat(tasks().recentOutcomes(codex.id(), since.plusSeconds(2))).isEqualTo(new RecentOutcomes(0, 1));
        assertThat(tasks().recentOutcomes(registered("aider").id(), since)).isEqualTo(new RecentOutcomes(0, 0));
    }

    @Test
    void spendSumsTheCostOfAttemptsFinishedSince() {
        RegisteredAgent codex = registered("codex");
        Instant since = clock.instant();
        for (String id : List.of("T-1", "T-2", "T-3", "T-4")) {
            storedTask(id);
            start(id, codex);
        }
        tasks().finishAttempt(succeeded("T-1", 1, since).costing(0.25).build());
        tasks().finishAttempt(failed("T-2", 1, FailureInfo.of(FailureType.EXIT_CODE, "exit 1"), since.plusSeconds(60))
                .costing(0.5).build());
        tasks().finishAttempt(succeeded("T-3", 1, since.minusMillis(1)).costing(1.0).build());

        assertThat(tasks().spentSince(since)).isCloseTo(0.75, within(1e-9));
        assertThat(tasks().spentSince(since.minusSeconds(1))).isCloseTo(1.75, within(1e-9));
        assertThat(tasks().spentSince(since.plusSeconds(61))).isZero();
    }

    private void finished(String taskId, RegisteredAgent agent, AttemptState state, Instant at) {
        storedTask(taskId);
        start(taskId, agent);
        assertThat(tasks().finishAttempt(taskId, 1, state, at)).isTrue();
    }

    // ---- Orchestrators

    @Test
    void anOrchestratorIsRecordedAndEndsOnce() {
        Instant started = Instant.parse("2026-01-05T09:00:00.123456Z");
        tasks().registerOrchestrator(new OrchestratorRecord("orchestrator-1", "build-7", 4_242, started, null));

        assertThat(tasks().orchestrator("orchestrator-1")).contains(new OrchestratorRecord("orchestrator-1", "build-7",
                4_242, Instant.parse("2026-01-05T09:00:00.123Z"), null));
        assertThat(tasks().orchestrator("orchestrator-2")).isEmpty();

        Instant ended = clock.tick(Duration.ofHours(1)).instant();
        tasks().endOrchestrator("orchestrator-1", ended);
        tasks().endOrchestrator("orchestrator-1", ended.plusSeconds(5));
        tasks().endOrchestrator("orchestrator-2", ended);

        assertThat(tasks().orchestrator("orchestrator-1").orElseThrow().endedAt()).isEqualTo(ended);
        assertThat(tasks().orchestrator("orchestrator-2")).isEmpty();

        // The same id registered again (a restart) replaces what was recorded.
        OrchestratorRecord restarted = new OrchestratorRecord("orchestrator-1", "build-8", 99, ended.plusSeconds(60),
                null);
        tasks().registerOrchestrator(restarted);
        assertThat(tasks().orchestrator("orchestrator-1")).contains(restarted);
    }
}
