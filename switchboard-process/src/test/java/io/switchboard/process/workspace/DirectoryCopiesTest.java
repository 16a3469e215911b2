package io.switchboard.process.workspace;

import static io.switchboard.process.workspace.ChangedFile.Change.ADDED;
import static io.switchboard.process.workspace.ChangedFile.Change.DELETED;
import static io.switchboard.process.workspace.ChangedFile.Change.MODIFIED;
import static io.switchboard.process.workspace.ChangedFile.Change.TYPE_CHANGED;
import static io.switchboard.process.workspace.TestRepository.writeIn;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outside a git repository each attempt gets a copy of the project directory. */
class DirectoryCopiesTest {
    @TempDir
    Path dir;

    TaskWorkspaces workspaces;

    @BeforeEach
    void aProjectOutsideGit() throws IOException {
        dir = dir.toRealPath();
        writeIn(dir, "README.md", "# A project\n");
        writeIn(dir, "src/Main.java", "class Main {}\n");
        writeIn(dir, "old.txt", "old\n");
        writeIn(dir, ".switchboard/state.db", "the orchestrator's own\n");
        workspaces = TaskWorkspaces.forProject(dir, WorkspaceSettings.defaults());
    }

    @Test
    void aTaskRunsInACopyWithoutSwitchboardsFolder() {
        PreparedWorkspace prepared = workspaces.prepare("a", 1, List.of());

        assertThat(workspaces.inGitRepository()).isFalse();
        assertThat(prepared).isInstanceOf(PreparedWorkspace.Copy.class);
        assertThat(prepared.directory()).isEqualTo(dir.resolve(".switchboard/copies/a-1"));
        assertThat(prepared.directory().resolve("README.md")).hasContent("# A project");
        assertThat(prepared.directory().resolve("src/Main.java")).hasContent("class Main {}");
        assertThat(prepared.directory().resolve(".switchboard")).doesNotExist();
    }

    @Test
    void theAgentsChangesAreReportedAndTheOriginalIsUntouched() throws IOException {
        PreparedWorkspace prepared = workspaces.prepare("a", 1, List.of());
        writeIn(prepared.directory(), "README.md", "# Edited\n");
        writeIn(prepared.directory(), "src/New.java", "class New {}\n");
        Files.delete(prepared.directory().resolve("old.txt"));

        WorkspaceResult result = workspaces.finish(prepared, "Task a", "codex");

        assertThat(result.commit()).isEmpty();
        assertThat(result.changedFiles()).containsExactly(new ChangedFile("README.md", MODIFIED),
                new ChangedFile("old.txt", DELETED), new ChangedFile("src/New.java", ADDED));
        assertThat(result.diffStat()).isEqualTo("3 files changed: 1 added, 1 modified, 1 deleted");
        assertThat(dir.resolve("README.md")).hasContent("# A project");
        assertThat(dir.resolve("old.txt")).exists();
        assertThat(dir.resolve("src/New.java")).doesNotExist();
        assertThat(prepared.directory().resolve("src/New.java")).as("the copy stays").exists();
    }

    @Test
    void twoTasksNeverSeeEachOthersEdits() {
        PreparedWorkspace a = workspaces.prepare("a", 1, List.of());
        PreparedWorkspace b = workspaces.prepare("b", 1, List.of());

        writeIn(a.directory(), "README.md", "# By a\n");
        writeIn(b.directory(), "b.txt", "b\n");

        assertThat(b.directory().resolve("README.md")).hasContent("# A project");
        assertThat(a.directory().resolve("b.txt")).doesNotExist();
        assertThat(workspaces.finish(b, "Task b", "codex").changedFiles())
                .containsExactly(new ChangedFile("b.txt", ADDED));
    }

    @Test
    void aRetryGetsAFreshCopyAndTheFailedAttemptsCopyIsDeleted() {
        PreparedWorkspace first = workspaces.prepare("a", 1, List.of());
        writeIn(first.directory(), "leftover.txt", "from the failed attempt\n");
        writeIn(first.directory(), "README.md", "# Half done\n");
        workspaces.finish(first, "Task a", "codex");

        PreparedWorkspace second = workspaces.prepare("a", 2, List.of());

        assertThat(second.directory()).isEqualTo(dir.resolve(".switchboard/copies/a-2"));
        assertThat(first.directory()).doesNotExist();
        assertThat(second.directory().resolve("leftover.txt")).doesNotExist();
        assertThat(second.directory().resolve("README.md")).hasContent("# A project");
    }

    @Test
    void linksStayLinksAndPermissionsAreKept() throws IOException {
        Path script = dir.resolve("build.sh");
        Files.writeString(script, "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(dir.resolve("link"), Path.of("README.md"));

        PreparedWorkspace prepared = workspaces.prepare("a", 1, List.of());

        Path copy = prepared.directory();
        assertThat(Files.getPosixFilePermissions(copy.resolve("build.sh")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
        assertThat(Files.isSymbolicLink(copy.resolve("link"))).isTrue();
        assertThat(Files.readSymbolicLink(copy.resolve("link"))).isEqualTo(Path.of("README.md"));

        Files.setPosixFilePermissions(copy.resolve("build.sh"), PosixFilePermissions.fromString("rw-r-----"));
        Files.delete(copy.resolve("link"));
        Files.writeString(copy.resolve("link"), "now a file\n");
        assertThat(workspaces.finish(prepared, "Task a", "codex").changedFiles())
                .containsExactly(new ChangedFile("build.sh", MODIFIED), new ChangedFile("link", TYPE_CHANGED));
    }

    @Test
    void aConfiguredRootInsideTheProjectIsNotCopiedIntoItself() {
        TaskWorkspaces custom = TaskWorkspaces.forProject(dir, WorkspaceSettings.defaults()
                .withCopyRoot(Path.of("work")));

        PreparedWorkspace a = custom.prepare("a", 1, List.of());
        PreparedWorkspace b = custom.prepare("b", 1, List.of());

        assertThat(b.directory()).isEqualTo(dir.resolve("work/b-1"));
        assertThat(b.directory().resolve("work")).doesNotExist();
        assertThat(custom.finish(a, "Task a", "codex").changedFiles()).isEmpty();
    }
}
