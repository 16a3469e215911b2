package io.switchboard.process.workspace;

import static io.switchboard.process.workspace.TestRepository.writeIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files a step changed, and a file it wrote, read from real folders and real git repositories. */
class LocalWorkingTreeTest {
    @TempDir
    Path dir;

    private final LocalWorkingTree tree = new LocalWorkingTree(WorkspaceSettings.defaults());

    @Test
    void in_a_repository_the_files_changed_are_those_edited_added_or_deleted_since_the_snapshot() throws IOException {
        TestRepository repo = TestRepository.in(dir);
        repo.write("src/Old.java", "class Old {}\n");
        repo.write("notes.txt", "draft\n");
        repo.commit("Add files");
        // Dirty before the step: a change the step does not touch is not the step's.
        repo.write("notes.txt", "draft, edited by hand\n");
        writeIn(dir, "scratch.txt", "left over\n");
        String snapshot = tree.snapshot(dir);

        writeIn(dir, "README.md", "# A project\n\nMore.\n");
        writeIn(dir, "src/parser/Parser.java", "class Parser {}\n");
        Files.delete(dir.resolve("src/Old.java"));
        writeIn(dir, ".switchboard/state.db", "not a change of the project\n");

        assertThat(tree.changedSince(dir, snapshot)).containsExactly("README.md", "src/Old.java",
                "src/parser/Parser.java");
    }

    @Test
    void a_file_that_was_dirty_before_and_changed_again_or_was_reverted_counts() {
        TestRepository repo = TestRepository.in(dir);
        repo.write("a.txt", "a\n");
        repo.write("b.txt", "b\n");
        repo.commit("Add a and b");
        repo.write("a.txt", "a, edited\n");
        repo.write("b.txt", "b, edited\n");
        String snapshot = tree.snapshot(dir);

        repo.write("a.txt", "a, edited again\n");
        repo.git("checkout", "--", "b.txt");

        assertThat(tree.changedSince(dir, snapshot)).containsExactly("a.txt", "b.txt");
    }

    @Test
    void the_files_of_commits_made_since_the_snapshot_count() {
        TestRepository repo = TestRepository.in(dir);
        String snapshot = tree.snapshot(dir);

        repo.write("src/Committed.java", "class Committed {}\n");
        repo.commit("The agent commits its work");
        repo.write("src/Uncommitted.java", "class Uncommitted {}\n");

        assertThat(tree.changedSince(dir, snapshot)).containsExactly("src/Committed.java", "src/Uncommitted.java");
    }

    @Test
    void nothing_changed_is_an_empty_list() {
        TestRepository.in(dir);
        writeIn(dir, "untracked.txt", "here before\n");

        assertThat(tree.changedSince(dir, tree.snapshot(dir))).isEmpty();
    }

    @Test
    void a_working_directory_below_the_top_of_the_repository_sees_its_own_files_relative_to_itself() {
        TestRepository repo = TestRepository.in(dir);
        Path module = dir.resolve("module");
        writeIn(module, "a.txt", "a\n");
        repo.commit("Add a module");
        String snapshot = tree.snapshot(module);

        writeIn(module, "a.txt", "a, edited\n");
        writeIn(dir, "outside.txt", "not in the working directory\n");

        assertThat(tree.changedSince(module, snapshot)).containsExactly("a.txt");
    }

    @Test
    void outside_git_every_file_is_compared_by_content() {
        writeIn(dir, "keep.txt", "same\n");
        writeIn(dir, "edit.txt", "before\n");
        writeIn(dir, "gone.txt", "bye\n");
        String snapshot = tree.snapshot(dir);

        writeIn(dir, "edit.txt", "after\n");
        writeIn(dir, "deep/new.txt", "hello\n");
        writeIn(dir, "keep.txt", "same\n");
        writeIn(dir, ".switchboard/state.db", "ignored\n");
        writeIn(dir, ".git/HEAD", "not a repository, but left out all the same\n");
        deleteQuietly(dir.resolve("gone.txt"));

        assertThat(tree.changedSince(dir, snapshot)).containsExactly("deep/new.txt", "edit.txt", "gone.txt");
    }

    @Test
    void a_file_is_read_as_text_and_only_inside_the_working_directory() {
        writeIn(dir, "docs/design.md", "# Design\nÜnïcode\n");
        writeIn(dir.getParent(), "outside-" + dir.getFileName() + ".md", "secret\n");

        assertThat(tree.read(dir, "docs/design.md")).contains("# Design\nÜnïcode\n");
        assertThat(tree.read(dir, "docs/missing.md")).isEmpty();
        assertThat(tree.read(dir, "docs")).isEmpty();
        assertThat(tree.read(dir, "../outside-" + dir.getFileName() + ".md")).isEmpty();
    }

    @Test
    void a_working_directory_that_is_gone_is_an_error_naming_it() {
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> tree.snapshot(missing)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(missing.toString());
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
