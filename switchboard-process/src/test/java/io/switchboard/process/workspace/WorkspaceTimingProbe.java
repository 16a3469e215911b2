package io.switchboard.process.workspace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Measures what a task's workspace costs: preparing and finishing one worktree in a small repository, and one
 * copy of the same project outside git, each the median of {@value #ROUNDS} rounds after {@value #WARM_UP}
 * unmeasured ones. Prints one line per measurement. Not a test: run it by hand with the module's test classpath
 * (the temporary folder is {@code java.io.tmpdir}'s).
 *
 * <p>The project: {@value #FILES} files of 2 KiB in 10 folders, one commit; and, to show the fixed cost, a
 * repository of one file.
 */
public final class WorkspaceTimingProbe {
    private static final int ROUNDS = 20;
    private static final int WARM_UP = 3;
    private static final int FILES = 100;

    private WorkspaceTimingProbe() {
    }

    public static void main(String[] args) throws IOException {
        Path work = Files.createTempDirectory("workspace-timing").toRealPath();
        try {
            Path repository = Files.createDirectory(work.resolve("repository"));
            TestRepository repo = TestRepository.in(repository);
            fill(repository);
            repo.commit("A small project");
            GitWorktrees worktrees = GitWorktrees.open(repository, WorkspaceSettings.defaults());
            measure("worktree: prepare + finish, nothing changed", attempt -> {
                PreparedWorkspace prepared = worktrees.prepare("t", attempt, List.of());
                worktrees.finish(prepared, "Timing", "probe");
            });
            measure("worktree: prepare + finish, one file changed (a commit)", attempt -> {
                PreparedWorkspace prepared = worktrees.prepare("u", attempt, List.of());
                TestRepository.writeIn(prepared.directory(), "dir-0/file-0.txt", "changed " + attempt + "\n");
                worktrees.finish(prepared, "Timing", "probe");
            });
            measure("git worktree add + remove alone", attempt -> {
                Path folder = work.resolve("bare-" + attempt);
                repo.git("worktree", "add", "--quiet", "-B", "probe", folder.toString(), "HEAD");
                repo.git("worktree", "remove", "--force", folder.toString());
            });

            Path tiny = Files.createDirectory(work.resolve("tiny"));
            TestRepository.in(tiny);
            GitWorktrees tinyWorktrees = GitWorktrees.open(tiny, WorkspaceSettings.defaults());
            measure("worktree of a one-file repository: prepare + finish", attempt -> {
                PreparedWorkspace prepared = tinyWorktrees.prepare("t", attempt, List.of());
                tinyWorktrees.finish(prepared, "Timing", "probe");
            });

            Path project = Files.createDirectory(work.resolve("project"));
            fill(project);
            TaskWorkspaces copies = TaskWorkspaces.forProject(project, WorkspaceSettings.defaults());
            if (copies.inGitRepository()) {
                throw new IllegalStateException(project + " is inside a git repository; the copy is not measured");
            }
            measure("copy: prepare (deletes the previous copy) + finish (compares)", attempt -> {
                PreparedWorkspace prepared = copies.prepare("c", attempt, List.of());
                copies.finish(prepared, "Timing", "probe");
            });
            measure("copy: copy + delete alone", attempt -> {
                try {
                    Path folder = work.resolve("copy-" + attempt);
                    DirectoryTree.copy(project, folder, Set.of(project.resolve(".switchboard")));
                    DirectoryTree.delete(folder);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            System.out.println("git: " + repo.git("--version") + "; java: " + Runtime.version() + "; cpus: "
                    + Runtime.getRuntime().availableProcessors());
        } finally {
            DirectoryTree.delete(work);
        }
    }

    private static void fill(Path root) {
        String content = "x".repeat(2047) + "\n";
        for (int i = 0; i < FILES; i++) {
            TestRepository.writeIn(root, "dir-" + (i % 10) + "/file-" + i + ".txt", content);
        }
    }

    private static void measure(String what, IntConsumer round) {
        List<Long> micros = new ArrayList<>();
        for (int attempt = 1; attempt <= WARM_UP + ROUNDS; attempt++) {
            long started = System.nanoTime();
            round.accept(attempt);
            if (attempt > WARM_UP) {
                micros.add((System.nanoTime() - started) / 1000);
            }
        }
        Collections.sort(micros);
        long median = (micros.get(ROUNDS / 2 - 1) + micros.get(ROUNDS / 2)) / 2;
        System.out.printf("%-62s median %6.1f ms  (min %6.1f, max %6.1f, %d rounds)%n", what, median / 1000.0,
                micros.get(0) / 1000.0, micros.get(ROUNDS - 1) / 1000.0, ROUNDS);
    }
}
