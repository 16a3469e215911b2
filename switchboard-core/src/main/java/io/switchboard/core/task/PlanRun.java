package io.switchboard.core.task;

import static io.switchboard.core.Require.require;

import java.util.List;
import java.util.Objects;

/**
 * The plan run a task was submitted in ({@code orchestrate --plan NAME --parallel N}), kept with the task so that
 * {@code resume} schedules it by the same rules and {@code merge --plan NAME} finds it.
 *
 * @param name the plan or sprint name the run was asked for
 * @param dependencies the tasks of the run this one waits for, resolved (from its dependencies, plan names and
 *     waves) and reduced to the direct ones, in dependency order; their work is merged into its workspace
 * @param parallel how many tasks the run ran at once
 * @param isolated whether each attempt runs in a workspace of its own (a worktree or a copy)
 */
public record PlanRun(String name, List<String> dependencies, int parallel, boolean isolated) {
    public PlanRun {
        Objects.requireNonNull(name, "name");
        require(!name.isBlank(), "a plan run needs a name, was '%s'", name);
        dependencies = List.copyOf(dependencies);
        require(parallel >= 1, "a plan runs at least one task at a time, was %s", parallel);
    }
}
