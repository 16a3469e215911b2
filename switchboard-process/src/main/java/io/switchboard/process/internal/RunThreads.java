package io.switchboard.process.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads runs are supervised on: daemon platform threads, started as runs need them and kept for a minute
 * once idle, so that a run usually starts none. One per runner.
 *
 * <p>A thread carries the name of what it is doing while it does it ({@code switchboard-stdout-PID}, …), and
 * {@code switchboard-idle-N} between runs. A task that never ends (an output stream held open by a process
 * that escaped, see {@link SupervisedRun}) keeps its thread; the pool starts another for the next run.
 */
final class RunThreads {
    private static final AtomicInteger NUMBER = new AtomicInteger();

    private final ExecutorService pool = Executors.newCachedThreadPool(body -> {
        Thread thread = new Thread(body, "switchboard-idle-" + NUMBER.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    /** Runs {@code body} on a thread of its own, named {@code name} while it runs. */
    void run(String name, Runnable body) {
        pool.execute(() -> {
            Thread thread = Thread.currentThread();
            String idle = thread.getName();
            thread.setName(name);
            try {
                body.run();
            } finally {
                thread.setName(idle);
            }
        });
    }
}
