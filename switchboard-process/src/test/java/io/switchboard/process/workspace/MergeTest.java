package io.switchboard.process.workspace;

import static io.switchboard.process.workspace.TestRepository.writeIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link GitWorktrees#merge}: finished task branches into the checkout's branch, in dependency order. */
class MergeTest {
    @TempDir
    Path dir;

    TestRepository repo;
    GitWorktrees workspaces;

    @BeforeEach
    void aRepository() throws IOException {
        dir = dir.toRealPath();
        repo = TestRepository.in(dir);
        workspaces = GitWorktrees.open(dir, WorkspaceSettings.defaults());
    }

    @Test
    void branchesAreMergedInDependencyOrderEachWithAMergeCommit() {
        run("a", List.of(), Map.of("a.txt", "from a\n"));
        run("b", List.of("a"), Map.of("b.txt", "from b, after a\n"));

        MergeReport report = workspaces.merge(List.of("a", "b"));

        assertThat(report.complete()).isTrue();
        assertThat(report.merged()).extracting(MergeReport.Merged::taskId).containsExactly("a", "b");
        assertThat(report.merged().get(1).mergeCommit()).contains(repo.head());
        assertThat(repo.git("log", "--first-parent", "--format=%s", "main"))
                .isEqualTo("Merge switchboard/b (task b)\nMerge switchboard/a (task a)\nFirst commit");
        assertThat(repo.git("log", "-1", "--format=%an <%ae>")).isEqualTo(TestRepository.PERSON);
        assertThat(repo.filesAt("main")).containsExactly("README.md", "a.txt", "b.txt");
        assertThat(dir.resolve("b.txt")).hasContent("from b, after a");
        assertThat(repo.status()).isEmpty();
    }

    @Test
    void aBranchWithNothingNewIsMergedWithoutACommit() {
        run("a", List.of(), Map.of());

        MergeReport report = workspaces.merge(List.of("a"));

        assertThat(report.merged()).containsExactly(new MergeReport.Merged("a", "switchboard/a", Optional.empty()));
        assertThat(repo.git("log", "--format=%s")).isEqualTo("First commit");
    }

    @Test
    void aConflictStopsTheMergeNamesTheTaskAndFilesAndLeavesTheCheckoutAsBeforeThatMerge() {
        run("a", List.of(), Map.of("README.md", "# Said by a\n", "shared.txt", "a\n"));
        run("c", List.of(), Map.of("README.md", "# Said by c\n", "shared.txt", "c\n", "own.txt", "c\n"));
        run("d", List.of(), Map.of("d.txt", "d\n"));

        MergeReport report = workspaces.merge(List.of("a", "c", "d"));

        assertThat(report.complete()).isFalse();
        assertThat(report.merged()).extracting(MergeReport.Merged::taskId).containsExactly("a");
        MergeReport.Stop stop = report.stop().orElseThrow();
        assertThat(stop.taskId()).isEqualTo("c");
        assertThat(stop.branch()).isEqualTo("switchboard/c");
        assertThat(stop.conflictingFiles()).containsExactly("README.md", "shared.txt");
        assertThat(stop.gitMessage()).contains("CONFLICT (content): Merge conflict in README.md");
        assertThat(stop.describe()).isEqualTo("task c (switchboard/c) conflicts in: README.md, shared.txt");
        assertThat(report.notMerged()).containsExactly("d");
        assertThat(repo.head()).isEqualTo(report.merged().get(0).mergeCommit().orElseThrow());
        assertThat(repo.status()).isEmpty();
        assertThat(dir.resolve(".git/MERGE_HEAD")).doesNotExist();
        assertThat(dir.resolve("README.md")).hasContent("# Said by a");
        assertThat(dir.resolve("own.txt")).doesNotExist();
    }

    @Test
    void aCheckoutWithUncommittedChangesRefusesToMerge() {
        run("a", List.of(), Map.of("a.txt", "a\n"));
        repo.write("README.md", "# Being edited\n");
        String head = repo.head();

        assertThatThrownBy(() -> workspaces.merge(List.of("a")))
                .isInstanceOf(WorkspaceException.class)
                .hasMessage("the checkout at " + dir + " (branch main) has uncommitted changes ( M README.md); "
                        + "commit or stash them before merging");
        assertThat(repo.head()).isEqualTo(head);
        assertThat(dir.resolve("README.md")).hasContent("# Being edited");
    }

    @Test
    void untrackedFilesDoNotStopAMergeThatDoesNotTouchThem() {
        run("a", List.of(), Map.of("a.txt", "a\n"));
        repo.write("scratch.txt", "not tracked\n");

        assertThat(workspaces.merge(List.of("a")).complete()).isTrue();
    }

    @Test
    void anUntrackedFileInTheWayStopsThatMergeWithGitsReason() {
        run("a", List.of(), Map.of("a.txt", "a\n"));
        repo.write("a.txt", "an untracked file of the same name\n");

        MergeReport report = workspaces.merge(List.of("a"));

        MergeReport.Stop stop = report.stop().orElseThrow();
        assertThat(stop.conflict()).isFalse();
        assertThat(stop.gitMessage()).contains("untracked working tree files would be overwritten by merge");
        assertThat(repo.git("log", "--format=%s")).isEqualTo("First commit");
    }

    @Test
    void aTaskWithoutABranchIsRefusedBeforeAnythingIsMerged() {
        run("a", List.of(), Map.of("a.txt", "a\n"));
        String head = repo.head();

        assertThatThrownBy(() -> workspaces.merge(List.of("a", "never-ran")))
                .isInstanceOf(WorkspaceException.class)
                .hasMessage("nothing was merged: these tasks have no branch: never-ran (switchboard/never-ran)");
        assertThat(repo.head()).isEqualTo(head);
    }

    @Test
    void aDetachedCheckoutIsRefused() {
        repo.git("checkout", "-q", "--detach");

        assertThatThrownBy(() -> workspaces.merge(List.of()))
                .isInstanceOf(WorkspaceException.class)
                .hasMessage("the checkout at " + dir + " has no branch checked out (HEAD is detached); check out "
                        + "the branch to merge into");
    }

    /** Runs a task: prepares its worktree, writes the files, finishes it. */
    private void run(String taskId, List<String> dependencies, Map<String, String> files) {
        PreparedWorkspace prepared = workspaces.prepare(taskId, 1, dependencies);
        files.forEach((path, content) -> writeIn(prepared.directory(), path, content));
        workspaces.finish(prepared, "Task " + taskId, "codex");
    }
}
