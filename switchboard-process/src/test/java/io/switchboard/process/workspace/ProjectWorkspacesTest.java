package io.switchboard.process.workspace;

import static io.switchboard.process.workspace.TestRepository.writeIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.attempt.AttemptChanges;
import io.switchboard.core.attempt.AttemptWorkspace;
import io.switchboard.core.attempt.FileChange;
import io.switchboard.core.port.WorkspaceUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher's port over real task workspaces: a git repository, and a folder outside git. */
class ProjectWorkspacesTest {
    @TempDir
    Path dir;

    final ProjectWorkspaces workspaces = new ProjectWorkspaces(WorkspaceSettings.defaults());

    @Test
    void inARepositoryAnAttemptGetsAWorktreeOnItsBranchAndReportsItsCommitAndFiles() throws IOException {
        Path project = dir.toRealPath();
        TestRepository repo = TestRepository.in(project);

        AttemptWorkspace workspace = workspaces.prepare(project, "a", 1, List.of());
        writeIn(workspace.directory(), "a.txt", "from a\n");
        AttemptChanges changes = workspaces.finish(workspace, "Task a", "codex");

        assertThat(workspaces.inGitRepository(project)).isTrue();
        assertThat(workspace.branch()).isEqualTo("switchboard/a");
        assertThat(workspace.directory()).isEqualTo(project.resolve(".switchboard/worktrees/a-1"));
        assertThat(changes).isEqualTo(new AttemptChanges("switchboard/a", repo.commitOf("switchboard/a"), "",
                List.of(new FileChange('A', "a.txt")), "1 file changed, 1 insertion(+)"));
        assertThat(workspace.directory()).doesNotExist();
    }

    @Test
    void aDependencysWorkIsInTheWorkspaceOfTheTaskThatDependsOnIt() throws IOException {
        Path project = dir.toRealPath();
        TestRepository.in(project);
        AttemptWorkspace a = workspaces.prepare(project, "a", 1, List.of());
        writeIn(a.directory(), "a.txt", "from a\n");
        workspaces.finish(a, "Task a", "codex");

        AttemptWorkspace b = workspaces.prepare(project, "b", 1, List.of("a"));

        assertThat(b.directory().resolve("a.txt")).hasContent("from a");
        assertThat(workspaces.finish(b, "Task b", "codex").files()).isEmpty();
    }

    @Test
    void dependenciesWhoseBranchesConflictAreAFailureThatRetryingCannotMend() throws IOException {
        Path project = dir.toRealPath();
        TestRepository.in(project);
        for (String task : List.of("a", "b")) {
            AttemptWorkspace workspace = workspaces.prepare(project, task, 1, List.of());
            writeIn(workspace.directory(), "README.md", "# Rewritten by " + task + "\n");
            workspaces.finish(workspace, "Task " + task, "codex");
        }

        assertThatThrownBy(() -> workspaces.prepare(project, "c", 1, List.of("a", "b")))
                .isInstanceOfSatisfying(WorkspaceUnavailableException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("task c: the branches of its dependencies do not merge",
                            "switchboard/b (task b)", "README.md");
                });
        assertThatThrownBy(() -> workspaces.prepare(project, "d", 1, List.of("never-ran")))
                .isInstanceOfSatisfying(WorkspaceUnavailableException.class,
                        e -> assertThat(e.retryable()).isFalse());
    }

    @Test
    void gitThatRanAndFailedMayWorkNextTimeButGitThatCannotStartWillNot() {
        GitException failed = new Git("git", java.time.Duration.ofSeconds(30)).attempt(dir, "no-such-command")
                .failure();
        assertThat(ProjectWorkspaces.unavailable(failed).retryable()).isTrue();
        assertThat(ProjectWorkspaces.unavailable(new WorkspaceException("the worktree is gone", failed)).retryable())
                .isTrue();

        Path fakeGit = dir.resolve("no-such-git");
        assertThatThrownBy(() -> new Git(fakeGit.toString(), java.time.Duration.ofSeconds(5)).run(dir, "status"))
                .isInstanceOfSatisfying(GitException.class, notStarted ->
                        assertThat(ProjectWorkspaces.unavailable(notStarted).retryable()).isFalse());
    }

    @Test
    void outsideARepositoryAnAttemptGetsACopyThatKeepsItsWork() throws IOException {
        Path project = Files.createDirectories(dir.resolve("project")).toRealPath();
        Files.writeString(project.resolve("notes.txt"), "notes\n");

        AttemptWorkspace workspace = workspaces.prepare(project, "a", 1, List.of());
        Files.writeString(workspace.directory().resolve("notes.txt"), "changed\n");
        AttemptChanges changes = workspaces.finish(workspace, "Task a", "codex");

        assertThat(workspaces.inGitRepository(project)).isFalse();
        assertThat(workspace.branch()).isEmpty();
        assertThat(changes.copy()).isEqualTo(workspace.directory().toString());
        assertThat(changes.where()).isEqualTo(changes.copy());
        assertThat(changes.files()).containsExactly(new FileChange('M', "notes.txt"));
        assertThat(changes.commit()).isEmpty();
        assertThat(project.resolve("notes.txt")).hasContent("notes");
    }

    @Test
    void aWorkspaceIsFinishedOnce() throws IOException {
        Path project = Files.createDirectories(dir.resolve("project"));
        AttemptWorkspace workspace = workspaces.prepare(project, "a", 1, List.of());
        workspaces.finish(workspace, "Task a", "codex");

        assertThatThrownBy(() -> workspaces.finish(workspace, "Task a", "codex"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finished already");
    }
}
