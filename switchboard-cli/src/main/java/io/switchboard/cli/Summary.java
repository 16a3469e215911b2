package io.switchboard.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.attempt.AttemptChanges;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.task.TaskStatus;
import io.switchboard.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table printed when a run ends: one row per task (task, agent, mode, attempts, result, time, tokens, cost, and
 * where its work is when it ran in a workspace of its own: its branch, or its copy), the total spent, and where to
 * look next. The same as JSON with {@code --json}.
 */
final class Summary {
    private Summary() {
    }

    /**
     * One task's line, read back from the store.
     *
     * @param changes what its last attempt changed in its own workspace, or {@code null} when it ran in the working
     *     directory (or never ran)
     */
    record Row(String taskId, String title, String agent, String mode, int attempts, String result, String reason,
            long durationMs, long tokens, double cost, AttemptChanges changes) {
    }

    static Row row(Store store, String taskId) {
        TaskStatus status = store.taskStatus(taskId).orElseThrow();
        List<AttemptRecord> attempts = store.attemptRecords(taskId);
        String title = store.findTask(taskId).map(summary -> summary.title()).orElse("");
        AttemptRecord last = attempts.isEmpty() ? null : attempts.getLast();
        long duration = attempts.stream().mapToLong(AttemptRecord::durationMs).sum();
        long tokens = attempts.stream().mapToLong(a -> a.inputTokens() + a.outputTokens()).sum();
        double cost = attempts.stream().mapToDouble(AttemptRecord::cost).sum();
        return new Row(taskId, title, last == null ? "-" : last.attempt().agentName(),
                last == null ? "-" : last.attempt().mode().configName(), attempts.size(), status.state().configName(),
                status.reason(), duration, tokens, cost, last == null ? null : last.changes());
    }

    /** The summary of these tasks as a JSON document. */
    static ObjectNode json(Store store, List<String> taskIds, boolean interrupted) {
        List<Row> rows = taskIds.stream().map(id -> row(store, id)).toList();
        return json(rows, rows.stream().mapToDouble(Row::cost).sum(), interrupted);
    }

    static void print(Shell shell, Store store, List<String> taskIds, boolean json, boolean interrupted) {
        List<Row> rows = taskIds.stream().map(id -> row(store, id)).toList();
        double spent = rows.stream().mapToDouble(Row::cost).sum();
        if (json) {
            shell.out().println(Json.write(json(rows, spent, interrupted)));
            return;
        }
        // The branch column only when some task ran in a workspace of its own: elsewhere it would be all dashes.
        boolean workspaces = rows.stream().anyMatch(row -> row.changes() != null);
        Table table = workspaces
                ? new Table("TASK", "TITLE", "AGENT", "MODE", "ATTEMPTS", "RESULT", "TIME", "TOKENS", "COST",
                        "BRANCH").right(4, 6, 7, 8)
                : new Table("TASK", "TITLE", "AGENT", "MODE", "ATTEMPTS", "RESULT", "TIME", "TOKENS", "COST")
                        .right(4, 6, 7, 8);
        for (Row row : rows) {
            List<Object> cells = new ArrayList<>(List.of(row.taskId(), shorten(row.title(), 36), row.agent(),
                    row.mode(), row.attempts(), row.result(), Progress.seconds(row.durationMs()), row.tokens(),
                    dollars(row.cost())));
            if (workspaces) {
                cells.add(where(shell, row.changes()));
            }
            table.row(cells.toArray());
        }
        shell.out().print(table.render(""));
        for (Row row : rows) {
            if (!row.result().equals("succeeded")) {
                shell.out().println(row.taskId() + ": " + row.result() + ": " + row.reason());
            }
        }
        long succeeded = rows.stream().filter(row -> row.result().equals("succeeded")).count();
        shell.out().println(succeeded + " of " + rows.size() + " tasks succeeded; spent " + dollars(spent) + ".");
        if (interrupted) {
            shell.out().println("Stopped before the end: run 'switchboard resume' to continue the unfinished tasks.");
        }
        String example = rows.isEmpty() ? "TASK" : rows.getFirst().taskId();
        shell.out().println("Next: 'switchboard decisions --task " + example + " --explain' shows why each agent was "
                + "chosen; 'switchboard stats' shows what every agent has learned.");
    }

    private static ObjectNode json(List<Row> rows, double spent, boolean interrupted) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode root = nodes.objectNode();
        ArrayNode tasks = root.putArray("tasks");
        for (Row row : rows) {
            ObjectNode task = tasks.addObject();
            task.put("task", row.taskId());
            task.put("title", row.title());
            task.put("agent", row.agent());
            task.put("mode", row.mode());
            task.put("attempts", row.attempts());
            task.put("result", row.result());
            task.put("reason", row.reason());
            task.put("duration_ms", row.durationMs());
            task.put("tokens", row.tokens());
            task.put("cost", row.cost());
            AttemptChanges changes = row.changes();
            if (changes == null) {
                task.putNull("branch");
                task.putNull("commit");
                task.putNull("copy");
                task.putNull("diff_stat");
                task.putNull("changed_files");
            } else {
                putText(task, "branch", changes.branch());
                putText(task, "commit", changes.commit());
                putText(task, "copy", changes.copy());
                task.put("diff_stat", changes.diffStat());
                ArrayNode files = task.putArray("changed_files");
                changes.files().forEach(file -> files.addObject().put("kind", String.valueOf(file.kind()))
                        .put("path", file.path()));
            }
        }
        root.put("spent", spent);
        root.put("interrupted", interrupted);
        return root;
    }

    private static void putText(ObjectNode node, String field, String value) {
        if (value.isEmpty()) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    /** The branch, or {@code copy <folder>} relative to the working directory when it is inside it; - for none. */
    private static String where(Shell shell, AttemptChanges changes) {
        if (changes == null) {
            return "-";
        }
        if (!changes.branch().isEmpty()) {
            return changes.branch();
        }
        java.nio.file.Path copy = java.nio.file.Path.of(changes.copy());
        java.nio.file.Path base = shell.workingDirectory().toAbsolutePath().normalize();
        return "copy " + (copy.startsWith(base) ? base.relativize(copy) : copy);
    }

    private static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    static String dollars(double amount) {
        return String.format(Locale.ROOT, "$%.4f", amount);
    }
}
