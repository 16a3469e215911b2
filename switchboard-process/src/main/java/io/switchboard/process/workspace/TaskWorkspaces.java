package io.switchboard.process.workspace;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Gives each attempt of a task a working directory of its own, so that tasks running side by side never see
 * each other's edits and a retry never starts from what a failed attempt left. In a git repository that is a
 * worktree on the task's own branch ({@link GitWorktrees}); elsewhere a copy of the project directory
 * ({@link DirectoryCopies}). docs/workspaces.md says how each works.
 *
 * <p><b>Threads.</b> Implementations are thread-safe: any number of tasks may prepare and finish workspaces at
 * once, from any threads; what must not run at the same time inside git is serialised per repository, so only
 * preparing and finishing wait for each other, never the agents working in between. One task's attempts are
 * sequential: its caller must not prepare an attempt while another attempt of the same task still has its
 * workspace.
 *
 * <p><b>Names.</b> Task ids become branch and folder names through {@link WorkspaceName}. An id that maps to a
 * name this instance already gave another id is refused with an {@link IllegalArgumentException}.
 */
public sealed interface TaskWorkspaces permits GitWorktrees, DirectoryCopies {

    /**
     * The workspaces for a project: worktrees when {@code projectDirectory} is inside a git repository
     * ({@code git rev-parse --show-toplevel} answers), copies otherwise.
     *
     * @throws WorkspaceException when the folder is in a repository but git cannot be run there
     */
    static TaskWorkspaces forProject(Path projectDirectory, WorkspaceSettings settings) {
        Objects.requireNonNull(projectDirectory, "projectDirectory");
        Objects.requireNonNull(settings, "settings");
        Git git = new Git(settings.gitProgram(), settings.gitTimeout());
        Optional<Path> topLevel = GitWorktrees.topLevel(git, projectDirectory);
        if (topLevel.isPresent()) {
            return new GitWorktrees(git, settings, projectDirectory, topLevel.get());
        }
        return new DirectoryCopies(settings, projectDirectory);
    }

    /** Whether tasks get git worktrees (else copies). */
    boolean inGitRepository();

    /**
     * A fresh working directory for one attempt of a task. Whatever an earlier attempt of the task left is
     * removed first.
     *
     * @param attempt the attempt's number, from 1
     * @param dependencies the ids of the tasks this one depends on, in dependency order; in a repository their
     *     branches are merged into the new one, in this order (a copy does not see them)
     * @throws IllegalArgumentException for an attempt below 1, or an id that cannot be given a name
     * @throws WorkspaceException when the workspace cannot be made (a dependency without a branch, dependencies
     *     that conflict, a git command that failed); no worktree or copy is left behind, though a task branch
     *     already reset to the new base stays so
     */
    PreparedWorkspace prepare(String taskId, int attempt, List<String> dependencies);

    /**
     * Ends an attempt: records what the agent changed and gives the workspace back. A worktree's changes are
     * committed on the task's branch and the worktree removed (the branch stays); a copy stays where it is.
     *
     * @param title the task's title, for the commit message
     * @param agent the agent that ran the attempt, for the commit message
     * @throws WorkspaceException when the changes cannot be recorded; the workspace is then left in place for a
     *     person to look at, and the next attempt's {@link #prepare} removes it
     */
    WorkspaceResult finish(PreparedWorkspace workspace, String title, String agent);
}
