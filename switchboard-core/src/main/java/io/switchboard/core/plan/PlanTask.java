package io.switchboard.core.plan;

import io.switchboard.core.task.Task;
import java.util.List;
import java.util.Objects;

/**
 * What scheduling needs of one task of a plan.
 *
 * @param plan the name of the plan it belongs to (a plan file's {@code <phase>-<plan>}, a task file's Plan), or
 *     {@code null}; another task may name it as a dependency, meaning every task of that plan
 * @param wave its wave, or {@code null}: a task in wave k waits for every task of the run in a lower wave
 * @param dependencies what it depends on as its source says: task ids or plan names
 * @param files the files it says it creates or modifies; tasks whose files overlap never run at the same time
 */
public record PlanTask(String id, String plan, Integer wave, List<String> dependencies, List<String> files) {
    public PlanTask {
        Objects.requireNonNull(id, "id");
        dependencies = List.copyOf(dependencies);
        files = List.copyOf(files);
    }

    public static PlanTask of(Task task) {
        return new PlanTask(task.id(), task.draft().plan(), task.draft().wave(), task.dependencies(), task.files());
    }

    /** A task whose dependencies were resolved already (as {@code resume} finds them stored). */
    public static PlanTask resolved(String id, List<String> dependencies, List<String> files) {
        return new PlanTask(id, null, null, dependencies, files);
    }
}
