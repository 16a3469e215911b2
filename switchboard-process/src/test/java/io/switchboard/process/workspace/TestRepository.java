package io.switchboard.process.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real git repository in a test's temporary folder, with a person's identity of its own and one first commit
 * ({@code README.md}), on branch {@code main}. Its methods run git directly, not through the code under test,
 * and need nothing but the JDK (the timing probe uses them too).
 */
final class TestRepository {
    static final String PERSON = "Test Person <person@example.com>";

    final Path dir;

    private TestRepository(Path dir) {
        this.dir = dir;
    }

    /** A repository with a first commit and no {@code .gitignore}. */
    static TestRepository in(Path dir) {
        TestRepository repository = new TestRepository(dir);
        repository.git("init", "-q", "-b", "main");
        repository.git("config", "user.name", "Test Person");
        repository.git("config", "user.email", "person@example.com");
        repository.git("config", "commit.gpgSign", "false");
        repository.write("README.md", "# A project\n");
        repository.commit("First commit");
        return repository;
    }

    /** Runs git here; it must succeed. @return its standard output, trimmed */
    String git(String... args) {
        return gitIn(dir, args);
    }

    /** Runs git in a folder; it must succeed. @return its standard output, trimmed */
    static String gitIn(Path folder, String... args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(argv).directory(folder.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(argv + " in " + folder + " did not finish within 30 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(argv + " in " + folder + " exited with " + process.exitValue() + ": "
                        + output);
            }
            return output.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    void write(String path, String content) {
        writeIn(dir, path, content);
    }

    static void writeIn(Path folder, String path, String content) {
        try {
            Path file = folder.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Commits everything as the repository's person. @return the commit */
    String commit(String message) {
        git("add", "--all");
        git("commit", "-q", "-m", message);
        return head();
    }

    String head() {
        return git("rev-parse", "HEAD");
    }

    String commitOf(String revision) {
        return git("rev-parse", revision);
    }

    /** {@code git status --porcelain}, untracked files included: empty for a clean checkout. */
    String status() {
        return git("status", "--porcelain", "--untracked-files=all");
    }

    /** The content of a file at a revision. */
    String show(String revision, String path) {
        return git("show", revision + ":" + path);
    }

    /** The files a revision holds. */
    List<String> filesAt(String revision) {
        return List.of(git("ls-tree", "-r", "--name-only", revision).split("\n"));
    }

    List<String> branches() {
        return List.of(git("branch", "--format=%(refname:short)").split("\n"));
    }

    /** The paths of the repository's worktrees, the checkout's own first. */
    List<String> worktrees() {
        return git("worktree", "list", "--porcelain").lines().filter(line -> line.startsWith("worktree "))
                .map(line -> line.substring("worktree ".length())).toList();
    }
}
