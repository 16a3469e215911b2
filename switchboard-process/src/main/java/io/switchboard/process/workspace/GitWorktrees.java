package io.switchboard.process.workspace;

import static io.switchboard.core.Require.require;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Tasks' workspaces in a git repository: each attempt runs in a worktree of its own, on the task's branch
 * {@code switchboard/<name>}, which starts at the checkout's HEAD with the branches of the task's dependencies
 * merged in. Finishing commits what the agent changed on that branch and removes the worktree; the branch stays,
 * and {@link #merge} brings finished branches into the checkout's branch. docs/workspaces.md tells the whole
 * story.
 *
 * <p>Thread-safe, see {@link TaskWorkspaces}. Everything that changes what the repository's worktrees share
 * (the worktree list, creating or resetting a branch, the checkout's branch and index) happens under the
 * repository's {@link RepositoryLock}: preparing a worktree, removing one, merging. Committing an attempt's
 * changes does not: it touches only its own worktree's index and its own branch, whose lock files are its own.
 */
public final class GitWorktrees implements TaskWorkspaces {
    /** Where the commit each task's attempts start from is kept: {@code refs/switchboard/base/<name>}. */
    public static final String BASE_REF_PREFIX = "refs/switchboard/base/";

    /** How many uncommitted files a refusal to merge lists. */
    private static final int LISTED_FILES = 10;
    private static final String HEADS = "refs/heads/";

    private final Git git;
    private final WorkspaceSettings settings;
    private final Path checkout;
    private final Path projectInCheckout;
    private final Path root;
    private final RepositoryLock lock;
    private final Path commonGitDirectory;
    private final NameRegistry names = new NameRegistry();
    /** Whether the worktree root is known to be ignored by git; guarded by {@link #lock}. */
    private boolean rootIgnored;

    GitWorktrees(Git git, WorkspaceSettings settings, Path projectDirectory, Path topLevel) {
        this.git = git;
        this.settings = settings;
        this.checkout = topLevel;
        this.projectInCheckout = checkout.relativize(realPath(projectDirectory));
        this.root = checkout.resolve(settings.worktreeRoot()).normalize();
        String commonDir = git.run(checkout, "rev-parse", "--git-common-dir").line();
        this.commonGitDirectory = realPath(checkout.resolve(commonDir));
        this.lock = RepositoryLock.of(commonGitDirectory);
    }

    /**
     * The worktrees of the repository {@code projectDirectory} is in.
     *
     * @throws WorkspaceException when it is in none, or git cannot be run
     */
    public static GitWorktrees open(Path projectDirectory, WorkspaceSettings settings) {
        Objects.requireNonNull(projectDirectory, "projectDirectory");
        Objects.requireNonNull(settings, "settings");
        Git git = new Git(settings.gitProgram(), settings.gitTimeout());
        Path topLevel = topLevel(git, projectDirectory).orElseThrow(() -> new WorkspaceException(
                projectDirectory.toAbsolutePath() + " is not in a git repository"));
        return new GitWorktrees(git, settings, projectDirectory, topLevel);
    }

    /**
     * The top folder of the checkout {@code directory} is in, or empty when it is in no git repository.
     *
     * @throws WorkspaceException when the folder does not exist, or git fails there for another reason, or
     *     cannot be run although a {@code .git} is found in the folder or above it
     */
    static Optional<Path> topLevel(Git git, Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new WorkspaceException("the project directory " + absolute + " is not a folder");
        }
        Git.Result result;
        try {
            result = git.attempt(absolute, "rev-parse", "--show-toplevel");
        } catch (GitException e) {
            Optional<Path> dotGit = dotGitAbove(absolute);
            boolean notStarted = e.getCause() instanceof IOException;
            if (notStarted && dotGit.isEmpty()) {
                return Optional.empty();
            }
            throw new WorkspaceException(dotGit.map(found -> absolute + " is in a git repository (" + found + ") "
                    + "but git cannot be run: ").orElse("") + e.getMessage(), e);
        }
        if (result.ok()) {
            return Optional.of(realPath(Path.of(result.line())));
        }
        if (result.stderr().contains("not a git repository")) {
            return Optional.empty();
        }
        throw result.failure();
    }

    @Override
    public boolean inGitRepository() {
        return true;
    }

    /** The top folder of the checkout tasks start from and are merged into. */
    public Path checkout() {
        return checkout;
    }

    /** The folder the worktrees are made in. */
    public Path root() {
        return root;
    }

    @Override
    public PreparedWorkspace.Worktree prepare(String taskId, int attempt, List<String> dependencies) {
        require(attempt >= 1, "an attempt is numbered from 1, was %s", attempt);
        WorkspaceName name = names.claim(taskId);
        List<WorkspaceName> dependencyNames = new ArrayList<>();
        for (String dependency : dependencies) {
            require(!dependency.equals(taskId), "task '%s' cannot depend on itself", taskId);
            dependencyNames.add(names.claim(dependency));
        }
        Path folder = root.resolve(name.folder(attempt));
        return lock.locked(() -> {
            ensureRootIgnored();
            removeWorktreesOf(name);
            try {
                return create(name, attempt, dependencyNames, folder);
            } catch (RuntimeException e) {
                try {
                    removeWorktree(folder);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        });
    }

    @Override
    public WorkspaceResult finish(PreparedWorkspace workspace, String title, String agent) {
        Objects.requireNonNull(workspace, "workspace");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(agent, "agent");
        if (!(workspace instanceof PreparedWorkspace.Worktree worktree)) {
            throw new IllegalArgumentException("task " + workspace.taskId() + "'s workspace is a copy, not a "
                    + "worktree: " + workspace.directory());
        }
        Path folder = worktree.root();
        String what = "task " + worktree.taskId() + " attempt " + worktree.attempt();
        if (!Files.isDirectory(folder)) {
            throw new WorkspaceException("the worktree of " + what + " is gone: " + folder);
        }
        Git.Result head = git.attempt(folder, "symbolic-ref", "-q", "HEAD");
        if (!head.ok() || !head.line().equals(HEADS + worktree.branch())) {
            throw new WorkspaceException("the worktree of " + what + " is on "
                    + (head.ok() ? head.line() : "no branch (HEAD is detached)") + " instead of " + worktree.branch()
                    + "; nothing was committed, the worktree is left as it is: " + folder);
        }
        // Committing touches only this worktree's index and this task's branch: no repository lock.
        git.run(folder, "add", "--all");
        Git.Result staged = git.attempt(folder, "diff", "--cached", "--quiet");
        if (staged.exitCode() > 1) {
            throw staged.failure();
        }
        if (staged.exitCode() == 1) {
            git.run(folder, settings.author().environment(), "commit", "--quiet", "--no-verify", "--no-gpg-sign",
                    "-m", commitMessage(worktree, title, agent));
        }
        String tip = git.run(folder, "rev-parse", "HEAD").line();
        String base = worktree.baseCommit();
        List<ChangedFile> changes = tip.equals(base) ? List.of() : changedFiles(folder, base, tip);
        String stat = changes.isEmpty() ? WorkspaceResult.NO_CHANGES
                : git.run(folder, "diff", "--shortstat", base, tip).stdout().strip();
        lock.run(() -> removeWorktree(folder));
        return new WorkspaceResult(tip.equals(base) ? Optional.empty() : Optional.of(tip), changes, stat);
    }

    /**
     * Merges the tasks' branches into the checkout's branch, one after another in the order given, each with a
     * merge commit of its own ({@code --no-ff}: every task stays one unit in the history, which one
     * {@code git revert -m 1} undoes). A branch with nothing new is skipped without a commit. The first merge
     * that fails is undone ({@code git merge --abort}), so the checkout is as it was after the last merge that
     * succeeded, and the report says which task stopped it and which files conflicted; the tasks after it are not
     * tried.
     *
     * <p>The merge commits are by the repository's configured user (whoever runs the merge), or by
     * {@link WorkspaceSettings#author()} when none is configured; the repository's hooks run as for any merge.
     *
     * @param taskIdsInDependencyOrder every task before the tasks that depend on it
     * @throws WorkspaceException before anything is merged, when the checkout has no branch checked out, has
     *     uncommitted changes to tracked files, is in the middle of a merge, or a task has no branch
     */
    public MergeReport merge(List<String> taskIdsInDependencyOrder) {
        List<WorkspaceName> tasks = taskIdsInDependencyOrder.stream().map(names::claim).toList();
        return lock.locked(() -> {
            Git.Result branch = git.attempt(checkout, "symbolic-ref", "-q", "--short", "HEAD");
            if (!branch.ok()) {
                throw new WorkspaceException("the checkout at " + checkout + " has no branch checked out (HEAD is "
                        + "detached); check out the branch to merge into");
            }
            if (commitOf("MERGE_HEAD").isPresent()) {
                throw new WorkspaceException("the checkout at " + checkout + " is in the middle of a merge; "
                        + "finish or abort it first");
            }
            List<String> uncommitted = uncommittedChanges();
            if (!uncommitted.isEmpty()) {
                throw new WorkspaceException("the checkout at " + checkout + " (branch " + branch.line()
                        + ") has uncommitted changes (" + listed(uncommitted) + "); commit or stash them before "
                        + "merging");
            }
            List<String> missing = tasks.stream().filter(task -> commitOf(HEADS + task.branch()).isEmpty())
                    .map(task -> task.taskId() + " (" + task.branch() + ")").toList();
            if (!missing.isEmpty()) {
                throw new WorkspaceException("nothing was merged: these tasks have no branch: "
                        + String.join(", ", missing));
            }
            Map<String, String> identity = git.attempt(checkout, "var", "GIT_COMMITTER_IDENT").ok() ? Map.of()
                    : settings.author().environment();
            List<MergeReport.Merged> merged = new ArrayList<>();
            for (int i = 0; i < tasks.size(); i++) {
                WorkspaceName task = tasks.get(i);
                String before = head(checkout);
                Git.Result result = git.attempt(checkout, identity, "merge", "--no-ff", "--no-edit", "-m",
                        "Merge " + task.branch() + " (task " + task.taskId() + ")", task.branch());
                if (!result.ok()) {
                    List<String> conflicts = conflictingFiles(checkout);
                    abortMerge(checkout);
                    String message = (result.stdout().strip() + "\n" + result.stderr().strip()).strip();
                    List<String> rest = tasks.subList(i + 1, tasks.size()).stream().map(WorkspaceName::taskId)
                            .toList();
                    return new MergeReport(merged, Optional.of(new MergeReport.Stop(task.taskId(), task.branch(),
                            conflicts, message)), rest);
                }
                String after = head(checkout);
                merged.add(new MergeReport.Merged(task.taskId(), task.branch(),
                        after.equals(before) ? Optional.empty() : Optional.of(after)));
            }
            return new MergeReport(merged, Optional.empty(), List.of());
        });
    }

    private PreparedWorkspace.Worktree create(WorkspaceName name, int attempt, List<WorkspaceName> dependencies,
            Path folder) {
        String base;
        Optional<String> recorded = attempt > 1 ? commitOf(BASE_REF_PREFIX + name.name()) : Optional.empty();
        if (recorded.isPresent()) {
            // A retry starts where the first attempt did, whatever happened to HEAD since.
            base = recorded.get();
            addWorktree(name, folder, base);
        } else {
            String head = commitOf("HEAD").orElseThrow(() -> new WorkspaceException("the repository at " + checkout
                    + " has no commit yet; task " + name.taskId() + "'s worktree would start from HEAD, so "
                    + "commit something first"));
            List<String> missing = dependencies.stream().filter(d -> commitOf(HEADS + d.branch()).isEmpty())
                    .map(d -> d.taskId() + " (" + d.branch() + ")").toList();
            if (!missing.isEmpty()) {
                throw new WorkspaceException("task " + name.taskId() + " depends on tasks that have no branch: "
                        + String.join(", ", missing) + "; they have not run in a worktree");
            }
            addWorktree(name, folder, head);
            mergeDependencies(name, dependencies, folder, head);
            base = dependencies.isEmpty() ? head : head(folder);
            git.run(checkout, "update-ref", BASE_REF_PREFIX + name.name(), base);
        }
        Path directory = folder.resolve(projectInCheckout);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new WorkspaceException("could not make " + directory + " in task " + name.taskId()
                    + "'s worktree: " + e, e);
        }
        return new PreparedWorkspace.Worktree(name.taskId(), attempt, directory, folder, name.branch(), base);
    }

    private void addWorktree(WorkspaceName name, Path folder, String commit) {
        // -B: the branch is created, or reset to the commit when an earlier attempt or run left it.
        git.run(checkout, "worktree", "add", "--quiet", "-B", name.branch(), folder.toString(), commit);
    }

    private void mergeDependencies(WorkspaceName task, List<WorkspaceName> dependencies, Path folder, String head) {
        List<String> mergedSoFar = new ArrayList<>();
        for (WorkspaceName dependency : dependencies) {
            Git.Result result = git.attempt(folder, settings.author().environment(), "merge", "--no-ff", "--no-edit",
                    "--no-verify", "--no-gpg-sign", "-m", "Merge " + dependency.branch() + " into " + task.branch()
                            + " (dependency " + dependency.taskId() + ")", dependency.branch());
            if (!result.ok()) {
                List<String> conflicts = conflictingFiles(folder);
                abortMerge(folder);
                if (conflicts.isEmpty()) {
                    throw new WorkspaceException("task " + task.taskId() + ": merging the branch of its dependency "
                            + dependency.taskId() + " failed: " + result.failure().getMessage(), result.failure());
                }
                String onto = "HEAD (" + head.substring(0, 12) + ")"
                        + (mergedSoFar.isEmpty() ? "" : " with " + String.join(", ", mergedSoFar) + " merged in");
                throw new WorkspaceException("task " + task.taskId() + ": the branches of its dependencies do not "
                        + "merge: " + dependency.branch() + " (task " + dependency.taskId() + ") conflicts with "
                        + onto + " in: " + String.join(", ", conflicts));
            }
            mergedSoFar.add(dependency.branch());
        }
    }

    /** Removes this task's worktrees (earlier attempts, a crashed run's) and any folder they left. */
    private void removeWorktreesOf(WorkspaceName name) {
        for (String path : worktreesOn(HEADS + name.branch())) {
            Path folder = Path.of(path);
            // One whose folder is gone is only metadata, which the prune below removes.
            if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS) && isUnderRoot(folder)) {
                git.run(checkout, "worktree", "remove", "--force", folder.toString());
            }
        }
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> folders = Files.newDirectoryStream(root,
                    entry -> name.isFolderOfAnAttempt(entry.getFileName().toString()))) {
                for (Path leftover : folders) {
                    DirectoryTree.delete(leftover);
                }
            } catch (IOException e) {
                throw new WorkspaceException("could not remove what an earlier attempt of task " + name.taskId()
                        + " left in " + root + ": " + e, e);
            }
        }
        git.run(checkout, "worktree", "prune");
    }

    private void removeWorktree(Path folder) {
        Git.Result result = git.attempt(checkout, "worktree", "remove", "--force", folder.toString());
        if (!result.ok() || Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            // Not a worktree (any more), or git could not delete all of it (an agent made something read-only).
            try {
                DirectoryTree.delete(folder);
            } catch (IOException e) {
                throw new WorkspaceException("could not remove the worktree " + folder + ": " + e
                        + (result.ok() ? "" : "; " + result.failure().getMessage()), e);
            }
            git.run(checkout, "worktree", "prune");
        }
    }

    /** The paths of the worktrees that have {@code ref} checked out. */
    private List<String> worktreesOn(String ref) {
        List<String> paths = new ArrayList<>();
        String path = null;
        for (String line : git.run(checkout, "worktree", "list", "--porcelain").stdout().split("\n")) {
            if (line.startsWith("worktree ")) {
                path = line.substring("worktree ".length());
            } else if (line.equals("branch " + ref) && path != null) {
                paths.add(path);
            }
        }
        return paths;
    }

    private boolean isUnderRoot(Path folder) {
        if (folder.normalize().startsWith(root)) {
            return true;
        }
        try {
            return Files.exists(root) && Files.exists(folder) && folder.toRealPath().startsWith(root.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Makes sure git ignores the worktree root, so that the checkout never shows the worktrees as untracked
     * files nor commits them: when the root is inside the checkout and nothing ignores it yet, a line is added to
     * the repository's {@code info/exclude} (which is not committed, and applies to every worktree):
     * {@code /.switchboard/} when the root is under {@code .switchboard/}, else the root itself.
     */
    private void ensureRootIgnored() {
        if (rootIgnored || !root.startsWith(checkout) || root.equals(checkout)) {
            rootIgnored = true;
            return;
        }
        Path relative = checkout.relativize(root);
        String probe = slashes(relative.resolve("probe"));
        Git.Result check = git.attempt(checkout, "check-ignore", "-q", "--no-index", probe);
        if (check.exitCode() > 1) {
            throw check.failure();
        }
        if (check.exitCode() == 1) {
            String entry = relative.startsWith(".switchboard") ? "/.switchboard/" : "/" + slashes(relative) + "/";
            Path exclude = commonGitDirectory.resolve("info").resolve("exclude");
            try {
                Files.createDirectories(exclude.getParent());
                String existing = Files.exists(exclude) ? Files.readString(exclude, StandardCharsets.UTF_8) : "";
                String separator = existing.isEmpty() || existing.endsWith("\n") ? "" : "\n";
                Files.writeString(exclude, separator + "# Switchboard's task worktrees and state\n" + entry + "\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new WorkspaceException("could not add " + entry + " to " + exclude + " (so that the task "
                        + "worktrees are not committed): " + e, e);
            }
        }
        rootIgnored = true;
    }

    private List<ChangedFile> changedFiles(Path folder, String from, String to) {
        String[] fields = git.run(folder, "diff", "--name-status", "-z", "--no-renames", from, to).stdout()
                .split("\0");
        List<ChangedFile> changes = new ArrayList<>();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            changes.add(new ChangedFile(fields[i + 1], ChangedFile.Change.ofLetter(fields[i].charAt(0))));
        }
        return changes;
    }

    private List<String> conflictingFiles(Path folder) {
        String out = git.run(folder, "diff", "--name-only", "-z", "--diff-filter=U").stdout();
        return out.isEmpty() ? List.of() : List.of(out.split("\0"));
    }

    private void abortMerge(Path folder) {
        if (git.attempt(folder, "rev-parse", "-q", "--verify", "MERGE_HEAD").ok()) {
            git.run(folder, "merge", "--abort");
        }
    }

    /** Uncommitted changes to tracked files, as {@code git status --short} shows them. */
    private List<String> uncommittedChanges() {
        String[] fields = git.run(checkout, "status", "--porcelain=v1", "-z", "--untracked-files=no").stdout()
                .split("\0");
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < fields.length; i++) {
            String entry = fields[i];
            if (entry.length() < 4) {
                continue;
            }
            entries.add(entry);
            if (entry.charAt(0) == 'R' || entry.charAt(0) == 'C') {
                i++; // the path it was renamed or copied from
            }
        }
        return entries;
    }

    private Optional<String> commitOf(String revision) {
        Git.Result result = git.attempt(checkout, "rev-parse", "-q", "--verify", revision + "^{commit}");
        return result.ok() ? Optional.of(result.line()) : Optional.empty();
    }

    private String head(Path folder) {
        return git.run(folder, "rev-parse", "HEAD").line();
    }

    private static String commitMessage(PreparedWorkspace.Worktree worktree, String title, String agent) {
        return worktree.taskId() + ": " + oneLine(title) + " (attempt " + worktree.attempt() + " by "
                + oneLine(agent) + ")";
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }

    private static String listed(List<String> entries) {
        return entries.size() <= LISTED_FILES ? String.join(", ", entries)
                : String.join(", ", entries.subList(0, LISTED_FILES)) + " and " + (entries.size() - LISTED_FILES)
                        + " more";
    }

    private static String slashes(Path relative) {
        return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }

    private static Optional<Path> dotGitAbove(Path directory) {
        for (Path dir = directory; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(dir.resolve(".git"));
            }
        }
        return Optional.empty();
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new WorkspaceException("could not resolve " + path + ": " + e, e);
        }
    }
}
