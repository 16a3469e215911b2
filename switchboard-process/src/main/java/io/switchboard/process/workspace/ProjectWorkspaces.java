package io.switchboard.process.workspace;

import io.switchboard.core.attempt.AttemptChanges;
import io.switchboard.core.attempt.AttemptWorkspace;
import io.switchboard.core.attempt.FileChange;
import io.switchboard.core.port.AttemptWorkspaces;
import io.switchboard.core.port.WorkspaceUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dispatcher's {@link AttemptWorkspaces}, made of {@link TaskWorkspaces}: one per project directory, opened on
 * first use (worktrees in a git repository, copies elsewhere), kept for the life of this object so that each
 * repository's lock and names are shared by every attempt in it.
 *
 * <p>What cannot be made or recorded becomes a {@link WorkspaceUnavailableException}, classified:
 * <ul>
 *   <li><b>not retryable</b>: the repository is in the way and stays so whatever agent tries next: the branches of
 *       the task's dependencies conflict, a dependency has no branch, the repository has no commit, the project
 *       folder is missing, git cannot be started at all, a task id cannot be given a branch name;
 *   <li><b>retryable</b>: git ran and failed or timed out (another program holding one of its lock files, a full
 *       disk), or a file operation failed: the next attempt, after the retry policy's back-off, may well succeed.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class ProjectWorkspaces implements AttemptWorkspaces {
    private final WorkspaceSettings settings;
    private final Map<Path, TaskWorkspaces> byProject = new ConcurrentHashMap<>();
    private final Map<AttemptWorkspace, Prepared> prepared = new ConcurrentHashMap<>();

    private record Prepared(TaskWorkspaces workspaces, PreparedWorkspace workspace) {
    }

    public ProjectWorkspaces(WorkspaceSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Whether attempts of tasks run in this directory get worktrees (else copies). */
    public boolean inGitRepository(Path projectDirectory) {
        try {
            return workspacesFor(projectDirectory).inGitRepository();
        } catch (WorkspaceException e) {
            throw unavailable(e);
        }
    }

    @Override
    public AttemptWorkspace prepare(Path projectDirectory, String taskId, int attempt, List<String> dependencies) {
        TaskWorkspaces workspaces;
        PreparedWorkspace workspace;
        try {
            workspaces = workspacesFor(projectDirectory);
            workspace = workspaces.prepare(taskId, attempt, dependencies);
        } catch (WorkspaceException e) {
            throw unavailable(e);
        } catch (IllegalArgumentException e) {
            // An id that cannot be named, or that shares its name with another task's.
            throw new WorkspaceUnavailableException(e.getMessage(), false, e);
        }
        String branch = workspace instanceof PreparedWorkspace.Worktree worktree ? worktree.branch() : "";
        AttemptWorkspace handed = new AttemptWorkspace(taskId, attempt, workspace.directory(), branch);
        prepared.put(handed, new Prepared(workspaces, workspace));
        return handed;
    }

    @Override
    public AttemptChanges finish(AttemptWorkspace workspace, String title, String agent) {
        Prepared mine = prepared.remove(workspace);
        if (mine == null) {
            throw new IllegalArgumentException("task " + workspace.taskId() + " attempt " + workspace.attempt()
                    + "'s workspace was not prepared here, or was finished already");
        }
        WorkspaceResult result;
        try {
            result = mine.workspaces().finish(mine.workspace(), title, agent);
        } catch (WorkspaceException e) {
            throw unavailable(e);
        }
        List<FileChange> files = result.changedFiles().stream()
                .map(file -> new FileChange(file.change().letter(), file.path())).toList();
        String copy = mine.workspace() instanceof PreparedWorkspace.Copy made ? made.directory().toString() : "";
        return new AttemptChanges(workspace.branch(), result.commit().orElse(""), copy, files, result.diffStat());
    }

    private TaskWorkspaces workspacesFor(Path projectDirectory) {
        Path key = projectDirectory.toAbsolutePath().normalize();
        return byProject.computeIfAbsent(key, directory -> TaskWorkspaces.forProject(directory, settings));
    }

    /** The rule above: git that ran and failed, or a file operation, may work next time; the rest will not. */
    static WorkspaceUnavailableException unavailable(WorkspaceException e) {
        boolean retryable = false;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof GitException git) {
                // Git that could not be started at all will not start next time either.
                retryable = git.exitCode() != GitException.NO_EXIT_CODE || !(git.getCause() instanceof IOException);
                break;
            }
            if (cause instanceof IOException) {
                retryable = true;
                break;
            }
        }
        return new WorkspaceUnavailableException(e.getMessage(), retryable, e);
    }
}
