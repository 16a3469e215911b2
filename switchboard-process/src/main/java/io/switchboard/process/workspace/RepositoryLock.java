package io.switchboard.process.workspace;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per repository, for the git commands that change what all its worktrees share: the worktree list,
 * branches being created or reset, the checkout's own branch. Git guards these with lock files it does not wait
 * for ({@code index.lock}, {@code packed-refs.lock}, the worktree metadata): two commands at once make one
 * fail. Within this JVM the lock is a {@link ReentrantLock} per repository, whatever number of
 * {@link GitWorktrees} are open on it; across processes (two orchestrators on one repository) it is also an
 * exclusive lock on the file {@value #FILE_NAME} in the repository's common git folder.
 */
final class RepositoryLock {
    static final String FILE_NAME = "switchboard-workspaces.lock";

    private static final ConcurrentMap<Path, RepositoryLock> LOCKS = new ConcurrentHashMap<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Path file;

    private RepositoryLock(Path file) {
        this.file = file;
    }

    /** The lock of the repository whose common git folder this is (its real path). */
    static RepositoryLock of(Path commonGitDirectory) {
        return LOCKS.computeIfAbsent(commonGitDirectory, dir -> new RepositoryLock(dir.resolve(FILE_NAME)));
    }

    /** Runs {@code work} holding the lock; a thread that already holds it just runs it. */
    <T> T locked(Supplier<T> work) {
        lock.lock();
        try {
            if (lock.getHoldCount() > 1) {
                return work.get();
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock held = channel.lock();
                try {
                    return work.get();
                } finally {
                    held.release();
                }
            } catch (IOException e) {
                throw new WorkspaceException("could not lock the repository through " + file + ": " + e, e);
            }
        } finally {
            lock.unlock();
        }
    }

    void run(Runnable work) {
        locked(() -> {
            work.run();
            return null;
        });
    }
}
