package io.switchboard.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.attempt.AttemptChanges;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.plan.PlanGraph;
import io.switchboard.core.plan.PlanTask;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskStatus;
import io.switchboard.process.workspace.GitWorktrees;
import io.switchboard.process.workspace.MergeReport;
import io.switchboard.process.workspace.WorkspaceException;
import io.switchboard.process.workspace.WorkspaceSettings;
import io.switchboard.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code switchboard merge --plan NAME}: merges the branches of a plan run's tasks that succeeded into the branch
 * checked out in the project's checkout, in dependency order, each with a merge commit of its own. It stops at the
 * first branch that does not merge, naming the task and the files, and leaves the checkout as it was after the last
 * merge that succeeded.
 */
@Command(name = "merge", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Merge the branches of a plan's tasks that succeeded into the checked-out",
            "branch, in dependency order, one merge commit per task; stop at the first",
            "conflict."},
        footer = {"", "Exit codes: 0 every branch that succeeded was merged (or there was none),",
            "4 no task was run in that plan, 5 database unavailable, 8 a branch did not",
            "merge (the task and files are named) or the checkout cannot take merges",
            "(uncommitted changes, no branch checked out)."})
final class MergeCommand implements Callable<Integer> {
    @ParentCommand
    SwitchboardCommand root;

    @Option(names = "--plan", required = true, paramLabel = "NAME",
            description = "The plan run whose branches to merge (the NAME given to orchestrate --plan).")
    String plan;

    @Option(names = "--json", description = "Print what was merged as JSON.")
    boolean json;

    /** A task of the plan left out of the merge, and why. */
    record LeftOut(String taskId, String reason) {
    }

    @Override
    public Integer call() {
        Store store = root.workspace().store();
        List<String> ids = store.planTasks(plan);
        if (ids.isEmpty()) {
            throw CliException.notFound("no task was run in plan '" + plan + "'; 'switchboard orchestrate --plan "
                    + plan + "' runs it");
        }
        List<String> ordered = inDependencyOrder(store, ids);
        List<String> toMerge = new ArrayList<>();
        List<LeftOut> leftOut = new ArrayList<>();
        Set<String> directories = new LinkedHashSet<>();
        for (String id : ordered) {
            TaskStatus status = store.taskStatus(id).orElseThrow();
            List<AttemptRecord> attempts = store.attemptRecords(id);
            AttemptChanges changes = attempts.isEmpty() ? null : attempts.getLast().changes();
            if (status.state() != TaskState.SUCCEEDED) {
                leftOut.add(new LeftOut(id, status.state().configName() + ": " + status.reason()));
            } else if (changes == null) {
                leftOut.add(new LeftOut(id, "it ran in the working directory, not on a branch"));
            } else if (changes.branch().isEmpty()) {
                leftOut.add(new LeftOut(id, "it ran in a copy, which stays at " + changes.copy()));
            } else {
                toMerge.add(id);
                store.taskOptions(id).map(TaskOptions::workingDirectory).ifPresent(directories::add);
            }
        }
        if (toMerge.isEmpty()) {
            print(List.of(), Optional.empty(), List.of(), leftOut, "nothing to merge: no task of plan " + plan
                    + " succeeded on a branch");
            return ExitCodes.OK;
        }
        if (directories.size() > 1) {
            throw CliException.usage("the tasks of plan " + plan + " ran in different directories ("
                    + String.join(", ", directories) + "); merge them there with git");
        }
        Path directory = directories.isEmpty() ? root.workspace().base() : Path.of(directories.iterator().next());
        MergeReport report;
        try {
            report = GitWorktrees.open(directory, WorkspaceSettings.defaults()).merge(toMerge);
        } catch (WorkspaceException e) {
            throw new CliException(ExitCodes.MERGE_STOPPED, "nothing was merged: " + e.getMessage());
        }
        print(report.merged(), report.stop(), report.notMerged(), leftOut, null);
        return report.complete() ? ExitCodes.OK : ExitCodes.MERGE_STOPPED;
    }

    /** The plan run's tasks, each after the tasks it waited for (as stored with it). */
    private static List<String> inDependencyOrder(Store store, List<String> ids) {
        Set<String> inPlan = new HashSet<>(ids);
        List<PlanTask> tasks = new ArrayList<>();
        for (String id : ids) {
            List<String> dependencies = store.taskOptions(id).map(TaskOptions::planRun)
                    .map(run -> run.dependencies().stream().filter(inPlan::contains).toList()).orElse(List.of());
            tasks.add(PlanTask.resolved(id, dependencies, List.of()));
        }
        // Dependencies outside the plan run were settled when it ran.
        return PlanGraph.of(tasks, dependency -> Optional.empty()).order();
    }

    private void print(List<MergeReport.Merged> merged, Optional<MergeReport.Stop> stop, List<String> notTried,
            List<LeftOut> leftOut, String nothing) {
        var out = root.shell().out();
        if (json) {
            out.println(Json.write(json(merged, stop, notTried, leftOut)));
            return;
        }
        if (nothing != null) {
            out.println(nothing + ".");
        }
        for (MergeReport.Merged one : merged) {
            out.println(one.taskId() + ": " + one.branch() + (one.mergeCommit().isPresent()
                    ? " merged as " + one.mergeCommit().get().substring(0, 12) : " has nothing new; no commit"));
        }
        stop.ifPresent(stopped -> {
            out.println("Stopped: " + stopped.describe() + ". The checkout is as it was after the last merge that "
                    + "succeeded.");
            if (!notTried.isEmpty()) {
                out.println("Not tried: " + String.join(", ", notTried) + ".");
            }
        });
        leftOut.forEach(left -> out.println(left.taskId() + ": not merged: " + left.reason()));
        if (nothing == null && stop.isEmpty()) {
            out.println(merged.size() + " branch" + (merged.size() == 1 ? "" : "es") + " of plan " + plan
                    + " merged.");
        }
    }

    private static ObjectNode json(List<MergeReport.Merged> merged, Optional<MergeReport.Stop> stop,
            List<String> notTried, List<LeftOut> leftOut) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode mergedNode = root.putArray("merged");
        for (MergeReport.Merged one : merged) {
            ObjectNode node = mergedNode.addObject().put("task", one.taskId()).put("branch", one.branch());
            if (one.mergeCommit().isPresent()) {
                node.put("merge_commit", one.mergeCommit().get());
            } else {
                node.putNull("merge_commit");
            }
        }
        if (stop.isPresent()) {
            MergeReport.Stop stopped = stop.get();
            ObjectNode node = root.putObject("stopped").put("task", stopped.taskId()).put("branch", stopped.branch())
                    .put("message", stopped.gitMessage());
            ArrayNode files = node.putArray("conflicting_files");
            stopped.conflictingFiles().forEach(files::add);
        } else {
            root.putNull("stopped");
        }
        ArrayNode notTriedNode = root.putArray("not_tried");
        notTried.forEach(notTriedNode::add);
        ArrayNode leftOutNode = root.putArray("left_out");
        Map<String, String> reasons = new LinkedHashMap<>();
        leftOut.forEach(left -> reasons.put(left.taskId(), left.reason()));
        reasons.forEach((task, reason) -> leftOutNode.addObject().put("task", task).put("reason", reason));
        return root;
    }
}
