package io.switchboard.core.workflow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run's step iterations add up to: which steps are complete now, which are open (their task created, their
 * result not committed), each step's latest committed output, and whether the run has failed. Built by replaying
 * the committed iterations in the order they finished, so a run resumed from the store stands exactly where it
 * stopped; then kept up to date as iterations open and finish. Not thread-safe: the coordinating thread owns it.
 *
 * <p>Loops: when the step that closes a loop commits an output without an approving {@link Verdict}, the steps of
 * its loop ({@link WorkflowGraph#loopBody}) are no longer complete and run again as their next iteration, unless
 * it has now sent the work back {@code max_iterations} times: then the run fails. A loop inside another starts
 * counting again each time the outer loop sends the work back.
 */
final class StepLedger {
    private final Workflow workflow;
    private final WorkflowGraph graph;
    private final Set<String> completed = new LinkedHashSet<>();
    private final Map<String, Integer> iterations = new HashMap<>();
    private final Map<String, String> outputs = new HashMap<>();
    private final Map<String, Integer> rejections = new HashMap<>();
    private final Map<String, Integer> approvedAt = new LinkedHashMap<>();
    private final Map<String, StepRun> open = new LinkedHashMap<>();
    private String failure;

    private StepLedger(Workflow workflow) {
        this.workflow = workflow;
        this.graph = workflow.graph();
    }

    /** What a committed iteration meant for the run. */
    record Commit(Verdict verdict, boolean sentBack, int nextIteration, String failure) {
        static final Commit PLAIN = new Commit(null, false, 0, null);
    }

    static StepLedger replay(Workflow workflow, List<StepRun> rows) {
        StepLedger ledger = new StepLedger(workflow);
        List<StepRun> finished = new ArrayList<>();
        for (StepRun row : rows) {
            ledger.iterations.merge(row.stepId(), row.iteration(), Math::max);
            if (row.state() == StepRunState.RUNNING) {
                ledger.open.put(row.stepId(), row);
            } else {
                finished.add(row);
            }
        }
        finished.sort(Comparator.comparing(StepRun::finishOrder, Comparator.nullsLast(Comparator.naturalOrder())));
        finished.forEach(ledger::commit);
        return ledger;
    }

    Set<String> completed() {
        return completed;
    }

    /** The open iteration of a step, or {@code null}. */
    StepRun open(String stepId) {
        return open.get(stepId);
    }

    /** The iteration a new row of the step has: one more than its last. */
    int nextIteration(String stepId) {
        return iterations.getOrDefault(stepId, 0) + 1;
    }

    /**
     * Every step's latest committed output, for placeholders: empty for a step that has none yet (only the step
     * closing a loop can be named before it ran, and its output is then its feedback, empty the first time).
     */
    Map<String, String> outputs() {
        Map<String, String> all = new HashMap<>();
        for (Step step : workflow.steps()) {
            all.put(step.id(), outputs.getOrDefault(step.id(), ""));
        }
        return all;
    }

    /** Why the run fails, or {@code null} while it does not. */
    String failure() {
        return failure;
    }

    boolean allComplete() {
        return failure == null && completed.size() == workflow.steps().size();
    }

    /** Why a run whose every step completed succeeded. */
    String successReason() {
        StringBuilder text = new StringBuilder("all ").append(workflow.steps().size())
                .append(workflow.steps().size() == 1 ? " step finished" : " steps finished");
        approvedAt.forEach((step, iteration) -> text.append("; ").append(step).append(" approved at iteration ")
                .append(iteration));
        return text.toString();
    }

    void opened(StepRun row) {
        iterations.merge(row.stepId(), row.iteration(), Math::max);
        open.put(row.stepId(), row);
    }

    /** A row of an open step changed (a handoff) but is still open. */
    void reopened(StepRun row) {
        open.put(row.stepId(), row);
    }

    /** Takes a finished iteration into account. */
    Commit commit(StepRun row) {
        open.remove(row.stepId());
        if (row.state() == StepRunState.FAILED) {
            failure = "step '" + row.stepId() + "' failed" + (row.reason().isEmpty() ? "" : ": " + row.reason());
            return new Commit(null, false, 0, failure);
        }
        completed.add(row.stepId());
        outputs.put(row.stepId(), row.output() == null ? "" : row.output());
        Step step = workflow.step(row.stepId()).orElseThrow(() -> new IllegalStateException(
                "the run holds step '" + row.stepId() + "', which its workflow does not"));
        Loop loop = step.loop();
        if (loop == null) {
            return Commit.PLAIN;
        }
        Verdict verdict = Verdict.read(row.output());
        if (verdict.approved()) {
            approvedAt.put(step.id(), row.iteration());
            return new Commit(verdict, false, 0, null);
        }
        int rejected = rejections.merge(step.id(), 1, Integer::sum);
        if (rejected >= loop.maxIterations()) {
            failure = "step '" + step.id() + "' did not approve in " + loop.maxIterations()
                    + (loop.maxIterations() == 1 ? " iteration" : " iterations")
                    + ", the most its loop allows (max_iterations); its last verdict: "
                    + (verdict.line() == null ? "none (no VERDICT: line)" : verdict.line());
            return new Commit(verdict, false, 0, failure);
        }
        List<String> body = graph.loopBody(step.id());
        body.forEach(completed::remove);
        for (String inner : body) {
            if (!inner.equals(step.id())) {
                rejections.remove(inner);
                approvedAt.remove(inner);
            }
        }
        return new Commit(verdict, true, nextIteration(loop.backTo()), null);
    }
}
