package io.switchboard.cli;

import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.task.Task;
import io.switchboard.input.task.TaskFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The tasks of a plan or sprint, as {@code --plan NAME} names them: every task whose Plan or Sprint is NAME,
 * ignoring case (a plan file's plan is {@code <phase>-<plan>}, its sprint the phase), among every task file under
 * the task folders, or under {@code --file} (a task file or a folder) when given. Every file there must be readable:
 * a plan read without one of its files would run without its tasks.
 *
 * @param tasks the plan's tasks, file by file, each file's in its own order
 * @param read every task read, the plan's and the others (what a plan's dependencies may name)
 * @param searched where the tasks were read from, for messages
 */
record PlanSelection(String name, List<Task> tasks, List<Task> read, String searched) {

    static PlanSelection of(Workspace workspace, SwitchboardConfig config, String name, Path file) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw CliException.usage("--plan needs a plan or sprint name");
        }
        List<Path> places;
        if (file != null) {
            Path place = workspace.base().resolve(file);
            if (!Files.exists(place)) {
                throw CliException.usage("--file " + file + ": no such file or folder");
            }
            places = List.of(place);
        } else {
            places = config.taskFolders().stream().map(workspace.base()::resolve).toList();
        }
        String searched = String.join(", ", places.stream().map(place -> relative(workspace.base(), place)).toList());
        List<Task> read = TaskFiles.readAll(places);
        List<Task> tasks = read.stream().filter(task -> belongs(task, name)).toList();
        if (tasks.isEmpty()) {
            throw CliException.notFound(nothingMatches(workspace, name, read, searched));
        }
        return new PlanSelection(name, tasks, read, searched);
    }

    static boolean belongs(Task task, String name) {
        return name.equalsIgnoreCase(task.draft().plan()) || name.equalsIgnoreCase(task.draft().sprint());
    }

    private static String nothingMatches(Workspace workspace, String name, List<Task> read, String searched) {
        StringBuilder message = new StringBuilder("no task has Plan or Sprint '" + name + "' among the "
                + read.size() + " task" + (read.size() == 1 ? "" : "s") + " in " + searched);
        TreeSet<String> plans = new TreeSet<>();
        TreeSet<String> sprints = new TreeSet<>();
        for (Task task : read) {
            if (task.draft().plan() != null) {
                plans.add(task.draft().plan());
            }
            if (task.draft().sprint() != null) {
                sprints.add(task.draft().sprint());
            }
        }
        message.append(plans.isEmpty() ? "; no task names a plan" : "; plans: " + String.join(", ", plans));
        if (!sprints.isEmpty()) {
            message.append("; sprints: ").append(String.join(", ", sprints));
        }
        List<String> stored;
        try {
            stored = workspace.readOnlyStore().planTasks(name);
        } catch (StoreUnavailableException e) {
            // The hint below needs the database; the message stands without it.
            stored = List.of();
        }
        if (!stored.isEmpty()) {
            message.append(". ").append(stored.size()).append(" stored task").append(stored.size() == 1 ? " was" : "s were")
                    .append(" run in plan ").append(name).append(" before, from files no longer there: 'switchboard "
                    + "resume' continues the unfinished ones, 'switchboard merge --plan ").append(name)
                    .append("' merges the ones that succeeded");
        }
        return message.toString();
    }

    private static String relative(Path base, Path place) {
        Path normalized = place.toAbsolutePath().normalize();
        Path root = base.toAbsolutePath().normalize();
        return normalized.startsWith(root) && !normalized.equals(root) ? root.relativize(normalized).toString()
                : normalized.toString();
    }
}
