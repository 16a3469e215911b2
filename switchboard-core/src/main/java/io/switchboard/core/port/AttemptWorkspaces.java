package io.switchboard.core.port;

import io.switchboard.core.attempt.AttemptChanges;
import io.switchboard.core.attempt.AttemptWorkspace;
import java.nio.file.Path;
import java.util.List;

/**
 * Gives each attempt of a task a working directory of its own, so that tasks running side by side never see each
 * other's half-done edits and a retry never starts from what a failed attempt left: in a git repository a worktree
 * on the task's own branch, elsewhere a copy of the project directory.
 *
 * <p>Threads: implementations are thread-safe; any number of attempts of different tasks may be prepared and
 * finished at once. One task's attempts are sequential: an attempt is prepared only once the task's previous one
 * was finished (the store's one-attempt-in-flight rule guarantees it).
 */
public interface AttemptWorkspaces {

    /**
     * A fresh workspace for one attempt. Whatever an earlier attempt of the task left is removed first.
     *
     * @param projectDirectory where the task would run without a workspace of its own
     * @param dependencies the tasks whose work this one builds on, in dependency order: in a repository their
     *     branches are merged into the new one
     * @throws WorkspaceUnavailableException when it cannot be made; nothing is left behind
     */
    AttemptWorkspace prepare(Path projectDirectory, String taskId, int attempt, List<String> dependencies);

    /**
     * Ends the attempt's use of its workspace and says what the agent changed: a worktree's changes are committed
     * on the task's branch and the worktree removed (the branch stays); a copy stays where it is.
     *
     * @param title the task's title, for the commit message
     * @param agent the agent that ran the attempt, for the commit message
     * @throws WorkspaceUnavailableException when the changes cannot be recorded; the workspace is left for a
     *     person to look at, and the next attempt's {@link #prepare} removes it
     */
    AttemptChanges finish(AttemptWorkspace workspace, String title, String agent);
}
