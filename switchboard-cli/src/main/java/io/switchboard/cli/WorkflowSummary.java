package io.switchboard.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.workflow.Step;
import io.switchboard.core.workflow.StepRun;
import io.switchboard.core.workflow.StepRunState;
import io.switchboard.core.workflow.Verdict;
import io.switchboard.core.workflow.WorkflowDispatcher;
import io.switchboard.core.workflow.WorkflowRun;
import io.switchboard.store.Store;
import java.util.List;

/**
 * What is printed when a workflow run ends or stops: one row per step iteration (step, iteration, task, agent,
 * mode, attempts, result, verdict, time, tokens, cost), how the run ended and why, and what it spent. The same as
 * JSON with {@code --json}.
 */
final class WorkflowSummary {
    private WorkflowSummary() {
    }

    /** One step iteration's line, read back from the store. */
    record Row(StepRun step, String agent, String mode, int attempts, String verdict, long durationMs, long tokens,
            double cost) {
    }

    static List<Row> rows(Store store, WorkflowDispatcher.Result result) {
        WorkflowRun run = result.run();
        return result.steps().stream().map(step -> {
            List<AttemptRecord> attempts = new java.util.ArrayList<>();
            if (step.handedOffFrom() != null) {
                attempts.addAll(store.attemptRecords(step.handedOffFrom()));
            }
            attempts.addAll(store.attemptRecords(step.taskId()));
            AttemptRecord last = attempts.isEmpty() ? null : attempts.getLast();
            Step declared = run.workflow().step(step.stepId()).orElse(null);
            String verdict = declared != null && declared.loop() != null && step.state() == StepRunState.SUCCEEDED
                    ? verdictText(Verdict.read(step.output())) : "";
            return new Row(step, last == null ? "-" : last.attempt().agentName(),
                    last == null ? "-" : last.attempt().mode().configName(), attempts.size(), verdict,
                    attempts.stream().mapToLong(AttemptRecord::durationMs).sum(),
                    attempts.stream().mapToLong(a -> a.inputTokens() + a.outputTokens()).sum(),
                    attempts.stream().mapToDouble(AttemptRecord::cost).sum());
        }).toList();
    }

    private static String verdictText(Verdict verdict) {
        return switch (verdict.kind()) {
            case APPROVED -> "approved";
            case CHANGES_REQUESTED -> "changes requested";
            case UNRECOGNIZED -> "not approved";
            case MISSING -> "no verdict";
        };
    }

    static void print(Shell shell, Store store, List<WorkflowDispatcher.Result> results, boolean json) {
        if (json) {
            if (results.size() == 1) {
                shell.out().println(Json.write(json(store, results.getFirst())));
            } else {
                ArrayNode runs = JsonNodeFactory.instance.arrayNode();
                results.forEach(result -> runs.add(json(store, result)));
                shell.out().println(Json.write(runs));
            }
            return;
        }
        for (WorkflowDispatcher.Result result : results) {
            print(shell, store, result);
        }
    }

    private static void print(Shell shell, Store store, WorkflowDispatcher.Result result) {
        WorkflowRun run = result.run();
        var out = shell.out();
        List<Row> rows = rows(store, result);
        out.println("Workflow " + run.workflow().name() + ", run " + run.id() + ": " + outcome(result));
        Table table = new Table("STEP", "ITER", "TASK", "AGENT", "MODE", "ATTEMPTS", "RESULT", "VERDICT", "TIME",
                "TOKENS", "COST").right(1, 5, 8, 9, 10);
        for (Row row : rows) {
            table.row(row.step().stepId(), row.step().iteration(), row.step().taskId(), row.agent(), row.mode(),
                    row.attempts(), row.step().state().configName(), row.verdict(),
                    Progress.seconds(row.durationMs()), row.tokens(), Summary.dollars(row.cost()));
        }
        out.print(table.render(""));
        for (Row row : rows) {
            if (row.step().state() == StepRunState.FAILED) {
                out.println(row.step().stepId() + " (iteration " + row.step().iteration() + "): failed: "
                        + row.step().reason());
            }
        }
        if (!run.reason().isEmpty() && run.state().isFinal()) {
            out.println(run.reason().substring(0, 1).toUpperCase(java.util.Locale.ROOT) + run.reason().substring(1)
                    + ".");
        }
        out.println("Spent " + Summary.dollars(rows.stream().mapToDouble(Row::cost).sum()) + ".");
        if (result.stopped()) {
            out.println("Stopped before the end: run 'switchboard resume' to continue run " + run.id() + ".");
        }
        if (!rows.isEmpty()) {
            out.println("Next: 'switchboard decisions --task " + rows.getFirst().step().taskId() + " --explain' shows"
                    + " why each step's agent was chosen.");
        }
    }

    private static String outcome(WorkflowDispatcher.Result result) {
        return result.stopped() ? "stopped" : result.run().state().configName();
    }

    static ObjectNode json(Store store, WorkflowDispatcher.Result result) {
        WorkflowRun run = result.run();
        List<Row> rows = rows(store, result);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("run", run.id());
        root.put("workflow", run.workflow().name());
        root.put("result", outcome(result));
        root.put("reason", run.reason());
        ObjectNode inputs = root.putObject("inputs");
        run.inputs().forEach(inputs::put);
        ArrayNode steps = root.putArray("steps");
        for (Row row : rows) {
            StepRun step = row.step();
            ObjectNode node = steps.addObject();
            node.put("step", step.stepId());
            node.put("iteration", step.iteration());
            node.put("task", step.taskId());
            node.put("handed_off_from", step.handedOffFrom());
            node.put("agent", row.agent());
            node.put("mode", row.mode());
            node.put("attempts", row.attempts());
            node.put("result", step.state().configName());
            node.put("reason", step.reason());
            node.put("verdict", row.verdict().isEmpty() ? null : row.verdict());
            node.put("output", step.output());
            node.put("duration_ms", row.durationMs());
            node.put("tokens", row.tokens());
            node.put("cost", row.cost());
        }
        root.put("spent", rows.stream().mapToDouble(Row::cost).sum());
        root.put("interrupted", result.stopped());
        return root;
    }
}
