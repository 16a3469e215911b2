package io.switchboard.process.workspace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs {@code git} as an argv (never through a shell) in a given folder, with a time limit, both output streams
 * captured. Thread-safe; holds no state between commands.
 *
 * <p>Every command gets the same configuration options, so that a user's configuration cannot make our own
 * commands fail or leave something running: no automatic garbage collection or maintenance (they run in the
 * background after a commit and would hold the repository's locks while other tasks work), no colour, paths
 * printed as they are. Its environment is this process's without the variables that would point git at
 * another repository ({@code GIT_DIR} and the like, set when we run inside a git hook), with English
 * messages and no password prompt.
 */
final class Git {
    /** Options put before every command; left out of the command an error shows. */
    private static final List<String> OPTIONS = List.of("-c", "gc.auto=0", "-c", "maintenance.auto=false",
            "-c", "color.ui=false", "-c", "core.quotePath=false");

    /** Variables that point git at a repository, an index or objects other than the folder's own. */
    private static final Set<String> REPOSITORY_VARIABLES = Set.of("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE",
            "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_NAMESPACE",
            "GIT_PREFIX", "GIT_QUARANTINE_PATH");

    /** Once git has exited, how long its output streams may stay open (a child it left behind). */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    /** The most of standard error an exception message quotes. */
    private static final int MESSAGE_STDERR_CHARS = 2000;

    private final String program;
    private final Duration timeout;
    private final Map<String, String> environment;

    Git(String program, Duration timeout) {
        this.program = program;
        this.timeout = timeout;
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeAll(REPOSITORY_VARIABLES);
        env.put("LC_ALL", "C");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_EDITOR", "true");
        this.environment = Map.copyOf(env);
    }

    /**
     * What one command did.
     *
     * @param command the command as a person would type it (without {@link #OPTIONS})
     */
    record Result(List<String> command, Path directory, int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }

        /** The standard output's first line, without its line end. */
        String line() {
            int end = stdout.indexOf('\n');
            return end < 0 ? stdout : stdout.substring(0, end);
        }

        /** The exception that says this command failed. */
        GitException failure() {
            return new GitException(command, directory, exitCode, stderr.strip(), String.join(" ", command)
                    + " (in " + directory + ") failed with exit status " + exitCode + ": " + quoted(stderr), null);
        }

        /** This result when the command succeeded. @throws GitException when it did not */
        Result orThrow() {
            if (!ok()) {
                throw failure();
            }
            return this;
        }
    }

    /** Runs {@code git args…} in {@code directory}; a command that must succeed. */
    Result run(Path directory, String... args) {
        return attempt(directory, Map.of(), args).orThrow();
    }

    /** Runs {@code git args…} in {@code directory} with extra environment; a command that must succeed. */
    Result run(Path directory, Map<String, String> extraEnvironment, String... args) {
        return attempt(directory, extraEnvironment, args).orThrow();
    }

    /** Runs {@code git args…}, whatever its exit status (the caller reads it). */
    Result attempt(Path directory, String... args) {
        return attempt(directory, Map.of(), args);
    }

    /**
     * Runs {@code git args…} in {@code directory} and returns what it did, whatever its exit status.
     *
     * @throws GitException when git cannot be started, or runs past the time limit (it is killed, with its
     *     descendants), or the calling thread is interrupted (likewise; the interrupt flag stays set)
     */
    Result attempt(Path directory, Map<String, String> extraEnvironment, String... args) {
        List<String> command = new ArrayList<>(args.length + 1);
        command.add("git");
        command.addAll(List.of(args));
        List<String> argv = new ArrayList<>(OPTIONS.size() + args.length + 1);
        argv.add(program);
        argv.addAll(OPTIONS);
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(directory.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().putAll(extraEnvironment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new GitException(command, directory, GitException.NO_EXIT_CODE, "", String.join(" ", command)
                    + " (in " + directory + ") could not be started (program '" + program + "'): " + e.getMessage(),
                    e);
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // Git reads nothing from us; a pipe it already closed changes nothing.
        }
        FutureTask<byte[]> stdout = drain(process.getInputStream(), "stdout");
        FutureTask<byte[]> stderr = drain(process.getErrorStream(), "stderr");
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                kill(process);
                throw new GitException(command, directory, GitException.NO_EXIT_CODE, text(stderr),
                        String.join(" ", command) + " (in " + directory + ") did not finish within " + timeout
                                + " and was killed; its standard error: " + quoted(text(stderr)), null);
            }
            return new Result(command, directory, process.exitValue(), text(stdout), text(stderr));
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new GitException(command, directory, GitException.NO_EXIT_CODE, "", String.join(" ", command)
                    + " (in " + directory + ") was interrupted and killed", e);
        }
    }

    private static FutureTask<byte[]> drain(InputStream stream, String name) {
        FutureTask<byte[]> task = new FutureTask<>(() -> {
            try (stream) {
                return stream.readAllBytes();
            }
        });
        Thread.ofPlatform().daemon().name("git-" + name).start(task);
        return task;
    }

    /** What a stream held; what could be read when it stays open past {@link #DRAIN_TIMEOUT}: nothing. */
    private static String text(FutureTask<byte[]> stream) {
        try {
            return new String(stream.get(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } catch (ExecutionException | TimeoutException e) {
            stream.cancel(true);
            return "";
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String quoted(String stderr) {
        String text = stderr.strip();
        if (text.isEmpty()) {
            return "(nothing on standard error)";
        }
        return text.length() <= MESSAGE_STDERR_CHARS ? text
                : "…" + text.substring(text.length() - MESSAGE_STDERR_CHARS);
    }
}
