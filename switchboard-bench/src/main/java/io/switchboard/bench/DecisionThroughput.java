package io.switchboard.bench;

import io.switchboard.core.routing.AgentState;
import io.switchboard.core.routing.Router;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.routing.RoutingPolicy;
import io.switchboard.core.routing.RoutingRequest;
import io.switchboard.core.routing.Rule;
import io.switchboard.store.Database;
import io.switchboard.store.Store;
import io.switchboard.store.StoreConnection;
import io.switchboard.store.internal.Dialect;
import io.switchboard.testkit.AgentBuilder;
import io.switchboard.testkit.MutableClock;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decisions made and committed per second, beside the database's ceiling for a row of the same size, on the
 * same connection in the same run.
 *
 * <p>Three kinds of write take turns, round after round, so that whatever else the machine is doing falls on
 * all three alike:
 * <ul>
 *   <li><b>decide + append</b>: {@code Router.decide} over the agents, then {@code Store.append}, which returns
 *       once the row is committed;
 *   <li><b>append</b>: {@code Store.append} of one decision made beforehand (the store's share alone);
 *   <li><b>bare insert</b>: the same row, every column encoded beforehand, written by a plain prepared
 *       {@code INSERT} and {@code COMMIT} on the store's own connection: what the database can do at best.
 * </ul>
 * Each figure is the median of the rounds.
 */
final class DecisionThroughput {

    /**
     * Medians of the rounds, and every round.
     *
     * @param ratio decisions per second as a share of bare inserts per second
     */
    record Result(String database, int candidates, int rowBytes, double decisionsPerSecond,
            double appendsPerSecond, double bareInsertsPerSecond, double ratio, List<Double> decisionRounds,
            List<Double> appendRounds, List<Double> bareRounds) {
    }

    /** One write, the {@code i}-th of its round. */
    @FunctionalInterface
    private interface Write {
        void run(int i) throws SQLException;
    }

    private DecisionThroughput() {
    }

    static Result measure(String databaseName, String url, Plan plan, Progress progress) throws SQLException {
        Instant now = MutableClock.EPOCH;
        try (Database database = Database.open(url)) {
            Store store = database.store();
            List<AgentBuilder> builders = Population.agents(plan.throughputAgents(), 11);
            store.sync(builders.stream().map(AgentBuilder::profile).toList(), now);
            List<AgentState> agents = Population.states(builders, store.agents());
            Router router = new Router(RoutingPolicy.defaults(), Rule.defaults());
            List<RoutingRequest> requests = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                requests.add(RoutingRequest.of(Population.task("THROUGHPUT-" + i)));
            }
            RoutingDecision made = router.decide(requests.getFirst(), agents, now);
            History.DecisionRow row = History.DecisionRow.of(made);
            Dialect dialect = StoreConnection.dialect(database);

            Write decideAndAppend = i -> store.append(router.decide(requests.get(i % requests.size()), agents, now));
            Write append = i -> store.append(made);
            List<Double> decisions = new ArrayList<>();
            List<Double> appends = new ArrayList<>();
            List<Double> bare = new ArrayList<>();
            for (int round = 0; round <= plan.throughputRounds(); round++) {
                boolean warmUp = round == 0;
                double decided = rate(plan.throughputRound(), decideAndAppend);
                double appended = rate(plan.throughputRound(), append);
                double inserted = bareRate(database, dialect, row, now, plan.throughputRound());
                if (!warmUp) {
                    decisions.add(decided);
                    appends.add(appended);
                    bare.add(inserted);
                }
                progress.step("%s throughput %s: decide+append %,.0f/s, append %,.0f/s, bare insert %,.0f/s",
                        databaseName, warmUp ? "warm-up" : "round " + round, decided, appended, inserted);
            }
            return new Result(databaseName, made.candidates().size(), row.bytes(), median(decisions), median(appends),
                    median(bare), median(decisions) / median(bare), decisions, appends, bare);
        }
    }

    /** Plain INSERT + COMMIT of an encoded row, statement prepared once, on the store's own connection. */
    private static double bareRate(Database database, Dialect dialect, History.DecisionRow row, Instant at,
            Duration duration) {
        return StoreConnection.use(database, connection -> {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(dialect.sql(History.DecisionRow.INSERT))) {
                return rate(duration, i -> {
                    row.bind(statement, dialect, "BARE-" + i, at);
                    statement.executeUpdate();
                    connection.commit();
                });
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }

    /** Writes per second, running writes for at least {@code duration}. */
    private static double rate(Duration duration, Write write) throws SQLException {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        int done = 0;
        long now;
        do {
            write.run(done++);
            now = System.nanoTime();
        } while (now < end);
        return done / ((now - start) / 1e9);
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
