package io.switchboard.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationLockTest {
    @TempDir
    Path folder;

    @Test
    void theLockFileSitsBesideTheDatabaseWhateverLinkNamesIt() throws Exception {
        Path real = Files.createDirectories(folder.resolve("real"));
        Path link = Files.createSymbolicLink(folder.resolve("link"), real);

        // A file not made yet, named through the link and directly: one lock file, in the real folder.
        assertThat(MigrationLock.beside(link.resolve("state.db")).file())
                .isEqualTo(MigrationLock.beside(real.resolve("state.db")).file())
                .isEqualTo(real.toRealPath().resolve("state.db-migrate"));
        // A file that exists, named through a link of its own.
        Files.createFile(real.resolve("state.db"));
        Path fileLink = Files.createSymbolicLink(folder.resolve("other.db"), real.resolve("state.db"));
        assertThat(MigrationLock.beside(fileLink).file()).isEqualTo(real.toRealPath().resolve("state.db-migrate"));
    }

    @Test
    void threadsOfOneProcessMigrateOneAtATime() throws Exception {
        Path database = folder.resolve("state.db");
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    // Each opening makes its own lock object, as each Database does.
                    return MigrationLock.beside(database).holding(() -> {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        // Long enough for the others, started together, to be at the lock: without it they would be
                        // in here too. A correct lock passes whatever the timing.
                        sleep(20);
                        return inside.decrementAndGet();
                    });
                }));
            }
            start.countDown();
            for (Future<Integer> run : runs) {
                assertThat(run.get(60, TimeUnit.SECONDS)).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(most.get()).isEqualTo(1);
        assertThat(Files.exists(folder.resolve("state.db-migrate"))).isTrue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
