package io.switchboard.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One way of dispatching tasks to workers that {@link DistributedThroughput} measures: a reference (db-scheduler,
 * JobRunr, a bare RabbitMQ loop) or Switchboard itself. Each round, one thread submits N no-op tasks while the leg's
 * workers run them, and the round is timed from the first submission to the last completion. Every leg is measured
 * every way of {@link Submission} each round.
 *
 * <p>A leg sets up what it needs (tables, queues, pools) when it is made and removes it in {@link #close}; its
 * workers run only during a round, so that legs taking turns do not load the machine for each other.
 */
interface DistributedLeg extends AutoCloseable {
    /** The leg's short name, as the summary and the targets name it. */
    String name();

    /** How the leg is set up (its workers, its polling, its window), as the summary shows it. */
    String configuration();

    /** Submits {@code tasks} no-op tasks, the given way, and returns once every one has completed. */
    Round round(int tasks, Submission submission) throws Exception;

    /** Tasks a second when {@link Submission#PACED}. */
    int PACED_PER_SECOND = 50;

    /** How the submitting thread hands tasks over. */
    enum Submission {
        /**
         * Each task durable before the next is submitted: its own committed transaction, or its publish confirmed by
         * the broker. As a client submitting tasks one by one.
         */
        ONE_AT_A_TIME("one at a time"),
        /**
         * Many tasks in flight at once: {@link DistributedThroughput#BATCH} a transaction on PostgreSQL, or publishes
         * under a window of unconfirmed ones on RabbitMQ. As a relay or a plan hands tasks over.
         */
        BULK("in bulk"),
        /**
         * One at a time, as {@link #ONE_AT_A_TIME}, at a steady {@value DistributedLeg#PACED_PER_SECOND} tasks a
         * second: a moderate load, below what every leg but JobRunr completes, so that latency is a task's way through
         * rather than a backlog's wait. Its rounds are shorter ({@link Plan#distributedPacedTasks}).
         */
        PACED("paced, " + PACED_PER_SECOND + "/s");

        private final String text;

        Submission(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Removes what the leg set up: its tables' rows, its queue, its connections. */
    @Override
    void close();

    /**
     * One round of a leg.
     *
     * @param perSecond tasks completed per second, from the first submission to the last completion
     * @param submittedPerSecond tasks submitted per second, from the first submission to the last one's return
     * @param fromFirstStartPerSecond tasks completed per second from the first start of a task's work to the last
     *     completion: the rate once the workers had begun, without what went before (a first poll)
     * @param latency from a task's submission (the call begun) to the start of its no-op work on a worker, in µs
     * @param breakdown where the time went, for a leg that looks inside itself; {@link Breakdown#NONE} otherwise
     */
    record Round(int tasks, Submission submission, double perSecond, double submittedPerSecond,
            double fromFirstStartPerSecond, RouteLatency.Latency latency, Breakdown breakdown) {
        /** This round with where its time went. */
        Round with(Breakdown where) {
            return new Round(tasks, submission, perSecond, submittedPerSecond, fromFirstStartPerSecond, latency,
                    where);
        }
    }

    /**
     * What a round records, written by the submitting thread and the workers: when each task was submitted, when
     * its work started, and when the last one completed.
     */
    final class Tally {
        /** How long a round may go without a completion before it is given up. */
        static final Duration STALL = Duration.ofSeconds(60);

        private final long[] submitted;
        private final long[] started;
        private final CountDownLatch completed;
        private final AtomicLong lastCompleted = new AtomicLong(Long.MIN_VALUE);
        private final long paceNanos;
        private long submittedAll;

        /** A round whose tasks are submitted as fast as the leg takes them. */
        Tally(int tasks) {
            this(tasks, Submission.ONE_AT_A_TIME);
        }

        /** A round submitted the given way: {@link Submission#PACED} paces {@link #submitting}. */
        Tally(int tasks, Submission submission) {
            submitted = new long[tasks];
            started = new long[tasks];
            completed = new CountDownLatch(tasks);
            paceNanos = submission == Submission.PACED ? TimeUnit.SECONDS.toNanos(1) / PACED_PER_SECOND
                    : 0;
        }

        int tasks() {
            return submitted.length;
        }

        /**
         * Task {@code index} is about to be submitted (the call that submits it begins). When paced, this first waits
         * for the task's turn: the first submission's time plus {@code index} paces.
         */
        void submitting(int index) {
            if (paceNanos > 0 && index > 0) {
                long due = submitted[0] + index * paceNanos;
                for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
                    LockSupport.parkNanos(left);
                }
            }
            submitted[index] = System.nanoTime();
        }

        /** Every task has been submitted. */
        void submittedAll() {
            submittedAll = System.nanoTime();
        }

        /** Task {@code index}'s work has started on a worker (before {@link #completed} on the same thread). */
        void started(int index) {
            started[index] = System.nanoTime();
        }

        /** One task has completed: its completion is durable, or acknowledged, as the leg defines. */
        void completed() {
            lastCompleted.accumulateAndGet(System.nanoTime(), Math::max);
            completed.countDown();
        }

        /**
         * Waits until every task has completed and makes the round of it.
         *
         * @throws IllegalStateException when no task has completed for {@link #STALL} while some are left (a server
         *     that went away, a task lost), or a task never started
         */
        Round await(String leg, Submission submission) throws InterruptedException {
            return await(leg, submission, STALL);
        }

        Round await(String leg, Submission submission, Duration stall) throws InterruptedException {
            long left = completed.getCount();
            long progressed = System.nanoTime();
            while (!completed.await(Math.min(stall.toNanos(), TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS)) {
                long now = System.nanoTime();
                if (completed.getCount() != left) {
                    left = completed.getCount();
                    progressed = now;
                } else if (now - progressed >= stall.toNanos()) {
                    throw new IllegalStateException(leg + ": " + left + " of " + tasks() + " tasks had not completed, "
                            + "and none had completed for " + stall.toSeconds() + " s");
                }
            }
            List<Long> latencies = new ArrayList<>(tasks());
            long firstStart = Long.MAX_VALUE;
            for (int i = 0; i < tasks(); i++) {
                if (started[i] == 0) {
                    throw new IllegalStateException(leg + ": " + tasks() + " completions were counted, but task "
                            + i + " never started (some task ran more than once)");
                }
                latencies.add(started[i] - submitted[i]);
                firstStart = Math.min(firstStart, started[i]);
            }
            long first = submitted[0];
            long last = lastCompleted.get();
            return new Round(tasks(), submission, tasks() / ((last - first) / 1e9),
                    tasks() / ((submittedAll - first) / 1e9), tasks() / ((last - firstStart) / 1e9),
                    RouteLatency.Latency.of(latencies), Breakdown.NONE);
        }
    }
}
