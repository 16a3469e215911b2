package io.switchboard.core.workflow;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.execution.Dispatcher;
import io.switchboard.core.execution.KeptText;
import io.switchboard.core.port.TaskStore;
import io.switchboard.core.port.WorkflowStore;
import io.switchboard.core.port.WorkingTree;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskDraft;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskStatus;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;

/**
 * Runs workflow runs: each step iteration becomes a stored task ({@link StepTasks}) that the {@link Dispatcher}
 * runs like any other, so routing, attempts, retries, budgets and cooldowns all apply; the step's output is
 * committed when its task succeeds, and loops send the work back until their step approves.
 *
 * <p>Everything is written before it is acted on: a step's row and task together before the task runs, its output
 * when it is read. A run stopped or killed at any point continues with {@link #run} from the store alone: committed
 * iterations are not run again, an open one continues its task (an attempt its dead orchestrator left is settled
 * by {@code resume} first, and runs again as a new attempt).
 *
 * <p>Order: a step starts when every step it waits for is complete ({@link WorkflowGraph#ready}); steps ready
 * together run at once, each on a thread of the given executor, with one exception: a step that may change files
 * (a mode other than {@code plan}, or no mode, which leaves the mode to the router) or that outputs the files it
 * changed never runs beside another such step, since they share one working directory and the changes of one
 * would be counted as the other's. Plan-mode steps run beside anything.
 *
 * <p>Failure: a step whose task fails for good is handed off when it says so (once), and otherwise fails the run;
 * steps already running finish first, and no new step starts. The coordinating thread is the one that calls
 * {@link #run}; it alone writes the run's rows. Several runs may be run at once from different threads.
 */
public final class WorkflowDispatcher {
    /**
     * The most of a file output or a list of changed files a step passes on, in characters: the head and the tail
     * are kept, as with an agent's output, so that one huge file cannot swell every later prompt and the store.
     */
    public static final int MAX_OUTPUT_CHARS = 256 * 1024;

    private final Dispatcher dispatcher;
    private final TaskStore tasks;
    private final WorkflowStore runs;
    private final WorkingTree files;
    private final HandoffBrief handoffBrief;
    private final WorkflowListener listener;
    private final InstantSource clock;
    private final Executor executor;
    private volatile boolean stopping;

    public WorkflowDispatcher(Dispatcher dispatcher, TaskStore tasks, WorkflowStore runs, WorkingTree files,
            HandoffBrief handoffBrief, WorkflowListener listener, InstantSource clock, Executor executor) {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.files = Objects.requireNonNull(files, "files");
        this.handoffBrief = Objects.requireNonNull(handoffBrief, "handoffBrief");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** How a call to {@link #run} left the run: ended, or stopped before the end (still running, for resume). */
    public record Result(WorkflowRun run, List<StepRun> steps, boolean stopped) {
    }

    /**
     * Creates a run of the workflow; nothing runs yet.
     *
     * @param given input values; the defaults fill the rest
     * @param options what every step's task runs with; it must name the working directory
     * @param origin the task the run carries, or {@code null}
     * @param base the stem of the run's id
     * @throws IllegalArgumentException for an input the workflow does not declare, or a required one not given
     */
    public WorkflowRun start(Workflow workflow, Map<String, String> given, TaskOptions options, TaskDraft origin,
            String base, String orchestratorId) {
        Map<String, String> inputs = workflow.resolveInputs(given);
        if (options.workingDirectory() == null) {
            throw new IllegalArgumentException("a workflow run needs a working directory");
        }
        return runs.createRun(new WorkflowRun.New(base, workflow, inputs, options, origin, orchestratorId),
                clock.instant());
    }

    /** Stops starting steps; those running finish as the dispatcher lets them (see {@link Dispatcher}). */
    public void stopTakingWork() {
        stopping = true;
    }

    /**
     * Runs the run until it ends, or until {@link #stopTakingWork} (or an interrupt) stops it: then the steps
     * running are waited for, and the run stays {@link WorkflowRunState#RUNNING} for {@code resume}.
     *
     * @throws IllegalArgumentException when no such run is stored
     */
    public Result run(String runId) {
        WorkflowRun run = runs.workflowRun(runId)
                .orElseThrow(() -> new IllegalArgumentException("no workflow run " + runId + " is stored"));
        if (run.state().isFinal()) {
            return new Result(run, runs.steps(runId), false);
        }
        Coordinator coordinator = new Coordinator(run, StepLedger.replay(run.workflow(), runs.steps(runId)));
        boolean stopped = coordinator.coordinate();
        return new Result(runs.workflowRun(runId).orElseThrow(), runs.steps(runId), stopped);
    }

    /** A step iteration's task, run to where the dispatcher leaves it. */
    private record Ran(StepRun row, TaskStatus status, RuntimeException error) {
    }

    /** One run being coordinated, on the thread that called {@link #run}. */
    private final class Coordinator {
        private final WorkflowRun run;
        private final StepLedger ledger;
        private final Workflow workflow;
        private final WorkflowGraph graph;
        private final Path directory;
        private final CompletionService<Ran> completions;
        private final Map<String, Future<Ran>> running = new HashMap<>();
        private boolean stopped;
        /** Why the run fails when a step failed before its task was stored, or {@code null}. */
        private String failedBeforeStart;

        Coordinator(WorkflowRun run, StepLedger ledger) {
            this.run = run;
            this.ledger = ledger;
            this.workflow = run.workflow();
            this.graph = workflow.graph();
            this.directory = Path.of(run.options().workingDirectory());
            this.completions = new ExecutorCompletionService<>(executor);
        }

        /** @return whether the run was stopped before it ended */
        boolean coordinate() {
            while (true) {
                if (!stopping && !stopped && failure() == null) {
                    startReadySteps();
                }
                if (running.isEmpty()) {
                    break;
                }
                Ran ran = next();
                if (ran != null) {
                    finished(ran);
                }
            }
            if (failure() != null) {
                end(WorkflowRunState.FAILED, failure());
                return false;
            }
            if (ledger.allComplete()) {
                end(WorkflowRunState.SUCCEEDED, ledger.successReason());
                return false;
            }
            return true;
        }

        private String failure() {
            return ledger.failure() != null ? ledger.failure() : failedBeforeStart;
        }

        private void end(WorkflowRunState state, String reason) {
            if (runs.finishRun(run.id(), state, reason, clock.instant())) {
                listener.runFinished(run.id(), state, reason);
            }
        }

        /** Waits for the next step to come back; an interrupt stops the run but still waits for the rest. */
        private Ran next() {
            try {
                Future<Ran> done = completions.take();
                running.values().remove(done);
                return done.get();
            } catch (InterruptedException e) {
                stopped = true;
                dispatcher.stopTakingWork();
                Thread.currentThread().interrupt();
                waitForTheRest();
                return null;
            } catch (ExecutionException e) {
                throw new IllegalStateException("a step's thread failed", e.getCause());
            }
        }

        private void waitForTheRest() {
            boolean interrupted = Thread.interrupted();
            while (!running.isEmpty()) {
                try {
                    Future<Ran> done = completions.take();
                    running.values().remove(done);
                    finished(done.get());
                } catch (InterruptedException again) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a step's thread failed", e.getCause());
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private void startReadySteps() {
            for (Step step : graph.ready(ledger.completed())) {
                if (running.containsKey(step.id()) || !mayStartNow(step)) {
                    continue;
                }
                StepRun row = ledger.open(step.id());
                boolean continued = row != null;
                if (row == null) {
                    row = open(step);
                    if (row == null) {
                        return;
                    }
                }
                listener.stepStarted(run.id(), row, continued);
                launch(row);
            }
        }

        /** A step that may change files waits while another such step runs. */
        private boolean mayStartNow(Step step) {
            if (!exclusive(step)) {
                return true;
            }
            for (String id : running.keySet()) {
                if (exclusive(workflow.step(id).orElseThrow())) {
                    return false;
                }
            }
            return true;
        }

        /** Opens the step's next iteration: renders its prompt, stores its row and task. {@code null} on failure. */
        private StepRun open(Step step) {
            int iteration = ledger.nextIteration(step.id());
            String prompt = step.prompt().render(run.inputs(), ledger.outputs());
            String snapshot = null;
            if (step.output().kind() == StepOutput.Kind.CHANGED_FILES) {
                try {
                    snapshot = files.snapshot(directory);
                } catch (UncheckedIOException e) {
                    failBeforeStart(step, iteration, "cannot tell which files it changes: " + e.getMessage());
                    return null;
                }
            }
            Task task = StepTasks.task(run.id(), run.title(), run.origin(), step, iteration, prompt);
            StepRun row = runs.startStep(new StepRun.Start(run.id(), step.id(), iteration, task,
                    StepTasks.options(run.options(), step), snapshot), clock.instant());
            ledger.opened(row);
            return row;
        }

        /** Nothing was stored for the step: the run fails with the reason once the running steps finished. */
        private void failBeforeStart(Step step, int iteration, String why) {
            failedBeforeStart = "step '" + step.id() + "' (iteration " + iteration + ") " + why;
        }

        private void launch(StepRun row) {
            String taskId = row.taskId();
            running.put(row.stepId(), completions.submit(() -> {
                try {
                    return new Ran(row, dispatcher.run(taskId), null);
                } catch (RuntimeException e) {
                    return new Ran(row, null, e);
                }
            }));
        }

        private void finished(Ran ran) {
            if (ran.error() != null) {
                throw ran.error();
            }
            StepRun row = ran.row();
            TaskState state = ran.status().state();
            if (!state.isFinal()) {
                // The dispatcher was stopped: the step stays open for resume.
                stopped = true;
                return;
            }
            Step step = workflow.step(row.stepId()).orElseThrow();
            if (state == TaskState.SUCCEEDED) {
                succeeded(step, row);
            } else {
                failed(step, row, ran.status());
            }
        }

        private void succeeded(Step step, StepRun row) {
            String output;
            try {
                output = output(step, row);
            } catch (StepOutputException | UncheckedIOException e) {
                commit(row, StepRunState.FAILED, e.getMessage(), null);
                return;
            }
            StepLedger.Commit commit = commit(row, StepRunState.SUCCEEDED, "succeeded", output);
            if (commit != null && commit.sentBack()) {
                Loop loop = step.loop();
                listener.sentBack(run.id(), step.id(), commit.verdict(), loop.backTo(), commit.nextIteration(),
                        loop.maxIterations());
            }
        }

        private void failed(Step step, StepRun row, TaskStatus status) {
            List<AttemptRecord> attempts = tasks.attemptRecords(row.taskId());
            AttemptRecord last = attempts.isEmpty() ? null : attempts.getLast();
            if (last != null && last.attempt().state() == AttemptState.ABANDONED) {
                // Its orchestrator died while it ran: not the step's failure. It runs again as a new attempt.
                Task task = tasks.loadTask(row.taskId()).orElseThrow();
                TaskOptions options = tasks.taskOptions(row.taskId()).orElseThrow();
                tasks.submit(task, options, true, clock.instant());
                listener.retriedAfterAbandon(run.id(), row);
                launch(row);
                return;
            }
            OnFailure onFailure = step.onFailure();
            if (onFailure.action() == OnFailure.Action.HANDOFF && row.handedOffFrom() == null) {
                handOff(step, row, onFailure.agent(), attempts, status.reason());
                return;
            }
            String reason = "task " + row.taskId() + " " + status.state().configName() + ": " + status.reason();
            commit(row, StepRunState.FAILED, reason, null);
        }

        private void handOff(Step step, StepRun row, String agent, List<AttemptRecord> attempts, String why) {
            Task failed = tasks.loadTask(row.taskId()).orElseThrow();
            TaskOptions failedOptions = tasks.taskOptions(row.taskId()).orElseThrow();
            String toTask = StepTasks.handoffTaskId(failed.id());
            String prompt = handoffBrief.prompt(new HandoffBrief.Handoff(run.id(), step, row.iteration(), failed,
                    attempts, agent, toTask, why));
            Task handoff = StepTasks.handoffTask(failed, prompt);
            runs.handOffStep(run.id(), step.id(), row.iteration(), handoff,
                    StepTasks.handoffOptions(failedOptions, agent), clock.instant());
            StepRun moved = current(row);
            ledger.reopened(moved);
            listener.handedOff(run.id(), moved, agent, why);
            launch(moved);
        }

        private StepLedger.Commit commit(StepRun row, StepRunState state, String reason, String output) {
            if (!runs.finishStep(run.id(), row.stepId(), row.iteration(), state, reason, output, clock.instant())) {
                throw new IllegalStateException("step '" + row.stepId() + "' iteration " + row.iteration()
                        + " of run " + run.id() + " was finished by someone else");
            }
            StepRun committed = current(row);
            StepLedger.Commit commit = ledger.commit(committed);
            listener.stepFinished(run.id(), committed);
            return commit;
        }

        private StepRun current(StepRun row) {
            return runs.steps(run.id()).stream()
                    .filter(r -> r.stepId().equals(row.stepId()) && r.iteration() == row.iteration())
                    .findFirst().orElseThrow();
        }

        /** What {@code {{steps.ID.output}}} stands for, read once the step's task succeeded. */
        private String output(Step step, StepRun row) {
            return switch (step.output().kind()) {
                case TEXT -> {
                    List<AttemptRecord> attempts = tasks.attemptRecords(row.taskId());
                    Optional<AttemptRecord> succeeded = attempts.reversed().stream()
                            .filter(record -> record.attempt().state() == AttemptState.SUCCEEDED).findFirst();
                    yield succeeded.map(AttemptRecord::answer).orElse("");
                }
                case FILE -> KeptText.headTail(files.read(directory, step.output().path()).orElseThrow(() ->
                        new StepOutputException("its task succeeded but left no file " + step.output().path() + " in "
                                + directory + ", which the step outputs")), MAX_OUTPUT_CHARS);
                case CHANGED_FILES -> KeptText.headTail(String.join("\n", files.changedSince(directory,
                        row.snapshot())), MAX_OUTPUT_CHARS);
            };
        }
    }

    /**
     * Whether a step may change the working directory, or reads what changed in it: such steps run one at a
     * time.
     */
    static boolean exclusive(Step step) {
        return step.mode() != Mode.PLAN || step.output().kind() == StepOutput.Kind.CHANGED_FILES;
    }

    /** A step's output could not be read. */
    private static final class StepOutputException extends RuntimeException {
        StepOutputException(String message) {
            super(message, null, false, false);
        }
    }
}
