package io.switchboard.bench;

import java.time.Duration;
import java.util.List;

/**
 * How big and how long each measurement is: {@link #FULL} for the figures in docs/performance.md (about a
 * quarter of an hour on two cores), {@link #QUICK} to see in seconds that everything still runs (its figures
 * mean little).
 *
 * @param routerCandidates the candidate counts the router benchmark runs at
 * @param jmhWarmups JMH warm-up iterations, each {@code jmhIteration} long
 * @param jmhMeasurements JMH measured iterations, each {@code jmhIteration} long
 * @param jmhForks JVMs JMH runs each benchmark in, one after the other
 * @param throughputAgents agents each decision of the throughput measurement is made over
 * @param throughputRound how long one round of one kind of write runs; kinds take turns
 * @param throughputRounds measured rounds of each kind, after one warm-up round each
 * @param routeAgents registered agents for route latency
 * @param historySizes past attempts in the two stores whose route latencies are compared
 * @param routeWarmups operations on each store before measuring
 * @param routeRounds rounds, each {@code routeBatch} operations on one store then on the other
 * @param memoryAgents registered agents for the memory measurement
 * @param memoryDecisions decision rows in its store
 * @param memoryHeap the heap limit of the process measured
 * @param executionRound how long one round of one kind of execution work runs; kinds take turns
 * @param executionWarmUps rounds of every kind run first and not counted: the dispatcher's and the store's code is
 *     compiled by the JIT over several seconds of tasks, the bare spawn loop's (mostly the kernel's) at once
 * @param executionRounds measured rounds of each kind, after the warm-up rounds
 * @param dbSchedulerTasks one-time tasks db-scheduler executes in each round
 * @param dbSchedulerThreads db-scheduler's worker threads
 * @param dbSchedulerPolling db-scheduler's polling interval
 * @param floodBytes what the flooding agent writes to standard output
 * @param floodHeap the heap limit of the process that runs it
 * @param planTasks tasks of the plan whose planning and dispatching is measured
 * @param planParallel the parallelisms the plan is run at
 * @param planWorktreeTasks tasks of the smaller plan run with worktrees
 * @param planRounds measured rounds of the plan measurements, after one warm-up round
 * @param planSeed the seed of the plans' random dependencies
 * @param distributedTasks no-op tasks each leg of the distributed measurement dispatches in a round
 * @param distributedRounds measured rounds of each leg, after one warm-up round
 * @param distributedPacedTasks tasks each leg dispatches in a round when they are paced (a moderate load)
 */
record Plan(
        String name,
        List<Integer> routerCandidates,
        int jmhWarmups,
        int jmhMeasurements,
        Duration jmhIteration,
        int jmhForks,
        int throughputAgents,
        Duration throughputRound,
        int throughputRounds,
        int routeAgents,
        List<Integer> historySizes,
        int routeWarmups,
        int routeRounds,
        int routeBatch,
        int memoryAgents,
        int memoryDecisions,
        String memoryHeap,
        Duration executionRound,
        int executionWarmUps,
        int executionRounds,
        int dbSchedulerTasks,
        int dbSchedulerThreads,
        Duration dbSchedulerPolling,
        long floodBytes,
        String floodHeap,
        int planTasks,
        List<Integer> planParallel,
        int planWorktreeTasks,
        int planRounds,
        long planSeed,
        int distributedTasks,
        int distributedRounds,
        int distributedPacedTasks) {

    static final Plan FULL = new Plan("full", List.of(10, 100, 1_000, 10_000), 3, 5, Duration.ofSeconds(1), 2,
            20, Duration.ofSeconds(2), 7,
            20, List.of(1_000, 1_000_000), 300, 10, 100,
            10_000, 1_000_000, "256m",
            Duration.ofSeconds(2), 3, 7, 4_000, 4, Duration.ofMillis(10), 2L << 30, "64m",
            1_000, List.of(1, 4), 40, 5, 20260105L,
            3_000, 5, 250);

    static final Plan QUICK = new Plan("quick", List.of(10, 100), 1, 2, Duration.ofMillis(200), 1,
            20, Duration.ofMillis(300), 1,
            20, List.of(1_000, 20_000), 30, 2, 20,
            1_000, 20_000, "256m",
            Duration.ofMillis(300), 1, 1, 300, 4, Duration.ofMillis(10), 128L << 20, "64m",
            200, List.of(1, 4), 10, 1, 20260105L,
            200, 1, 50);
}
