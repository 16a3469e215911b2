package io.switchboard.process.workspace;

import static io.switchboard.core.Require.require;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Tasks' workspaces outside a git repository: each attempt runs in a fresh copy of the project directory,
 * {@code <copy root>/<name>-<attempt>}, without the project's {@code .switchboard/} and {@code .git/} (and
 * without the copy root, wherever it is). Preparing an attempt deletes the copies of the task's earlier attempts;
 * finishing compares the copy with the project directory and keeps it, since there is no branch to keep the work
 * on. A copy does not see the work of the tasks it depends on: that takes git.
 *
 * <p>Thread-safe, see {@link TaskWorkspaces}; each task's copies are its own, so nothing is locked.
 */
public final class DirectoryCopies implements TaskWorkspaces {
    /** Top-level entries of the project that are never copied nor compared. */
    static final Set<String> LEFT_OUT = Set.of(".git", ".switchboard");

    private final Path project;
    private final Path root;
    private final NameRegistry names = new NameRegistry();

    DirectoryCopies(WorkspaceSettings settings, Path projectDirectory) {
        this.project = projectDirectory.toAbsolutePath().normalize();
        this.root = project.resolve(settings.copyRoot()).normalize();
    }

    @Override
    public boolean inGitRepository() {
        return false;
    }

    /** The folder the copies are made in. */
    public Path root() {
        return root;
    }

    @Override
    public PreparedWorkspace.Copy prepare(String taskId, int attempt, List<String> dependencies) {
        require(attempt >= 1, "an attempt is numbered from 1, was %s", attempt);
        WorkspaceName name = names.claim(taskId);
        dependencies.forEach(names::claim);
        if (!Files.isDirectory(project)) {
            throw new WorkspaceException("the project directory " + project + " is not a folder");
        }
        Path folder = root.resolve(name.folder(attempt));
        try {
            Files.createDirectories(root);
            try (DirectoryStream<Path> earlier = Files.newDirectoryStream(root,
                    entry -> name.isFolderOfAnAttempt(entry.getFileName().toString()))) {
                for (Path copy : earlier) {
                    DirectoryTree.delete(copy);
                }
            }
        } catch (IOException e) {
            throw new WorkspaceException("could not remove the copies of task " + taskId + "'s earlier attempts in "
                    + root + ": " + e, e);
        }
        try {
            DirectoryTree.copy(project, folder, excluded());
        } catch (IOException e) {
            WorkspaceException failure = new WorkspaceException("could not copy " + project + " to " + folder
                    + " for task " + taskId + ": " + e, e);
            try {
                DirectoryTree.delete(folder);
            } catch (IOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        return new PreparedWorkspace.Copy(taskId, attempt, folder, project);
    }

    /** Compares the copy with the project directory as it is now; the copy stays. */
    @Override
    public WorkspaceResult finish(PreparedWorkspace workspace, String title, String agent) {
        Objects.requireNonNull(workspace, "workspace");
        if (!(workspace instanceof PreparedWorkspace.Copy copy)) {
            throw new IllegalArgumentException("task " + workspace.taskId() + "'s workspace is a worktree, not a "
                    + "copy: " + workspace.directory());
        }
        if (!Files.isDirectory(copy.directory())) {
            throw new WorkspaceException("the copy of task " + copy.taskId() + " attempt " + copy.attempt()
                    + " is gone: " + copy.directory());
        }
        try {
            List<ChangedFile> changes = DirectoryTree.compare(copy.source(), copy.directory(), LEFT_OUT, excluded());
            return new WorkspaceResult(Optional.empty(), changes, stat(changes));
        } catch (IOException e) {
            throw new WorkspaceException("could not compare the copy of task " + copy.taskId() + " ("
                    + copy.directory() + ") with " + copy.source() + ": " + e, e);
        }
    }

    private Set<Path> excluded() {
        Set<Path> excluded = new HashSet<>();
        LEFT_OUT.forEach(entry -> excluded.add(project.resolve(entry)));
        excluded.add(root);
        return excluded;
    }

    /** {@code 3 files changed: 1 added, 2 modified}. */
    static String stat(List<ChangedFile> changes) {
        if (changes.isEmpty()) {
            return WorkspaceResult.NO_CHANGES;
        }
        Map<ChangedFile.Change, Integer> counts = new EnumMap<>(ChangedFile.Change.class);
        changes.forEach(change -> counts.merge(change.change(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((change, count) -> parts.add(count + " " + switch (change) {
            case ADDED -> "added";
            case MODIFIED -> "modified";
            case DELETED -> "deleted";
            case TYPE_CHANGED -> "changed type";
        }));
        return changes.size() + (changes.size() == 1 ? " file changed: " : " files changed: ")
                + String.join(", ", parts);
    }
}
