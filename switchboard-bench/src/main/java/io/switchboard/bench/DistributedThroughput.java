package io.switchboard.bench;

import com.rabbitmq.client.Connection;
import io.switchboard.bench.DistributedLeg.Submission;
import io.switchboard.broker.BrokerEndpoint;
import io.switchboard.broker.BrokerException;
import io.switchboard.broker.QueueKind;
import io.switchboard.broker.RelayOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Tasks dispatched to workers through PostgreSQL and RabbitMQ, per second, for every {@link DistributedLeg} in one
 * run: the references (db-scheduler with lock-and-fetch, JobRunr, a bare RabbitMQ loop) and Switchboard's remote
 * dispatch itself, so that whatever else the machine does falls on all of them alike. The legs take turns, round
 * after round (one warm-up round first), each leg every way of {@link Submission}; each figure is the median of the
 * rounds.
 *
 * <p>Every leg runs against the servers on this machine, PostgreSQL on 127.0.0.1:5432 (database {@code test}, user
 * {@code postgres}) and RabbitMQ on 127.0.0.1:5672 ({@code guest}), never an embedded stand-in: {@link #servers}
 * says within seconds, with a clear message, when either does not answer. Each leg works in a PostgreSQL schema or a
 * queue of its own, removed when it is done.
 */
final class DistributedThroughput {
    static final String BROKER_URL = "amqp://guest:guest@127.0.0.1:5672";
    /** How long the servers have to answer before the run gives up on them. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    /** Executor threads of db-scheduler, workers of JobRunr. */
    static final int WORKERS = 4;
    /** Tasks per transaction when a leg on PostgreSQL submits in bulk: as many as the relay reads at a time. */
    static final int BATCH = RelayOptions.DEFAULTS.batchSize();

    /** The servers the legs run against, as they name themselves. */
    record Servers(String postgresql, String rabbitmq) {
    }

    /** A server the distributed measurement needs does not answer. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * One leg, submitting one way, over the rounds.
     *
     * @param perSecond the median of the rounds' rates, first submission to last completion
     * @param slowest the lowest round's rate
     * @param fastest the highest round's rate
     * @param submittedPerSecond the median of the rounds' submission rates
     * @param fromFirstStartPerSecond the median of the rounds' rates from the first start of a task's work to the
     *     last completion
     * @param p50Millis the median of the rounds' median latencies, submission to the start of the work, in ms
     * @param p99Millis the median of the rounds' 99th percentiles, in ms
     * @param worstP99Millis the highest round's 99th percentile, in ms
     * @param breakdown where the time went, each figure the median of the rounds'; {@link Breakdown#NONE} for a leg
     *     that does not look inside itself
     */
    record Series(String name, Submission submission, String configuration, double perSecond, double slowest,
            double fastest, double submittedPerSecond, double fromFirstStartPerSecond, double p50Millis,
            double p99Millis, double worstP99Millis, Breakdown breakdown, List<DistributedLeg.Round> rounds) {
        static Series of(DistributedLeg leg, Submission submission, List<DistributedLeg.Round> rounds) {
            List<Double> rates = rounds.stream().map(DistributedLeg.Round::perSecond).toList();
            List<Double> p99s = rounds.stream().map(round -> round.latency().p99() / 1e3).toList();
            return new Series(leg.name(), submission, leg.configuration(), DecisionThroughput.median(rates),
                    rates.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    rates.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                    DecisionThroughput.median(rounds.stream().map(DistributedLeg.Round::submittedPerSecond).toList()),
                    DecisionThroughput.median(rounds.stream().map(DistributedLeg.Round::fromFirstStartPerSecond)
                            .toList()),
                    DecisionThroughput.median(rounds.stream().map(round -> round.latency().p50() / 1e3).toList()),
                    DecisionThroughput.median(p99s),
                    p99s.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                    Breakdown.median(rounds.stream().map(DistributedLeg.Round::breakdown).toList()), rounds);
        }
    }

    /**
     * Everything measured.
     *
     * @param tasks tasks each leg dispatched in a round
     * @param pacedTasks tasks each leg dispatched in a round when paced
     * @param legs every leg, in the order they took turns
     * @param loadAverages the machine's load average over the last minute, after each round of each leg
     */
    record Result(String postgresql, String rabbitmq, int tasks, int pacedTasks, int rounds, List<Series> legs,
            List<Double> loadAverages) {
        /** The series of this leg submitted this way, if it was measured. */
        Optional<Series> series(String leg, Submission submission) {
            return legs.stream().filter(each -> each.name().equals(leg) && each.submission() == submission)
                    .findFirst();
        }
    }

    /** Makes a leg: its schema or queue, its pool or connections. */
    @FunctionalInterface
    private interface Opener {
        DistributedLeg open() throws Exception;
    }

    private DistributedThroughput() {
    }

    /**
     * Checks that both servers answer, within {@link #PROBE_TIMEOUT} each.
     *
     * @throws Unavailable naming the server that does not, and why
     */
    static Servers servers() {
        String postgresql;
        try (java.sql.Connection connection = DriverManager.getConnection(Scratch.LOCAL_URL + "&loginTimeout="
                + PROBE_TIMEOUT.toSeconds())) {
            postgresql = "PostgreSQL " + connection.getMetaData().getDatabaseProductVersion() + " on 127.0.0.1:5432";
        } catch (SQLException e) {
            throw new Unavailable("the distributed benchmark needs PostgreSQL on 127.0.0.1:5432 (database test, user "
                    + "postgres), which did not answer: " + e.getMessage(), e);
        }
        String rabbitmq;
        try (Connection connection = BrokerEndpoint.of(BROKER_URL, PROBE_TIMEOUT).connect("bench-probe")) {
            rabbitmq = QueueKind.describe(connection.getServerProperties()) + " on 127.0.0.1:5672";
            if (QueueKind.of(connection.getServerProperties()) != QueueKind.QUORUM) {
                throw new Unavailable("the distributed benchmark needs RabbitMQ 3.8 or later (quorum queues) on "
                        + "127.0.0.1:5672; there is " + rabbitmq, null);
            }
        } catch (BrokerException | IOException e) {
            throw new Unavailable("the distributed benchmark needs RabbitMQ on 127.0.0.1:5672 (guest/guest): "
                    + e.getMessage(), e);
        }
        return new Servers(postgresql, rabbitmq);
    }

    /**
     * The legs, in the order they take turns: the references, Switchboard's RabbitMQ leg alone beside the bare loop,
     * then Switchboard's remote dispatch (one orchestrator, two workers, a no-op agent), then the rows it writes for
     * its tasks alone (copied from its last task), and the same with neither decisions nor transitions.
     */
    private static List<Opener> legs(Scratch scratch, Plan plan, List<String> schemas) {
        String switchboard = schema(scratch, "switchboard", schemas);
        return List.of(
                () -> new DbSchedulerLockAndFetch(schema(scratch, "db_scheduler", schemas), WORKERS,
                        plan.dbSchedulerPolling()),
                () -> new JobRunrReference(schema(scratch, "jobrunr", schemas), WORKERS),
                () -> new RabbitMqLoop(BrokerEndpoint.of(BROKER_URL, PROBE_TIMEOUT)),
                () -> new BrokerLeg(schema(scratch, "broker_leg", schemas), BrokerEndpoint.of(BROKER_URL,
                        PROBE_TIMEOUT)),
                () -> new SwitchboardLeg(switchboard, BrokerEndpoint.of(BROKER_URL, PROBE_TIMEOUT)),
                () -> new WritesAloneLeg(schema(scratch, "writes_alone", schemas), switchboard,
                        SwitchboardLeg.ROUND_PREFIX),
                () -> new WritesAloneLeg(schema(scratch, "writes_alone_small", schemas), switchboard,
                        SwitchboardLeg.ROUND_PREFIX, WriteFloor.Record.ATTEMPT_AND_TASK));
    }

    static Result measure(Scratch scratch, Servers servers, Plan plan, Progress progress) throws Exception {
        List<String> schemas = new ArrayList<>();
        List<DistributedLeg> legs = new ArrayList<>();
        try {
            for (Opener opener : legs(scratch, plan, schemas)) {
                legs.add(opener.open());
            }
            Map<DistributedLeg, Map<Submission, List<DistributedLeg.Round>>> measured = new LinkedHashMap<>();
            List<Double> loadAverages = new ArrayList<>();
            for (int round = 0; round <= plan.distributedRounds(); round++) {
                boolean warmUp = round == 0;
                StringBuilder line = new StringBuilder();
                for (DistributedLeg leg : legs) {
                    for (Submission submission : Submission.values()) {
                        DistributedLeg.Round result = leg.round(submission == Submission.PACED
                                ? plan.distributedPacedTasks() : plan.distributedTasks(), submission);
                        double load = loadAverage();
                        if (!warmUp) {
                            measured.computeIfAbsent(leg, key -> new LinkedHashMap<>())
                                    .computeIfAbsent(submission, key -> new ArrayList<>()).add(result);
                            loadAverages.add(load);
                        }
                        line.append(line.isEmpty() ? "" : "; ").append("%s %s %,.0f/s (p99 %,.1f ms)".formatted(
                                leg.name(), submission, result.perSecond(), result.latency().p99() / 1e3));
                    }
                }
                progress.step("distributed %s: %s; load average %.2f", warmUp ? "warm-up" : "round " + round, line,
                        loadAverage());
            }
            List<Series> series = new ArrayList<>();
            measured.forEach((leg, ways) -> ways.forEach((submission, rounds) ->
                    series.add(Series.of(leg, submission, rounds))));
            return new Result(servers.postgresql(), servers.rabbitmq(), plan.distributedTasks(),
                    plan.distributedPacedTasks(), plan.distributedRounds(), series, loadAverages);
        } finally {
            for (DistributedLeg leg : legs.reversed()) {
                try {
                    leg.close();
                } catch (RuntimeException e) {
                    System.err.println("bench: could not close " + leg.name() + ": " + e.getMessage());
                }
            }
            schemas.forEach(scratch::dropPostgres);
        }
    }

    /** A new schema on the server at 127.0.0.1:5432, noted to be dropped. */
    private static String schema(Scratch scratch, String name, List<String> schemas) {
        String url = scratch.localPostgres(name);
        schemas.add(url);
        return url;
    }

    /**
     * {@code VACUUM}s a table between rounds, outside the timing, so that every round starts from a table without
     * the dead rows of the ones before (the server may run without autovacuum).
     */
    static void vacuum(DataSource dataSource, String table) throws SQLException {
        try (java.sql.Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("VACUUM " + table);
        }
    }

    /** The machine's load average over the last minute, or NaN where the JVM cannot read it. */
    static double loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? Double.NaN : load;
    }
}
