package io.switchboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs every benchmark and prints the figures docs/performance.md reports: a summary table on standard
 * output (progress goes to standard error), and the same figures in {@code results.json} and
 * {@code results.txt} in the output folder, with JMH's own report in {@code jmh.json}.
 *
 * <pre>
 * ./bench [--quick] [--only router,throughput,latency,memory,execution,plan,distributed]
 *         [--databases sqlite,postgresql] [--out DIR]
 * </pre>
 *
 * <p>The distributed part needs PostgreSQL on 127.0.0.1:5432 and RabbitMQ on 127.0.0.1:5672; when either does not
 * answer, the run stops before anything is measured, says which, and exits with status 1.
 */
public final class Benchmarks {
    static final List<String> PARTS = List.of("router", "throughput", "latency", "memory", "execution", "plan",
            "distributed");
    static final List<String> DATABASES = List.of("sqlite", "postgresql");

    /** What the run measured, and where. */
    record Environment(String plan, String java, String os, int cpus, long memoryBytes, String sqlite,
            String postgresql, String startedAt) {
    }

    /** Everything measured; a part that was not run is empty. */
    record Report(Environment environment, List<RouterFigures.Figure> router,
            List<DecisionThroughput.Result> throughput, List<RouteLatency.Result> latency,
            List<MemoryFootprint.Result> memory, List<ExecutionThroughput.Result> execution,
            List<FloodHeap.Result> flood, List<PlanThroughput.Result> plan,
            List<DistributedThroughput.Result> distributed, long seconds) {
    }

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Plan plan = Plan.FULL;
        Set<String> parts = new LinkedHashSet<>(PARTS);
        Set<String> databases = new LinkedHashSet<>(DATABASES);
        Path out = Path.of("target", "bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> plan = Plan.QUICK;
                case "--only" -> parts = choose(args, ++i, PARTS, "--only");
                case "--databases" -> databases = choose(args, ++i, DATABASES, "--databases");
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--help", "-h" -> {
                    System.out.println("usage: bench [--quick] [--only " + String.join(",", PARTS)
                            + "] [--databases " + String.join(",", DATABASES) + "] [--out DIR]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; try --help");
            }
        }
        Files.createDirectories(out);
        Report report;
        try {
            report = run(plan, parts, databases, out);
        } catch (DistributedThroughput.Unavailable e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println("bench: start it, or leave the distributed part out (--only with the other parts).");
            System.exit(1);
            return;
        }
        String text = Summary.of(report);
        System.out.print(text);
        Files.writeString(out.resolve("results.txt"), text, StandardCharsets.UTF_8);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("results.json").toFile(), report);
        System.err.println("bench: figures written to " + out.resolve("results.json") + " and results.txt");
    }

    private static Report run(Plan plan, Set<String> parts, Set<String> databases, Path out) throws Exception {
        // Before anything else, so that a missing server stops the run at once rather than after the other parts.
        DistributedThroughput.Servers servers = parts.contains("distributed") ? DistributedThroughput.servers() : null;
        Progress progress = new Progress(System.err);
        long start = System.nanoTime();
        List<RouterFigures.Figure> router = List.of();
        List<DecisionThroughput.Result> throughput = new ArrayList<>();
        List<RouteLatency.Result> latency = new ArrayList<>();
        List<MemoryFootprint.Result> memory = new ArrayList<>();
        List<ExecutionThroughput.Result> execution = new ArrayList<>();
        List<FloodHeap.Result> flood = new ArrayList<>();
        List<PlanThroughput.Result> plans = new ArrayList<>();
        List<DistributedThroughput.Result> distributed = new ArrayList<>();
        // Execution and plans are measured on SQLite only; distributed dispatch on the local PostgreSQL only.
        boolean storeParts = parts.stream().anyMatch(part -> List.of("throughput", "latency", "memory").contains(part));
        String postgres = "not used";
        try (Scratch scratch = new Scratch(out.resolve("work"))) {
            if (storeParts && databases.contains("postgresql")) {
                postgres = scratch.postgresServer();
                progress.step("PostgreSQL: %s", postgres);
            }
            if (parts.contains("router")) {
                progress.step("router: JMH, %d candidate counts, %d fork(s)", plan.routerCandidates().size(),
                        plan.jmhForks());
                router = RouterFigures.run(plan, out.resolve("jmh.json").toString());
            }
            for (String database : databases) {
                if (parts.contains("throughput")) {
                    String url = url(scratch, database, "throughput");
                    throughput.add(DecisionThroughput.measure(database, url, plan, progress));
                    drop(scratch, database, url);
                }
                if (parts.contains("latency")) {
                    List<String> urls = List.of(url(scratch, database, "history_small"),
                            url(scratch, database, "history_large"));
                    latency.add(RouteLatency.measure(database, urls, plan, progress));
                    urls.forEach(url -> drop(scratch, database, url));
                }
                if (parts.contains("memory")) {
                    String url = url(scratch, database, "memory");
                    MemoryFootprint.Result result = MemoryFootprint.measure(database, url, plan, out, progress);
                    memory.add(result);
                    progress.step("%s memory: %s", database, result.completed()
                            ? "peak heap used %.0f MiB (the JVM's limit: %.0f MiB)".formatted(
                                    result.peakHeapUsed() / 1048576.0, result.maxHeap() / 1048576.0)
                            : "FAILED: " + result.failure());
                    drop(scratch, database, url);
                }
            }
            if (parts.contains("execution")) {
                String url = scratch.sqlite("execution");
                execution.add(ExecutionThroughput.measure(url, out.resolve("work"), plan, progress));
                scratch.dropSqlite(url);
                progress.step("execution: flooding %,d MiB through the runner in a JVM with -Xmx%s",
                        plan.floodBytes() >> 20, plan.floodHeap());
                FloodHeap.Result result = FloodHeap.measure(plan, out.resolve("work"));
                flood.add(result);
                progress.step("execution flood: %s", result.completed()
                        ? "peak heap growth %.1f MiB, live growth %.1f MiB, %,d ms".formatted(
                                result.peakGrowth() / 1048576.0, result.liveGrowth() / 1048576.0, result.millis())
                        : "FAILED: " + result.failure());
            }
            if (parts.contains("plan")) {
                progress.step("plan: %,d tasks with random dependencies (seed %d), at %s at once; worktrees: %d tasks",
                        plan.planTasks(), plan.planSeed(), plan.planParallel(), plan.planWorktreeTasks());
                plans.add(PlanThroughput.measure(scratch, out.resolve("work"), plan, progress));
            }
            if (servers != null) {
                postgres = servers.postgresql();
                progress.step("distributed: %s and %s; %,d no-op tasks a round (%,d paced) through each of "
                        + "db-scheduler, JobRunr, a bare RabbitMQ loop, Switchboard's RabbitMQ leg alone and "
                        + "Switchboard, %d round(s) after a warm-up",
                        servers.postgresql(), servers.rabbitmq(), plan.distributedTasks(), plan.distributedPacedTasks(),
                        plan.distributedRounds());
                distributed.add(DistributedThroughput.measure(scratch, servers, plan, progress));
            }
        }
        Environment environment = environment(plan, postgres);
        return new Report(environment, router, throughput, latency, memory, execution, flood, plans, distributed,
                (System.nanoTime() - start) / 1_000_000_000L);
    }

    private static String url(Scratch scratch, String database, String name) {
        return database.equals("sqlite") ? scratch.sqlite(name) : scratch.postgres(name);
    }

    private static void drop(Scratch scratch, String database, String url) {
        if (database.equals("sqlite")) {
            scratch.dropSqlite(url);
        } else {
            scratch.dropPostgres(url);
        }
    }

    private static Environment environment(Plan plan, String postgres) {
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : 0;
        return new Environment(plan.name(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                        + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), memory, sqliteVersion(), postgres,
                Instant.now().toString());
    }

    private static String sqliteVersion() {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            return "SQLite " + connection.getMetaData().getDatabaseProductVersion() + " (sqlite-jdbc "
                    + connection.getMetaData().getDriverVersion() + ")";
        } catch (SQLException e) {
            return "SQLite (version unknown: " + e.getMessage() + ")";
        }
    }

    private static Set<String> choose(String[] args, int index, List<String> known, String option) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String part : value(args, index, option).split(",")) {
            if (!known.contains(part.strip())) {
                throw new IllegalArgumentException(option + " takes some of " + known + ", was " + part);
            }
            chosen.add(part.strip());
        }
        // Keep the canonical order whatever order they were given in.
        Set<String> ordered = new LinkedHashSet<>(known);
        ordered.retainAll(chosen);
        return ordered;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
