package io.switchboard.store.internal;

import io.switchboard.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Lets one process at a time migrate a SQLite file: an exclusive lock on a file beside it ({@code NAME-migrate}),
 * taken by the operating system, and a lock per file within this JVM (the operating system's lock is the process's,
 * so two threads of one process would both hold it).
 *
 * <p>Without it, processes started together on a new file (an orchestrator and its workers) each find the schema
 * behind and run Liquibase at once; SQLite lets one write, the others wait {@code busy_timeout} and fail half-way.
 * With it, the others wait here, and once in, find the schema current and run nothing. The lock file is left in
 * place, empty: deleting it while another process waits on it would let a third one in beside that one.
 * PostgreSQL needs none of this: Liquibase's own lock table serialises its migrations there.
 */
public final class MigrationLock {
    /** How long a process waits for another's migration before it gives up, saying so. */
    static final Duration PATIENCE = Duration.ofMinutes(5);

    private static final ConcurrentHashMap<Path, ReentrantLock> IN_THIS_JVM = new ConcurrentHashMap<>();

    private final Path lockFile;

    private MigrationLock(Path lockFile) {
        this.lockFile = lockFile;
    }

    /**
     * The lock for the SQLite database in {@code databaseFile}, taken by its real path (or its folder's, for a file not
     * made yet), so that processes that name one file through different links take one lock.
     */
    public static MigrationLock beside(Path databaseFile) {
        Path real = databaseFile.toAbsolutePath().normalize();
        try {
            real = real.toRealPath();
        } catch (IOException notYet) {
            try {
                real = real.getParent().toRealPath().resolve(real.getFileName());
            } catch (IOException noFolder) {
                // Opening the database says what is wrong with the folder; the path as given serves meanwhile.
            }
        }
        return new MigrationLock(real.resolveSibling(real.getFileName() + "-migrate"));
    }

    /** Where the lock is taken. */
    public Path file() {
        return lockFile;
    }

    /** Runs {@code migration} holding the lock, waiting for it up to {@link #PATIENCE}. */
    public <T> T holding(Supplier<T> migration) {
        ReentrantLock local = IN_THIS_JVM.computeIfAbsent(lockFile, file -> new ReentrantLock());
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        try {
            if (!local.tryLock(PATIENCE.toNanos(), TimeUnit.NANOSECONDS)) {
                throw waitedTooLong();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while waiting to migrate the schema (" + lockFile + ")", e);
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = acquire(channel, deadline)) {
            return migration.get();
        } catch (IOException e) {
            throw new StoreException("Could not lock " + lockFile + " to migrate the schema: " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }

    /** The operating system's lock, tried again every 50 ms until the deadline (a blocking lock has no timeout). */
    private FileLock acquire(FileChannel channel, long deadline) throws IOException {
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            if (System.nanoTime() - deadline > 0) {
                throw waitedTooLong();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("Interrupted while waiting to migrate the schema (" + lockFile + ")", e);
            }
        }
    }

    private StoreException waitedTooLong() {
        return new StoreException("Another process has been migrating this database's schema for over "
                + PATIENCE.toMinutes() + " minutes (it holds " + lockFile + "); find that process, or whether one "
                + "stopped half-way, before opening the database again");
    }
}
