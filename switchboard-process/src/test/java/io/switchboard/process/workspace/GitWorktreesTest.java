package io.switchboard.process.workspace;

import static io.switchboard.process.workspace.ChangedFile.Change.ADDED;
import static io.switchboard.process.workspace.ChangedFile.Change.DELETED;
import static io.switchboard.process.workspace.ChangedFile.Change.MODIFIED;
import static io.switchboard.process.workspace.TestRepository.gitIn;
import static io.switchboard.process.workspace.TestRepository.writeIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitWorktreesTest {
    @TempDir
    Path dir;

    TestRepository repo;
    TaskWorkspaces workspaces;

    @BeforeEach
    void aRepository() throws IOException {
        dir = dir.toRealPath();
        repo = TestRepository.in(dir);
        workspaces = TaskWorkspaces.forProject(dir, WorkspaceSettings.defaults());
    }

    @Test
    void aTaskRunsInAWorktreeOnItsOwnBranchFromHead() {
        PreparedWorkspace.Worktree prepared = worktree(workspaces.prepare("01-api-1", 1, List.of()));

        assertThat(workspaces.inGitRepository()).isTrue();
        assertThat(prepared.directory()).isEqualTo(dir.resolve(".switchboard/worktrees/01-api-1-1"));
        assertThat(prepared.root()).isEqualTo(prepared.directory());
        assertThat(prepared.branch()).isEqualTo("switchboard/01-api-1");
        assertThat(prepared.baseCommit()).isEqualTo(repo.head());
        assertThat(gitIn(prepared.directory(), "symbolic-ref", "HEAD")).isEqualTo("refs/heads/switchboard/01-api-1");
        assertThat(prepared.directory().resolve("README.md")).hasContent("# A project");
    }

    @Test
    void twoTasksNeverSeeEachOthersEdits() {
        PreparedWorkspace a = workspaces.prepare("a", 1, List.of());
        PreparedWorkspace b = workspaces.prepare("b", 1, List.of());

        writeIn(a.directory(), "a.txt", "from a\n");
        writeIn(a.directory(), "README.md", "# Edited by a\n");
        writeIn(b.directory(), "b.txt", "from b\n");

        assertThat(b.directory().resolve("a.txt")).doesNotExist();
        assertThat(b.directory().resolve("README.md")).hasContent("# A project");
        assertThat(a.directory().resolve("b.txt")).doesNotExist();
        assertThat(dir.resolve("a.txt")).doesNotExist();
        assertThat(dir.resolve("b.txt")).doesNotExist();

        workspaces.finish(a, "Task a", "codex");
        workspaces.finish(b, "Task b", "claude");

        assertThat(repo.filesAt("switchboard/a")).containsExactly("README.md", "a.txt");
        assertThat(repo.filesAt("switchboard/b")).containsExactly("README.md", "b.txt");
        assertThat(repo.show("switchboard/b", "README.md")).isEqualTo("# A project");
        assertThat(repo.status()).isEmpty();
    }

    @Test
    void finishingCommitsTheChangesOnTheBranchReportsThemAndRemovesTheWorktree() {
        repo.write("old.txt", "old\n");
        String head = repo.commit("Add old.txt");
        PreparedWorkspace prepared = workspaces.prepare("a", 1, List.of());
        writeIn(prepared.directory(), "README.md", "# A project\n\nMore.\n");
        writeIn(prepared.directory(), "src/new.txt", "new\n");
        deleteIn(prepared.directory(), "old.txt");

        WorkspaceResult result = workspaces.finish(prepared, "Add a thing", "codex");

        assertThat(result.commit()).contains(repo.commitOf("switchboard/a"));
        assertThat(result.changedFiles()).containsExactly(new ChangedFile("README.md", MODIFIED),
                new ChangedFile("old.txt", DELETED), new ChangedFile("src/new.txt", ADDED));
        assertThat(result.diffStat()).isEqualTo("3 files changed, 3 insertions(+), 1 deletion(-)");
        assertThat(repo.git("log", "-1", "--format=%s", "switchboard/a"))
                .isEqualTo("a: Add a thing (attempt 1 by codex)");
        assertThat(repo.git("log", "-1", "--format=%an <%ae>|%cn <%ce>", "switchboard/a"))
                .isEqualTo("Switchboard <switchboard@localhost>|Switchboard <switchboard@localhost>");
        assertThat(repo.commitOf("switchboard/a~1")).isEqualTo(head);
        assertThat(prepared.directory()).doesNotExist();
        assertThat(repo.worktrees()).containsExactly(dir.toString());
        assertThat(repo.branches()).containsExactly("main", "switchboard/a");
        assertThat(repo.head()).isEqualTo(head);
        assertThat(repo.status()).isEmpty();
    }

    @Test
    void theAuthorIsConfigurable() {
        TaskWorkspaces custom = TaskWorkspaces.forProject(dir, WorkspaceSettings.defaults()
                .withAuthor(new GitIdentity("Build Bot", "bot@example.com")));
        PreparedWorkspace prepared = custom.prepare("a", 1, List.of());
        writeIn(prepared.directory(), "a.txt", "a\n");

        custom.finish(prepared, "Task a", "codex");

        assertThat(repo.git("log", "-1", "--format=%an <%ae>", "switchboard/a")).isEqualTo("Build Bot <bot@example.com>");
    }

    @Test
    void anAttemptThatChangesNothingMakesNoCommit() {
        PreparedWorkspace prepared = workspaces.prepare("a", 1, List.of());

        WorkspaceResult result = workspaces.finish(prepared, "Nothing", "codex");

        assertThat(result.commit()).isEmpty();
        assertThat(result.changedFiles()).isEmpty();
        assertThat(result.diffStat()).isEqualTo(WorkspaceResult.NO_CHANGES);
        assertThat(repo.commitOf("switchboard/a")).isEqualTo(repo.head());
        assertThat(prepared.directory()).doesNotExist();
    }

    @Test
    void theAgentsOwnCommitsCountAsItsChanges() {
        PreparedWorkspace prepared = workspaces.prepare("a", 1, List.of());
        writeIn(prepared.directory(), "committed.txt", "by the agent\n");
        gitIn(prepared.directory(), "add", "committed.txt");
        gitIn(prepared.directory(), "commit", "-q", "-m", "The agent's own commit");
        writeIn(prepared.directory(), "loose.txt", "left uncommitted\n");

        WorkspaceResult result = workspaces.finish(prepared, "Task a", "aider");

        assertThat(result.changedFiles()).containsExactly(new ChangedFile("committed.txt", ADDED),
                new ChangedFile("loose.txt", ADDED));
        assertThat(repo.git("log", "--format=%s", "main..switchboard/a"))
                .isEqualTo("a: Task a (attempt 1 by aider)\nThe agent's own commit");
    }

    @Test
    void aDependencysCommittedChangesAreVisibleToTheTaskThatDependsOnIt() {
        PreparedWorkspace a = workspaces.prepare("a", 1, List.of());
        writeIn(a.directory(), "a.txt", "from a\n");
        workspaces.finish(a, "Task a", "codex");
        PreparedWorkspace c = workspaces.prepare("c", 1, List.of());
        writeIn(c.directory(), "c.txt", "from c\n");
        workspaces.finish(c, "Task c", "codex");

        PreparedWorkspace.Worktree b = worktree(workspaces.prepare("b", 1, List.of("a", "c")));

        assertThat(b.directory().resolve("a.txt")).hasContent("from a");
        assertThat(b.directory().resolve("c.txt")).hasContent("from c");
        assertThat(b.baseCommit()).isNotEqualTo(repo.head()).isEqualTo(gitIn(b.directory(), "rev-parse", "HEAD"));
        assertThat(repo.git("log", "--format=%s", "--first-parent", "main.." + b.baseCommit())).isEqualTo(
                "Merge switchboard/c into switchboard/b (dependency c)\n"
                        + "Merge switchboard/a into switchboard/b (dependency a)");

        writeIn(b.directory(), "b.txt", "from b\n");
        WorkspaceResult result = workspaces.finish(b, "Task b", "codex");

        assertThat(result.changedFiles()).containsExactly(new ChangedFile("b.txt", ADDED));
    }

    @Test
    void dependenciesThatConflictAreAClearErrorAndLeaveNoWorktree() {
        PreparedWorkspace a = workspaces.prepare("a", 1, List.of());
        writeIn(a.directory(), "README.md", "# Said by a\n");
        writeIn(a.directory(), "notes.txt", "a's notes\n");
        workspaces.finish(a, "Task a", "codex");
        PreparedWorkspace c = workspaces.prepare("c", 1, List.of());
        writeIn(c.directory(), "README.md", "# Said by c\n");
        writeIn(c.directory(), "notes.txt", "c's notes\n");
        workspaces.finish(c, "Task c", "codex");

        assertThatThrownBy(() -> workspaces.prepare("b", 1, List.of("a", "c")))
                .isInstanceOf(WorkspaceException.class)
                .hasMessageStartingWith("task b: the branches of its dependencies do not merge: switchboard/c (task c) "
                        + "conflicts with HEAD (" + repo.head().substring(0, 12) + ") with switchboard/a merged in in: ")
                .hasMessageEndingWith("README.md, notes.txt");

        assertThat(dir.resolve(".switchboard/worktrees/b-1")).doesNotExist();
        assertThat(repo.worktrees()).containsExactly(dir.toString());
        assertThat(repo.status()).isEmpty();
    }

    @Test
    void aDependencyWithoutABranchIsAClearError() {
        assertThatThrownBy(() -> workspaces.prepare("b", 1, List.of("a")))
                .isInstanceOf(WorkspaceException.class)
                .hasMessage("task b depends on tasks that have no branch: a (switchboard/a); they have not run in "
                        + "a worktree");
        assertThat(repo.worktrees()).containsExactly(dir.toString());
    }

    @Test
    void aRetryStartsFromTheFirstAttemptsBaseWithoutItsLeftovers() {
        PreparedWorkspace first = workspaces.prepare("a", 1, List.of());
        String base = worktree(first).baseCommit();
        writeIn(first.directory(), "README.md", "# Half done\n");
        writeIn(first.directory(), "leftover.txt", "from the failed attempt\n");
        workspaces.finish(first, "Task a", "codex");
        repo.write("later.txt", "committed in the checkout meanwhile\n");
        repo.commit("A later commit");

        PreparedWorkspace.Worktree second = worktree(workspaces.prepare("a", 2, List.of()));

        assertThat(second.directory()).isEqualTo(dir.resolve(".switchboard/worktrees/a-2"));
        assertThat(second.baseCommit()).isEqualTo(base);
        assertThat(repo.commitOf("switchboard/a")).isEqualTo(base);
        assertThat(second.directory().resolve("leftover.txt")).doesNotExist();
        assertThat(second.directory().resolve("later.txt")).doesNotExist();
        assertThat(second.directory().resolve("README.md")).hasContent("# A project");

        writeIn(second.directory(), "done.txt", "done\n");
        WorkspaceResult result = workspaces.finish(second, "Task a", "claude");

        assertThat(result.changedFiles()).containsExactly(new ChangedFile("done.txt", ADDED));
        assertThat(repo.git("log", "--format=%s", base + "..switchboard/a")).isEqualTo("a: Task a (attempt 2 by claude)");
    }

    @Test
    void aRetryAfterAnAttemptThatWasNeverFinishedRemovesItsWorktree() {
        PreparedWorkspace first = workspaces.prepare("a", 1, List.of());
        writeIn(first.directory(), "leftover.txt", "the orchestrator died here\n");

        PreparedWorkspace second = workspaces.prepare("a", 2, List.of());

        assertThat(first.directory()).doesNotExist();
        assertThat(second.directory().resolve("leftover.txt")).doesNotExist();
        assertThat(repo.worktrees()).containsExactly(dir.toString(), second.directory().toString());
    }

    @Test
    void aFolderLeftWithoutItsWorktreeIsRemovedToo() throws IOException {
        PreparedWorkspace first = workspaces.prepare("a", 1, List.of());
        repo.git("worktree", "remove", "--force", first.directory().toString());
        writeIn(first.directory(), "stray.txt", "a folder git no longer knows\n");

        PreparedWorkspace again = workspaces.prepare("a", 1, List.of());

        assertThat(again.directory().resolve("stray.txt")).doesNotExist();
        try (Stream<Path> folders = Files.list(dir.resolve(".switchboard/worktrees"))) {
            assertThat(folders.toList()).containsExactly(again.directory());
        }
    }

    @Test
    void aWorktreeWhoseFolderWasDeletedByHandDoesNotBlockTheNextAttempt() throws IOException {
        PreparedWorkspace first = workspaces.prepare("a", 1, List.of());
        DirectoryTree.delete(first.directory());

        PreparedWorkspace second = workspaces.prepare("a", 2, List.of());

        assertThat(second.directory().resolve("README.md")).exists();
        assertThat(repo.worktrees()).containsExactly(dir.toString(), second.directory().toString());
    }

    @Test
    void theFailedAttemptsCommitStaysInTheBranchsReflog() {
        PreparedWorkspace first = workspaces.prepare("a", 1, List.of());
        writeIn(first.directory(), "half.txt", "half done\n");
        String failed = workspaces.finish(first, "Task a", "codex").commit().orElseThrow();

        workspaces.prepare("a", 2, List.of());

        assertThat(repo.git("reflog", "--format=%H", "switchboard/a")).contains(failed);
    }

    @Test
    void theWorktreesAreKeptOutOfTheCheckoutThroughTheRepositorysExcludeFileWhenNothingIgnoresThem()
            throws IOException {
        PreparedWorkspace prepared = workspaces.prepare("a", 1, List.of());

        assertThat(dir.resolve(".git/info/exclude")).content().contains("\n/.switchboard/\n");
        assertThat(repo.status()).isEmpty();
        workspaces.finish(prepared, "Task a", "codex");
        workspaces.prepare("b", 1, List.of());
        assertThat(Files.readString(dir.resolve(".git/info/exclude")).split("/.switchboard/", -1)).hasSize(2);
    }

    @Test
    void theExcludeFileIsLeftAloneWhenTheProjectIgnoresSwitchboardsFolder() throws IOException {
        repo.write(".gitignore", ".switchboard/\n");
        repo.commit("Ignore .switchboard");
        String before = Files.exists(dir.resolve(".git/info/exclude"))
                ? Files.readString(dir.resolve(".git/info/exclude")) : "";

        workspaces.prepare("a", 1, List.of());

        String after = Files.exists(dir.resolve(".git/info/exclude"))
                ? Files.readString(dir.resolve(".git/info/exclude")) : "";
        assertThat(after).isEqualTo(before);
        assertThat(repo.status()).isEmpty();
    }

    @Test
    void aProjectInASubfolderRunsInTheSameSubfolderOfItsWorktree() {
        repo.write("service/pom.xml", "<project/>\n");
        repo.commit("Add a service");
        TaskWorkspaces service = TaskWorkspaces.forProject(dir.resolve("service"), WorkspaceSettings.defaults());

        PreparedWorkspace.Worktree prepared = worktree(service.prepare("a", 1, List.of()));

        assertThat(prepared.root()).isEqualTo(dir.resolve(".switchboard/worktrees/a-1"));
        assertThat(prepared.directory()).isEqualTo(prepared.root().resolve("service"));
        assertThat(prepared.directory().resolve("pom.xml")).exists();
        writeIn(prepared.directory(), "Main.java", "class Main {}\n");
        assertThat(service.finish(prepared, "Task a", "codex").changedFiles())
                .containsExactly(new ChangedFile("service/Main.java", ADDED));
    }

    @Test
    void aConfiguredRootOutsideTheRepositoryIsUsedAsIs(@TempDir Path elsewhere) {
        TaskWorkspaces outside = TaskWorkspaces.forProject(dir, WorkspaceSettings.defaults().withWorktreeRoot(elsewhere));

        PreparedWorkspace prepared = outside.prepare("a", 1, List.of());

        assertThat(prepared.directory()).isEqualTo(elsewhere.resolve("a-1"));
        assertThat(dir.resolve(".git/info/exclude")).content().doesNotContain("switchboard");
        outside.finish(prepared, "Task a", "codex");
        assertThat(elsewhere.resolve("a-1")).doesNotExist();
    }

    @Test
    void anIdWithSlashesAndSpacesGetsASafeBranchAndFolderAndKeepsItsNameInTheCommit() {
        String id = "feature/Login page";
        String name = WorkspaceName.of(id).name();

        PreparedWorkspace.Worktree prepared = worktree(workspaces.prepare(id, 1, List.of()));
        writeIn(prepared.directory(), "login.txt", "login\n");
        workspaces.finish(prepared, "Log in", "codex");

        assertThat(name).matches("feature-login-page-[0-9a-f]{8}");
        assertThat(prepared.branch()).isEqualTo("switchboard/" + name);
        assertThat(prepared.directory()).isEqualTo(dir.resolve(".switchboard/worktrees/" + name + "-1"));
        assertThat(repo.git("log", "-1", "--format=%s", prepared.branch()))
                .isEqualTo("feature/Login page: Log in (attempt 1 by codex)");
    }

    @Test
    void twoIdsThatMapToOneNameAreRefused() {
        String crafted = WorkspaceName.of("a b").name();
        workspaces.prepare("a b", 1, List.of());

        assertThatThrownBy(() -> workspaces.prepare(crafted, 1, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("task ids 'a b' and '" + crafted + "' both map to the workspace name '" + crafted
                        + "' (branch switchboard/" + crafted + "), counting names that differ only in case as one; "
                        + "rename one of them");
    }

    @Test
    void anIdKeepsItsCaseInItsBranchButTwoIdsDifferingOnlyInCaseAreRefused() {
        PreparedWorkspace.Worktree prepared = (PreparedWorkspace.Worktree) workspaces.prepare("TASK-7", 1, List.of());

        assertThat(prepared.branch()).isEqualTo("switchboard/TASK-7");
        // On a file system that does not tell case apart, switchboard/task-7 would be the same ref file.
        assertThatThrownBy(() -> workspaces.prepare("task-7", 1, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("task ids 'TASK-7' and 'task-7' both map to the workspace name 'task-7'");
    }

    @Test
    void aWorktreeLeftOnAnotherBranchIsNotCommittedAndStaysForAPersonToLookAt() {
        PreparedWorkspace prepared = workspaces.prepare("a", 1, List.of());
        gitIn(prepared.directory(), "checkout", "-q", "-b", "elsewhere");

        assertThatThrownBy(() -> workspaces.finish(prepared, "Task a", "codex"))
                .isInstanceOf(WorkspaceException.class)
                .hasMessage("the worktree of task a attempt 1 is on refs/heads/elsewhere instead of switchboard/a; "
                        + "nothing was committed, the worktree is left as it is: " + prepared.directory());
        assertThat(prepared.directory()).exists();
    }

    @Test
    void aRepositoryWithoutACommitIsAClearError(@TempDir Path empty) {
        gitIn(empty, "init", "-q", "-b", "main");
        TaskWorkspaces fresh = TaskWorkspaces.forProject(empty, WorkspaceSettings.defaults());

        assertThatThrownBy(() -> fresh.prepare("a", 1, List.of()))
                .isInstanceOf(WorkspaceException.class)
                .hasMessageContaining("has no commit yet; task a's worktree would start from HEAD");
    }

    @Test
    void anAttemptIsNumberedFromOne() {
        assertThatThrownBy(() -> workspaces.prepare("a", 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an attempt is numbered from 1, was 0");
    }

    static PreparedWorkspace.Worktree worktree(PreparedWorkspace prepared) {
        assertThat(prepared).isInstanceOf(PreparedWorkspace.Worktree.class);
        return (PreparedWorkspace.Worktree) prepared;
    }

    static void deleteIn(Path folder, String path) {
        try {
            Files.delete(folder.resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
