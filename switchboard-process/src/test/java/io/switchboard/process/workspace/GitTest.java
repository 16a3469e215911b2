package io.switchboard.process.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running git: argv, time limit, and errors that say what failed. */
class GitTest {
    @TempDir
    Path dir;

    @Test
    void aFailureNamesTheCommandTheFolderAndWhatGitSaid() {
        TestRepository.in(dir);
        Git git = new Git("git", Duration.ofSeconds(30));

        assertThatThrownBy(() -> git.run(dir, "rev-parse", "--verify", "no-such-branch"))
                .isInstanceOfSatisfying(GitException.class, e -> {
                    assertThat(e.command()).containsExactly("git", "rev-parse", "--verify", "no-such-branch");
                    assertThat(e.directory()).isEqualTo(dir);
                    assertThat(e.exitCode()).isEqualTo(128);
                    assertThat(e.stderr()).isEqualTo("fatal: Needed a single revision");
                })
                .hasMessage("git rev-parse --verify no-such-branch (in " + dir + ") failed with exit status 128: "
                        + "fatal: Needed a single revision");
    }

    @Test
    void aCommandPastItsTimeLimitIsKilledAndSaysSo() throws IOException {
        Path slow = script("slow-git", "#!/bin/sh\necho 'about to hang' >&2\nexec sleep 60\n");
        Git git = new Git(slow.toString(), Duration.ofMillis(300));
        long started = System.nanoTime();

        assertThatThrownBy(() -> git.attempt(dir, "status"))
                .isInstanceOfSatisfying(GitException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(GitException.NO_EXIT_CODE))
                .hasMessage("git status (in " + dir + ") did not finish within PT0.3S and was killed; its standard "
                        + "error: about to hang");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aProgramThatCannotBeStartedIsAnErrorNamingIt() {
        Git git = new Git(dir.resolve("no-git").toString(), Duration.ofSeconds(5));

        assertThatThrownBy(() -> git.attempt(dir, "status"))
                .isInstanceOfSatisfying(GitException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(GitException.NO_EXIT_CODE))
                .hasMessageStartingWith("git status (in " + dir + ") could not be started (program '"
                        + dir.resolve("no-git") + "')");
    }

    @Test
    void withoutGitAFolderOutsideAnyRepositoryGetsCopies() {
        TaskWorkspaces workspaces = TaskWorkspaces.forProject(dir,
                WorkspaceSettings.defaults().withGitProgram(dir.resolve("no-git").toString()));

        assertThat(workspaces.inGitRepository()).isFalse();
    }

    @Test
    void withoutGitAFolderInARepositoryIsAnError() {
        TestRepository.in(dir);

        assertThatThrownBy(() -> TaskWorkspaces.forProject(dir,
                WorkspaceSettings.defaults().withGitProgram(dir.resolve("no-git").toString())))
                .isInstanceOf(WorkspaceException.class)
                .hasMessageStartingWith(dir + " is in a git repository (" + dir.resolve(".git") + ") but git cannot "
                        + "be run: git rev-parse --show-toplevel");
    }

    @Test
    void gitIsGivenItsOptionsBeforeTheCommand() throws IOException {
        Path argv = dir.resolve("argv.txt");
        Path fake = script("fake-git", "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + argv + "'\n");
        Git git = new Git(fake.toString(), Duration.ofSeconds(5));

        git.run(dir, "status", "--porcelain");

        assertThat(Files.readAllLines(argv)).isEqualTo(List.of("-c", "gc.auto=0", "-c", "maintenance.auto=false",
                "-c", "color.ui=false", "-c", "core.quotePath=false", "status", "--porcelain"));
    }

    private Path script(String name, String text) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
