package io.switchboard.process.workspace;

import static io.switchboard.process.workspace.ChangedFile.Change.ADDED;
import static io.switchboard.process.workspace.TestRepository.writeIn;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many tasks preparing and finishing worktrees of one repository at once, from their own threads. Without the
 * repository lock this fails in most runs: {@code git worktree add} reads the metadata of a worktree another
 * command is still writing ({@code fatal: failed to read .git/worktrees/task-5-3/commondir}).
 */
class ConcurrentWorkspacesTest {
    private static final int TASKS = 8;
    private static final int ATTEMPTS = 4;
    private static final long BARRIER_TIMEOUT_SECONDS = 60;

    @TempDir
    Path dir;

    @Test
    void eightTasksPreparingAndFinishingAtOnceAllSucceed() throws Exception {
        dir = dir.toRealPath();
        TestRepository repo = TestRepository.in(dir);
        // Two instances on one repository, as two parts of a program might open: they share its lock.
        GitWorktrees one = GitWorktrees.open(dir, WorkspaceSettings.defaults());
        GitWorktrees two = GitWorktrees.open(dir, WorkspaceSettings.defaults());
        Barrier together = new Barrier(TASKS);

        List<Future<List<WorkspaceResult>>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(TASKS)) {
            for (int i = 0; i < TASKS; i++) {
                String task = "task-" + i;
                GitWorktrees workspaces = i % 2 == 0 ? one : two;
                futures.add(threads.submit(() -> {
                    try {
                        List<WorkspaceResult> attempts = new ArrayList<>();
                        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                            // Started together; the first prepared commits while the others still prepare.
                            together.await();
                            PreparedWorkspace prepared = workspaces.prepare(task, attempt, List.of());
                            writeIn(prepared.directory(), task + ".txt", task + " attempt " + attempt + "\n");
                            attempts.add(workspaces.finish(prepared, "Task " + task, "agent-" + attempt));
                        }
                        return attempts;
                    } catch (Throwable failure) {
                        together.breakFor(failure);
                        throw failure;
                    }
                }));
            }
        }
        List<List<WorkspaceResult>> results = results(futures);

        for (int i = 0; i < TASKS; i++) {
            String task = "task-" + i;
            for (WorkspaceResult result : results.get(i)) {
                assertThat(result.changedFiles()).containsExactly(new ChangedFile(task + ".txt", ADDED));
            }
            WorkspaceResult last = results.get(i).get(ATTEMPTS - 1);
            assertThat(last.commit()).contains(repo.commitOf("switchboard/" + task));
            assertThat(repo.filesAt("switchboard/" + task)).containsExactly("README.md", task + ".txt");
            assertThat(repo.show("switchboard/" + task, task + ".txt")).isEqualTo(task + " attempt " + ATTEMPTS);
        }
        assertThat(repo.worktrees()).containsExactly(dir.toString());
        assertThat(repo.status()).isEmpty();

        MergeReport merged = one.merge(IntStream.range(0, TASKS).mapToObj(i -> "task-" + i).toList());
        assertThat(merged.complete()).isTrue();
        assertThat(repo.filesAt("main")).hasSize(TASKS + 1);
    }

    /** Every thread's results; the first failure that is not a broken barrier, when any thread failed. */
    private static <T> List<T> results(List<Future<T>> futures) throws InterruptedException {
        List<T> results = new ArrayList<>();
        Throwable failure = null;
        for (Future<T> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                if (failure == null || failure instanceof BrokenBarrierException
                        || failure instanceof TimeoutException) {
                    failure = e.getCause();
                }
            }
        }
        if (failure != null) {
            throw new AssertionError("a task's thread failed", failure);
        }
        return results;
    }

    /** Lets the threads start each step together; once one has failed, the others stop waiting. */
    private static final class Barrier {
        private final CyclicBarrier barrier;
        private final AtomicBoolean broken = new AtomicBoolean();

        Barrier(int parties) {
            barrier = new CyclicBarrier(parties);
        }

        void await() throws InterruptedException, BrokenBarrierException, TimeoutException {
            if (broken.get()) {
                throw new BrokenBarrierException();
            }
            barrier.await(BARRIER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        void breakFor(Throwable failure) {
            broken.set(true);
            barrier.reset();
        }
    }
}
