package io.switchboard.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real git repository in a test's folder, on branch {@code main}, with a person's identity and a first commit of
 * whatever the folder holds. Its methods run git directly, not through the code under test.
 */
record GitRepo(Path dir) {

    /** Initialises a repository in the folder and commits everything in it. */
    static GitRepo in(Path dir) {
        GitRepo repo = new GitRepo(dir);
        repo.git("init", "-q", "-b", "main");
        repo.git("config", "user.name", "Test Person");
        repo.git("config", "user.email", "person@example.com");
        repo.git("config", "commit.gpgSign", "false");
        repo.commitAll("First commit");
        return repo;
    }

    /** Runs git here; it must succeed. @return its standard output, trimmed */
    String git(String... args) {
        Result result = run(args);
        if (result.status() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + " in " + dir + " exited with "
                    + result.status() + ": " + result.output());
        }
        return result.output();
    }

    /** Runs git here, whatever it returns. */
    Result run(String... args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(argv + " did not finish within 30 s");
            }
            return new Result(process.exitValue(), output.strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    record Result(int status, String output) {
    }

    String commitAll(String message) {
        git("add", "--all");
        git("commit", "-q", "--allow-empty", "-m", message);
        return git("rev-parse", "HEAD");
    }

    /** The files a revision holds. */
    List<String> filesAt(String revision) {
        return List.of(git("ls-tree", "-r", "--name-only", revision).split("\n"));
    }

    /** A file's content at a revision. */
    String show(String revision, String path) {
        return git("show", revision + ":" + path);
    }

    /** Subjects of the commits on HEAD, newest first. */
    List<String> log() {
        return List.of(git("log", "--format=%s").split("\n"));
    }

    boolean exists(String path) {
        return Files.exists(dir.resolve(path));
    }
}
