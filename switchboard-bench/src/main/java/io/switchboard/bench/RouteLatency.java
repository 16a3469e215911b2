package io.switchboard.bench;

import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.routing.Router;
import io.switchboard.core.routing.RoutingPolicy;
import io.switchboard.core.routing.RoutingRequest;
import io.switchboard.core.routing.RoutingService;
import io.switchboard.core.routing.Rule;
import io.switchboard.store.Database;
import io.switchboard.store.Store;
import io.switchboard.testkit.AgentBuilder;
import io.switchboard.testkit.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How long routing takes with a short history and with a long one: two stores, the same registered agents and
 * performance records, one with few past attempts and one with many, measured in turns.
 *
 * <ul>
 *   <li><b>read path</b>: what a decision reads and computes, {@code RoutingService.preview} after reading the
 *       registered agents: the task's attempts and failed agents, performance for the work type, in-flight
 *       counts, recent successes, cooldowns, then {@code Router.decide};
 *   <li><b>route</b>: {@code RoutingService.route}, the read path plus storing the task and appending the
 *       decision, both committed.
 * </ul>
 * Every other operation routes a new task, the others a task from the seeded history (with past attempts).
 */
final class RouteLatency {

    /** Latencies in microseconds. */
    record Latency(double p50, double p99, double mean, int samples) {
        static Latency of(List<Long> nanos) {
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            double mean = Arrays.stream(sorted).average().orElse(0) / 1_000;
            return new Latency(percentile(sorted, 0.50) / 1_000, percentile(sorted, 0.99) / 1_000, mean,
                    sorted.length);
        }

        private static double percentile(long[] sorted, double share) {
            int index = (int) Math.ceil(share * sorted.length) - 1;
            return sorted[Math.clamp(index, 0, sorted.length - 1)];
        }
    }

    /** One store's history size and what was measured on it. */
    record Measured(int attempts, int tasks, Latency readPath, Latency route) {
    }

    /**
     * Both stores' latencies.
     *
     * @param readPathRatio the long history's median read path over the short one's
     * @param routeRatio the same for route
     */
    record Result(String database, int agents, Measured small, Measured large, double readPathRatio,
            double routeRatio) {
        Result(String database, int agents, Measured small, Measured large) {
            this(database, agents, small, large, large.readPath().p50() / small.readPath().p50(),
                    large.route().p50() / small.route().p50());
        }
    }

    /** One store under measurement. */
    private static final class Subject {
        final int attempts;
        final Database database;
        final RoutingService service;
        final Store store;
        final History.Attempts history;
        final List<RoutingRequest> requests = new ArrayList<>();
        final List<Long> readPath = new ArrayList<>();
        final List<Long> route = new ArrayList<>();
        int next;

        Subject(String url, int attempts, Plan plan, Instant now) {
            this.attempts = attempts;
            this.database = Database.open(url);
            this.store = database.store();
            List<AgentBuilder> builders = Population.agents(plan.routeAgents(), 13);
            store.sync(builders.stream().map(AgentBuilder::profile).toList(), now);
            List<RegisteredAgent> registered = store.agents();
            History.performance(database, registered, now, 17);
            this.history = History.attempts(database, registered, attempts, now, 19);
            History.settle(database);
            this.service = new RoutingService(store, store, store, store, store,
                    new Router(RoutingPolicy.defaults(), Rule.defaults()), new MutableClock(now));
            SplittableRandom random = new SplittableRandom(23);
            for (int i = 0; i < 256; i++) {
                String id = i % 2 == 0 ? "NEW-" + i : History.Attempts.taskId(random.nextInt(history.tasks()));
                requests.add(RoutingRequest.of(Population.task(id)));
            }
        }

        void run(int operations, boolean record) {
            for (int i = 0; i < operations; i++) {
                // Different tasks for the two, so that routing does not find what previewing just read in cache.
                RoutingRequest previewed = requests.get(next % requests.size());
                RoutingRequest routed = requests.get((next + requests.size() / 2 + 1) % requests.size());
                next++;
                long start = System.nanoTime();
                service.preview(previewed, store.agents());
                long read = System.nanoTime();
                service.route(routed);
                long done = System.nanoTime();
                if (record) {
                    readPath.add(read - start);
                    route.add(done - read);
                }
            }
        }

        Measured measured() {
            return new Measured(attempts, history.tasks(), Latency.of(readPath), Latency.of(route));
        }
    }

    private RouteLatency() {
    }

    /** {@code urls} holds one empty database per history size of the plan, small first. */
    static Result measure(String databaseName, List<String> urls, Plan plan, Progress progress) {
        Instant now = MutableClock.EPOCH;
        List<Subject> subjects = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                int attempts = plan.historySizes().get(i);
                long start = System.nanoTime();
                subjects.add(new Subject(urls.get(i), attempts, plan, now));
                progress.step("%s latency: seeded %,d attempts in %.0f s", databaseName, attempts,
                        (System.nanoTime() - start) / 1e9);
            }
            for (Subject subject : subjects) {
                subject.run(plan.routeWarmups(), false);
            }
            for (int round = 0; round < plan.routeRounds(); round++) {
                // Take turns, and change who goes first, so that neither store always follows the other.
                Subject first = subjects.get(round % 2);
                Subject second = subjects.get(1 - round % 2);
                first.run(plan.routeBatch(), true);
                second.run(plan.routeBatch(), true);
            }
            Measured small = subjects.get(0).measured();
            Measured large = subjects.get(1).measured();
            progress.step("%s latency: read path p50 %.0f µs (%,d attempts) vs %.0f µs (%,d attempts); route p50 "
                    + "%.0f vs %.0f µs", databaseName, small.readPath().p50(), small.attempts(), large.readPath().p50(),
                    large.attempts(), small.route().p50(), large.route().p50());
            return new Result(databaseName, plan.routeAgents(), small, large);
        } finally {
            subjects.forEach(subject -> subject.database.close());
        }
    }
}
