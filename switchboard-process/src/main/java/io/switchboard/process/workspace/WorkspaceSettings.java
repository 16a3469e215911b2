package io.switchboard.process.workspace;

import static io.switchboard.core.Require.require;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where tasks' workspaces go and how git is run. {@link #defaults()} suits a project; every value is checked
 * here, once, and a bad one is quoted.
 *
 * @param worktreeRoot the folder of the tasks' worktrees; a relative path starts at the repository's top level
 * @param copyRoot the folder of the tasks' copies outside a repository; a relative path starts at the project
 *     directory
 * @param author who the commits Switchboard makes on task branches are by
 * @param gitProgram the git to run: a name looked up on {@code PATH}, or a path
 * @param gitTimeout how long one git command may take before it is killed
 */
public record WorkspaceSettings(Path worktreeRoot, Path copyRoot, GitIdentity author, String gitProgram,
        Duration gitTimeout) {

    public static final Path DEFAULT_WORKTREE_ROOT = Path.of(".switchboard", "worktrees");
    public static final Path DEFAULT_COPY_ROOT = Path.of(".switchboard", "copies");
    public static final GitIdentity DEFAULT_AUTHOR = new GitIdentity("Switchboard", "switchboard@localhost");
    public static final String DEFAULT_GIT_PROGRAM = "git";
    public static final Duration DEFAULT_GIT_TIMEOUT = Duration.ofMinutes(2);

    public WorkspaceSettings {
        Objects.requireNonNull(worktreeRoot, "worktreeRoot");
        Objects.requireNonNull(copyRoot, "copyRoot");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(gitProgram, "gitProgram");
        Objects.requireNonNull(gitTimeout, "gitTimeout");
        require(!worktreeRoot.toString().isEmpty(), "the worktree root must name a folder, was '%s'", worktreeRoot);
        require(!copyRoot.toString().isEmpty(), "the copy root must name a folder, was '%s'", copyRoot);
        require(!gitProgram.isBlank(), "the git program must not be blank, was '%s'", gitProgram);
        require(gitTimeout.isPositive(), "the git timeout must be more than zero, was %s", gitTimeout);
    }

    public static WorkspaceSettings defaults() {
        return new WorkspaceSettings(DEFAULT_WORKTREE_ROOT, DEFAULT_COPY_ROOT, DEFAULT_AUTHOR, DEFAULT_GIT_PROGRAM,
                DEFAULT_GIT_TIMEOUT);
    }

    public WorkspaceSettings withWorktreeRoot(Path value) {
        return new WorkspaceSettings(value, copyRoot, author, gitProgram, gitTimeout);
    }

    public WorkspaceSettings withCopyRoot(Path value) {
        return new WorkspaceSettings(worktreeRoot, value, author, gitProgram, gitTimeout);
    }

    public WorkspaceSettings withAuthor(GitIdentity value) {
        return new WorkspaceSettings(worktreeRoot, copyRoot, value, gitProgram, gitTimeout);
    }

    public WorkspaceSettings withGitProgram(String value) {
        return new WorkspaceSettings(worktreeRoot, copyRoot, author, value, gitTimeout);
    }

    public WorkspaceSettings withGitTimeout(Duration value) {
        return new WorkspaceSettings(worktreeRoot, copyRoot, author, gitProgram, value);
    }
}
