package io.switchboard.cli;

import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptOutcome;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.execution.SwitchboardListener;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.task.Handoff;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.workflow.StepRun;
import io.switchboard.core.workflow.StepRunState;
import io.switchboard.core.workflow.Verdict;
import io.switchboard.core.workflow.WorkflowListener;
import io.switchboard.core.workflow.WorkflowRunState;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a person sees while tasks run, on standard error (standard output keeps the summary, or the JSON).
 * One line per event; on a terminal a status line (done / running / waiting, with each running task's agent)
 * is redrawn below them. A plan run that is not watched on a terminal gets the same status as a plain line
 * whenever a task ends. Thread-safe.
 */
final class Progress implements SwitchboardListener, WorkflowListener {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final PrintWriter err;
    private final boolean terminal;
    private final boolean quiet;
    private final Map<String, String> state = new LinkedHashMap<>();
    private final Set<String> handedOff = new LinkedHashSet<>();
    private boolean statusShown;
    private boolean statusLines;

    /** @param quiet print nothing (for {@code --json} runs that want a clean stream) */
    Progress(Shell shell, boolean quiet) {
        this.err = shell.err();
        this.terminal = shell.terminal();
        this.quiet = quiet;
    }

    synchronized void expect(List<String> taskIds) {
        taskIds.forEach(id -> state.putIfAbsent(id, "waiting"));
        status();
    }

    /** Tasks of a plan run: as {@link #expect}, and off a terminal a plain status line each time a task ends. */
    synchronized void expectPlan(List<String> taskIds) {
        statusLines = !terminal;
        expect(taskIds);
    }

    @Override
    public synchronized void decided(String taskId, long decisionId, RoutingDecision decision) {
        if (decision.chosen().isEmpty()) {
            return;
        }
        line(taskId + ": " + decision.chosenAgent().orElseThrow() + " chosen (" + decision.mode().configName()
                + ", attempt " + decision.attempt() + ", decision " + decisionId + ")");
    }

    @Override
    public synchronized void attemptStarted(Attempt attempt) {
        state.put(attempt.taskId(), "running on " + attempt.agentName());
        line(attempt.taskId() + ": attempt " + attempt.number() + " started on " + attempt.agentName());
    }

    @Override
    public synchronized void attemptFinished(Attempt attempt, AttemptOutcome outcome) {
        String took = seconds(outcome.durationMs());
        if (outcome.state() == AttemptState.SUCCEEDED) {
            line(attempt.taskId() + ": attempt " + attempt.number() + " on " + attempt.agentName() + " succeeded in "
                    + took + cost(outcome.cost()));
        } else {
            line(attempt.taskId() + ": attempt " + attempt.number() + " on " + attempt.agentName() + " "
                    + outcome.state().name().toLowerCase(Locale.ROOT) + " after " + took + ": " + outcome.failure());
        }
    }

    @Override
    public synchronized void waiting(String taskId, Instant until, String reason) {
        state.put(taskId, "waiting");
        line(taskId + ": waits until " + TIME.format(until) + ": " + reason);
    }

    @Override
    public synchronized void waitingForAgent(String taskId, String reason) {
        state.put(taskId, "waiting");
        line(taskId + ": waits for an agent: " + reason);
    }

    @Override
    public synchronized void taskFinished(String taskId, TaskState finalState, String reason) {
        state.put(taskId, finalState.configName());
        if (finalState != TaskState.SUCCEEDED) {
            line(taskId + ": " + finalState.configName() + ": " + reason);
        } else {
            status();
        }
        if (statusLines && !quiet) {
            err.println("progress: " + counts());
            err.flush();
        }
    }

    @Override
    public synchronized void handedOff(String taskId, Handoff handoff) {
        handedOff.add(taskId);
        state.put(taskId, "handed off");
        line(taskId + ": " + handoff.reason() + "; this run leaves it to the handoff");
    }

    /** The tasks this run left to a handoff. */
    synchronized Set<String> handedOff() {
        return Set.copyOf(handedOff);
    }

    @Override
    public synchronized void stepStarted(String runId, StepRun step, boolean continued) {
        state.putIfAbsent(step.taskId(), "waiting");
        line(runId + ": step " + step.stepId() + " (iteration " + step.iteration() + ") "
                + (continued ? "continues as " : "is ") + "task " + step.taskId());
    }

    @Override
    public synchronized void stepFinished(String runId, StepRun step) {
        if (step.state() == StepRunState.FAILED) {
            line(runId + ": step " + step.stepId() + " (iteration " + step.iteration() + ") failed: " + step.reason());
        }
    }

    @Override
    public synchronized void sentBack(String runId, String closingStep, Verdict verdict, String backTo,
            int nextIteration, int maxIterations) {
        line(runId + ": " + closingStep + " did not approve (" + (verdict.line() == null ? "no VERDICT: line"
                : verdict.line()) + "); back to " + backTo + ", iteration " + nextIteration + " of " + maxIterations);
    }

    @Override
    public synchronized void handedOff(String runId, StepRun step, String toAgent, String why) {
        line(runId + ": step " + step.stepId() + " handed off to " + toAgent + " as task " + step.taskId() + ": "
                + why);
    }

    @Override
    public synchronized void retriedAfterAbandon(String runId, StepRun step) {
        line(runId + ": step " + step.stepId() + " runs again: its orchestrator died while it ran");
    }

    @Override
    public synchronized void runFinished(String runId, WorkflowRunState finalState, String reason) {
        line(runId + ": workflow " + finalState.configName() + ": " + reason);
    }

    synchronized void done() {
        clearStatus();
        err.flush();
    }

    private void line(String text) {
        if (quiet) {
            return;
        }
        clearStatus();
        err.println(text);
        status();
        err.flush();
    }

    private void status() {
        if (quiet || !terminal || state.isEmpty()) {
            return;
        }
        err.print("[" + counts() + "]");
        statusShown = true;
        err.flush();
    }

    /** {@code 3/10 done, 2 running: a (codex), b (claude), 5 waiting}. */
    private String counts() {
        long done = state.values().stream().filter(s -> !s.equals("waiting") && !s.startsWith("running")).count();
        List<String> running = state.entrySet().stream().filter(e -> e.getValue().startsWith("running"))
                .map(e -> e.getKey() + " (" + e.getValue().substring("running on ".length()) + ")").toList();
        long waiting = state.values().stream().filter(s -> s.equals("waiting")).count();
        return done + "/" + state.size() + " done, " + running.size() + " running"
                + (running.isEmpty() ? "" : ": " + String.join(", ", running)) + ", " + waiting + " waiting";
    }

    private void clearStatus() {
        if (statusShown) {
            err.print("\r\033[K");
            statusShown = false;
        }
    }

    static String seconds(long millis) {
        Duration duration = Duration.ofMillis(millis);
        if (duration.toMinutes() >= 1) {
            return duration.toMinutes() + "m" + String.format(Locale.ROOT, "%02d", duration.toSecondsPart()) + "s";
        }
        return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }

    private static String cost(double dollars) {
        return dollars > 0 ? String.format(Locale.ROOT, " ($%.4f)", dollars) : "";
    }
}
