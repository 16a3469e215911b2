package io.switchboard.bench;

import io.switchboard.bench.DistributedLeg.Submission;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The report as a table a person reads, each figure next to its target. */
final class Summary {
    /** Targets from the issue. */
    static final double DECIDE_MICROS_AT_100 = 20;
    static final double THROUGHPUT_SHARE = 0.5;
    static final double HISTORY_RATIO = 1.5;
    static final long HEAP_LIMIT_BYTES = 256L * 1024 * 1024;
    static final double SPAWN_OVERHEAD = 1.25;
    static final double DURABLE_RATIO = 2.0;
    static final long FLOOD_HEAP_GROWTH_BYTES = 64L * 1024 * 1024;
    /** Switchboard's remote dispatch against the references. */
    static final double OVER_DB_SCHEDULER = 1.5;
    static final double OVER_JOBRUNR = 3.0;
    static final double SHARE_OF_RABBITMQ = 0.5;
    static final double SUBMIT_TO_START_P99_MILLIS = 50;

    private final StringBuilder text = new StringBuilder();

    private Summary() {
    }

    static String of(Benchmarks.Report report) {
        Summary summary = new Summary();
        summary.environment(report.environment(), report.seconds());
        if (!report.router().isEmpty()) {
            summary.router(report.router());
        }
        if (!report.throughput().isEmpty()) {
            summary.throughput(report.throughput());
        }
        if (!report.latency().isEmpty()) {
            summary.latency(report.latency());
        }
        if (!report.memory().isEmpty()) {
            summary.memory(report.memory());
        }
        if (!report.execution().isEmpty() || !report.flood().isEmpty()) {
            summary.execution(report.execution(), report.flood());
        }
        if (!report.plan().isEmpty()) {
            summary.plan(report.plan());
        }
        if (!report.distributed().isEmpty()) {
            summary.distributed(report.distributed());
        }
        return summary.text.toString();
    }

    private void environment(Benchmarks.Environment environment, long seconds) {
        line("Switchboard benchmarks, %s run (%d min %02d s)", environment.plan(), seconds / 60, seconds % 60);
        line("  %s; %s; %d CPUs, %.1f GB memory", environment.java(), environment.os(), environment.cpus(),
                environment.memoryBytes() / 1e9);
        line("  %s; PostgreSQL: %s", environment.sqlite(), environment.postgresql());
        if (environment.plan().equals(Plan.QUICK.name())) {
            line("  A quick run: small sizes and short timings; the figures only show that everything runs.");
        }
    }

    private void router(List<RouterFigures.Figure> figures) {
        line("");
        line("1. One routing decision with its full explanation (JMH average time per decision, ± 99.9%% CI)");
        line("   %10s  %18s  %10s  %20s  %10s", "candidates", "decide µs", "KB/op", "decideAndRender µs", "KB/op");
        for (int candidates : figures.stream().map(RouterFigures.Figure::candidates).distinct().sorted().toList()) {
            Optional<RouterFigures.Figure> decide = find(figures, "decide", candidates);
            Optional<RouterFigures.Figure> render = find(figures, "decideAndRender", candidates);
            line("   %,10d  %18s  %10s  %20s  %10s", candidates, decide.map(Summary::micros).orElse("-"),
                    decide.map(Summary::kilobytes).orElse("-"), render.map(Summary::micros).orElse("-"),
                    render.map(Summary::kilobytes).orElse("-"));
        }
        find(figures, "decide", 100).ifPresent(figure -> line("   target: decide at 100 candidates <= %.0f µs: %s",
                DECIDE_MICROS_AT_100, verdict(figure.micros() <= DECIDE_MICROS_AT_100)));
        for (String benchmark : List.of("decide", "decideAndRender")) {
            List<RouterFigures.Figure> series = figures.stream().filter(f -> f.benchmark().equals(benchmark))
                    .sorted((a, b) -> Integer.compare(a.candidates(), b.candidates())).toList();
            if (series.size() > 1) {
                StringBuilder perCandidate = new StringBuilder();
                for (RouterFigures.Figure figure : series) {
                    perCandidate.append(perCandidate.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT,
                            "%.3f", figure.micros() / figure.candidates()));
                }
                line("   %s µs per candidate at %s candidates: %s (linear cost keeps this flat)", benchmark,
                        series.stream().map(f -> String.valueOf(f.candidates())).reduce((a, b) -> a + "/" + b)
                                .orElse(""), perCandidate);
            }
        }
    }

    private void throughput(List<DecisionThroughput.Result> results) {
        line("");
        line("2. Decisions committed per second: decide + append (durable on return) beside a bare INSERT + COMMIT");
        line("   of the same row on the same connection (medians of the rounds)");
        line("   %-10s  %10s  %9s  %16s  %10s  %14s  %8s  %s", "database", "candidates", "row KB", "decide+append/s",
                "append/s", "bare insert/s", "share", "target >= 50%");
        for (DecisionThroughput.Result result : results) {
            line("   %-10s  %10d  %9.1f  %,16.0f  %,10.0f  %,14.0f  %7.0f%%  %s", result.database(),
                    result.candidates(), result.rowBytes() / 1e3, result.decisionsPerSecond(),
                    result.appendsPerSecond(), result.bareInsertsPerSecond(), result.ratio() * 100,
                    verdict(result.ratio() >= THROUGHPUT_SHARE));
        }
    }

    private void latency(List<RouteLatency.Result> results) {
        line("");
        RouteLatency.Result first = results.getFirst();
        line("3. Route latency with %,d vs %,d past attempts, %d agents (µs, p50 / p99)", first.small().attempts(),
                first.large().attempts(), first.agents());
        line("   %-10s  %-9s  %20s  %20s  %11s  %s", "database", "path", "short history", "long history",
                "p50 ratio", "target <= 1.5");
        for (RouteLatency.Result result : results) {
            line("   %-10s  %-9s  %20s  %20s  %11.2f  %s", result.database(), "read", latency(result.small().readPath()),
                    latency(result.large().readPath()), result.readPathRatio(),
                    verdict(result.readPathRatio() <= HISTORY_RATIO));
            line("   %-10s  %-9s  %20s  %20s  %11.2f  %s", "", "route", latency(result.small().route()),
                    latency(result.large().route()), result.routeRatio(), verdict(result.routeRatio() <= HISTORY_RATIO));
        }
    }

    private void memory(List<MemoryFootprint.Result> results) {
        line("");
        MemoryFootprint.Result first = results.getFirst();
        line("4. Heap of a routing process: %,d agents, %,d decision rows, its own JVM with -Xmx%s -XX:+UseSerialGC",
                first.agents(), first.decisionRows(), Plan.FULL.memoryHeap());
        for (MemoryFootprint.Result result : results) {
            if (!result.completed()) {
                line("   %-10s  did NOT complete: %s", result.database(), result.failure());
                continue;
            }
            line("   %-10s  completed; peak heap used %.0f MiB, %.0f MiB live after a full GC (%,d candidates routed)",
                    result.database(), mebibytes(result.peakHeapUsed()), mebibytes(result.heapAfterFullGc()),
                    result.candidates());
            StringBuilder steps = new StringBuilder();
            result.millis().forEach((step, millis) -> steps.append(steps.isEmpty() ? "" : "; ")
                    .append(String.format(Locale.ROOT, "%s %,d ms, peak %.0f MiB", step, millis,
                            mebibytes(result.peakAfter().getOrDefault(step, 0L)))));
            line("   %-10s  %s", "", steps);
        }
        line("   target: completes, peak heap used < 256 MiB: %s", verdict(results.stream().allMatch(
                result -> result.completed() && result.peakHeapUsed() < HEAP_LIMIT_BYTES)));
    }

    private void execution(List<ExecutionThroughput.Result> results, List<FloodHeap.Result> floods) {
        line("");
        line("6. Execution on SQLite: tasks per second, one after another on one thread unless said (medians of the "
                + "rounds)");
        for (ExecutionThroughput.Result result : results) {
            int rounds = result.series().get(ExecutionThroughput.BARE).rounds().size();
            line("   %-34s  %9s  %15s  %8s  %12s", "kind (" + rounds + (rounds == 1 ? " round)" : " rounds)"), "per s",
                    "rounds", "ms each", "CPU µs each");
            for (ExecutionThroughput.Series series : result.series().values()) {
                String kind = series.kind().equals(ExecutionThroughput.DB_SCHEDULER)
                        ? "db-scheduler, " + result.dbSchedulerThreads() + " threads" : series.kind();
                line("   %-34s  %,9.0f  %15s  %8.2f  %12s", kind, series.perSecond(),
                        String.format(Locale.ROOT, "%,.0f–%,.0f", series.slowest(), series.fastest()), series.millis(),
                        Double.isNaN(series.cpuMicros()) ? "-" : String.format(Locale.ROOT, "%,.0f",
                                series.cpuMicros()));
            }
            line("   the runner starts agents with %s", result.spawnMethod());
            line("   target: bare spawn / Switchboard with true <= %.2f: %.2f (rounds %s): %s", SPAWN_OVERHEAD,
                    result.overhead(), range(result.overheadRounds()), verdict(result.overhead() <= SPAWN_OVERHEAD));
            line("   target: Switchboard no-op / db-scheduler, both on %d threads, both submitted before, >= %.0f×: "
                    + "%.3f (rounds %s): %s; with each submission timed too: %.3f", ExecutionThroughput.PARALLEL,
                    DURABLE_RATIO, result.durableRatio(), range(result.durableRatioRounds()),
                    verdict(result.durableRatio() >= DURABLE_RATIO), result.durableWithSubmitRatio());
            int largest = ExecutionThroughput.FLOOR_BATCHES.getLast();
            ExecutionThroughput.Series floor = result.series().get(ExecutionThroughput.floor(largest));
            ExecutionThroughput.Series setBased = result.series().get(ExecutionThroughput.FLOOR_SET_BASED);
            ExecutionThroughput.Series reference = result.series().get(ExecutionThroughput.DB_SCHEDULER);
            if (floor != null && setBased != null && reference != null) {
                line("   the floor (a no-op task's rows alone, no reads, no routing) / db-scheduler: %.2f at %d tasks "
                        + "a commit a statement a table, %.2f a statement a row, %.2f at one task a commit",
                        setBased.perSecond() / reference.perSecond(), largest,
                        floor.perSecond() / reference.perSecond(),
                        result.series().get(ExecutionThroughput.floor(1)).perSecond() / reference.perSecond());
                List<String> smaller = new java.util.ArrayList<>();
                for (WriteFloor.Record record : WriteFloor.Record.values()) {
                    ExecutionThroughput.Series series = result.series().get(ExecutionThroughput.floor(record));
                    if (record != WriteFloor.Record.WHOLE && series != null) {
                        smaller.add(String.format(Locale.ROOT, "%s %.2f", record.text,
                                series.perSecond() / reference.perSecond()));
                    }
                }
                if (!smaller.isEmpty()) {
                    line("   the same with a smaller record, at %d tasks a commit a statement a table: %s", largest,
                            String.join(", ", smaller));
                }
            }
            for (WalPages.Count count : List.of(result.submitPages(), result.runPages())) {
                line("   pages appended to the log %s (%,d tasks on one thread, counted): %.1f in %.2f commits; "
                        + "by b-tree: %s", count == result.submitPages() ? "a task accepted" : "a no-op task's run",
                        count.units(), count.pages(), count.commits(), WalPages.top(count, 8));
            }
            line("   db-scheduler: %,d one-time tasks a round, scheduled beforehand (%,.0f/s, not timed), "
                    + "polling every %d ms", result.dbSchedulerTasks(), result.dbSchedulerScheduledPerSecond(),
                    result.dbSchedulerPollingMillis());
            line("   pieces of a run, each timed alone (%d processes in /proc): clean-up scan %,.0f µs "
                    + "(over every process, as when a pid wrap cannot be ruled out: %,.0f µs; a marker scan of every "
                    + "process, as resume sweeps: %,.0f µs), four threads started and joined %,.0f µs",
                    result.processes(), result.cleanUpScanMicros(), result.fullCleanUpScanMicros(),
                    result.markerScanMicros(), result.threadsMicros());
        }
        for (FloodHeap.Result flood : floods) {
            if (!flood.completed()) {
                line("   flood of %,d MiB through the runner with -Xmx%s: did NOT complete: %s",
                        flood.floodBytes() >> 20, flood.heapLimit(), flood.failure());
                continue;
            }
            line("   flood of %,d MiB through the runner with -Xmx%s: completed in %,d ms (%,.0f MB/s, %,d ms CPU); "
                    + "heap growth: peak %.1f MiB, live %.1f MiB", flood.floodBytes() >> 20, flood.heapLimit(),
                    flood.millis(), flood.floodBytes() / 1e3 / Math.max(1, flood.millis()), flood.cpuMillis(),
                    mebibytes(flood.peakGrowth()), mebibytes(flood.liveGrowth()));
        }
        if (!floods.isEmpty()) {
            line("   target: heap growth while an agent floods <= 64 MiB: %s", verdict(floods.stream().allMatch(
                    flood -> flood.completed() && flood.peakGrowth() <= FLOOD_HEAP_GROWTH_BYTES)));
        }
    }

    private void plan(List<PlanThroughput.Result> results) {
        line("");
        for (PlanThroughput.Result result : results) {
            line("7. A plan of %,d tasks with %,d random dependencies (seed %d), no-op agents, on SQLite (medians of %d "
                    + "rounds)", result.tasks(), result.dependencies(), result.seed(), result.rounds());
            line("   planning: graph (resolve, check, order, reduce) %.1f µs per task; scheduler through the whole run "
                    + "%.1f µs per task", result.graphMicros(), result.scheduleMicros());
            line("   %-46s  %10s", "dispatching", "ms / task");
            line("   %-46s  %10.2f", "each task alone, Dispatcher.run, no plan", result.sequentialMillis());
            result.planMillis().forEach((parallel, millis) -> line("   %-46s  %10.2f",
                    "the plan run, " + parallel + " at once", millis));
            line("   scheduling a plan adds %.2f ms per task at 1 at once (%.0f%% of a task alone; rounds %s)",
                    result.overheadMillis(), 100 * result.overheadMillis() / result.sequentialMillis(),
                    range(result.overheadRounds()));
            line("   with worktrees, %d tasks one at a time in a repository of 100 files: %.1f ms per task; workspace "
                    + "prepare %.1f + finish %.1f ms = %.0f%% of it; the same plan without worktrees %.2f ms per "
                    + "task", result.worktreeTasks(), result.worktreeMillis(), result.prepareMillis(),
                    result.finishMillis(), 100 * result.workspaceShare(), result.noWorktreeMillis());
        }
    }

    private void distributed(List<DistributedThroughput.Result> results) {
        for (DistributedThroughput.Result result : results) {
            line("");
            line("8. Distributed dispatch: %,d no-op tasks a round (%,d when paced), submitted by one thread while the "
                    + "workers run (medians of %d rounds)", result.tasks(), result.pacedTasks(), result.rounds());
            line("   %s; %s; load average %s during the run", result.postgresql(), result.rabbitmq(),
                    loads(result.loadAverages()));
            int width = result.legs().stream().mapToInt(series -> series.name().length()).max().orElse(3);
            line("   %-" + width + "s  %-13s  %9s  %15s  %12s  %16s  %25s", "leg", "submitted", "per s", "rounds",
                    "submitted/s", "from 1st start/s", "submit→start ms p50/p99");
            for (DistributedThroughput.Series series : result.legs()) {
                line("   %-" + width + "s  %-13s  %,9.0f  %15s  %,12.0f  %,16.0f  %25s", series.name(),
                        series.submission(),
                        series.perSecond(), String.format(Locale.ROOT, "%,.0f–%,.0f", series.slowest(),
                                series.fastest()), series.submittedPerSecond(), series.fromFirstStartPerSecond(),
                        String.format(Locale.ROOT, "%,.1f / %,.1f", series.p50Millis(), series.p99Millis()));
            }
            result.legs().stream().map(series -> series.name() + ": " + series.configuration()).distinct()
                    .forEach(setUp -> line("   %s", setUp));
            switchboardTargets(result);
            switchboardBreakdown(result);
        }
    }

    /** Switchboard's rates over the references', one at a time against one at a time and bulk against bulk. */
    private void switchboardTargets(DistributedThroughput.Result result) {
        List<Submission> ways = List.of(Submission.ONE_AT_A_TIME, Submission.BULK);
        if (ways.stream().anyMatch(way -> result.series(SwitchboardLeg.NAME, way).isEmpty())) {
            line("   targets for Switchboard's remote dispatch: not measured in this run");
            return;
        }
        line("   Switchboard against the references, same submission (ratio of the medians; in brackets the ratios "
                + "within each round):");
        line("   %-52s  %-30s  %-30s", "target", "one at a time", "in bulk");
        ratio(result, "Switchboard's rate >= %.1f× db-scheduler's".formatted(OVER_DB_SCHEDULER),
                SwitchboardLeg.NAME, DbSchedulerLockAndFetch.NAME, OVER_DB_SCHEDULER);
        ratio(result, "Switchboard's rate >= %.0f× JobRunr's".formatted(OVER_JOBRUNR), SwitchboardLeg.NAME,
                JobRunrReference.NAME, OVER_JOBRUNR);
        ratio(result, "RabbitMQ leg >= %.1f× the bare loop (rates)".formatted(SHARE_OF_RABBITMQ),
                BrokerLeg.NAME, RabbitMqLoop.NAME, SHARE_OF_RABBITMQ);
        line("   (the RabbitMQ leg: outbox rows committed, published by the relay, taken by the workers' consumers, "
                + "over the bare loop's messages a second; the target is read in bulk)");
        ratio(result, "the same, read end to end (Switchboard's whole way)", SwitchboardLeg.NAME, RabbitMqLoop.NAME,
                SHARE_OF_RABBITMQ);
        ratio(result, "its writes alone over db-scheduler's rate", WritesAloneLeg.NAME, DbSchedulerLockAndFetch.NAME,
                OVER_DB_SCHEDULER);
        ratio(result, "its writes alone over JobRunr's rate", WritesAloneLeg.NAME, JobRunrReference.NAME,
                OVER_JOBRUNR);
        String smallest = WritesAloneLeg.name(WriteFloor.Record.ATTEMPT_AND_TASK);
        ratio(result, "its attempt and task rows alone over db-scheduler's", smallest, DbSchedulerLockAndFetch.NAME,
                OVER_DB_SCHEDULER);
        ratio(result, "its attempt and task rows alone over JobRunr's", smallest, JobRunrReference.NAME,
                OVER_JOBRUNR);
        line("   (its writes alone: the rows the store keeps for a task on the whole way, copied from Switchboard's "
                + "last task, each stage's for a batch set-based in one transaction, nothing read, routed or sent "
                + "through RabbitMQ: the floor under the whole way; its attempt and task rows alone: the same without "
                + "the decisions and the transitions after the first)");
        result.series(SwitchboardLeg.NAME, Submission.PACED).ifPresent(paced -> line("   p99 submit→agent start "
                + "<= %.0f ms at a moderate load (paced, one at a time): %,.1f ms (p50 %,.1f; worst round %,.1f): %s",
                SUBMIT_TO_START_P99_MILLIS, paced.p99Millis(), paced.p50Millis(), paced.worstP99Millis(),
                verdict(paced.p99Millis() <= SUBMIT_TO_START_P99_MILLIS)));
        DistributedThroughput.Series oneAtATime = result.series(SwitchboardLeg.NAME, Submission.ONE_AT_A_TIME)
                .orElseThrow();
        line("   p99 submit→agent start one at a time, as fast as the client submits: %,.1f ms: %s", oneAtATime
                .p99Millis(), oneAtATime.p99Millis() <= SUBMIT_TO_START_P99_MILLIS ? "met"
                : "MISSED" + (oneAtATime.submittedPerSecond() > oneAtATime.perSecond() * 1.1
                        ? " (tasks were submitted faster than they were dispatched: a backlog's wait)" : ""));
    }

    private void ratio(DistributedThroughput.Result result, String target, String leg, String reference,
            double least) {
        StringBuilder cells = new StringBuilder();
        for (Submission way : List.of(Submission.ONE_AT_A_TIME, Submission.BULK)) {
            Optional<DistributedThroughput.Series> measured = result.series(leg, way);
            Optional<DistributedThroughput.Series> other = result.series(reference, way);
            if (measured.isEmpty() || other.isEmpty()) {
                cells.append(String.format(Locale.ROOT, "  %-30s", "-"));
                continue;
            }
            DistributedThroughput.Series switchboard = measured.get();
            double ratio = switchboard.perSecond() / other.get().perSecond();
            List<Double> rounds = new java.util.ArrayList<>();
            for (int i = 0; i < Math.min(switchboard.rounds().size(), other.get().rounds().size()); i++) {
                rounds.add(switchboard.rounds().get(i).perSecond() / other.get().rounds().get(i).perSecond());
            }
            cells.append(String.format(Locale.ROOT, "  %-30s", String.format(Locale.ROOT, "%.3f (%s) %s", ratio,
                    range(rounds), verdict(ratio >= least))));
        }
        line("   %-52s%s", target, cells);
    }

    /** Where Switchboard's time goes, per task: the stages, the store calls, the section under the dispatch lock. */
    private void switchboardBreakdown(DistributedThroughput.Result result) {
        List<DistributedThroughput.Series> ways = result.legs().stream()
                .filter(series -> series.name().equals(SwitchboardLeg.NAME) && !series.breakdown().stages().isEmpty())
                .toList();
        if (ways.isEmpty()) {
            return;
        }
        line("   Where Switchboard's time goes, per task: each stage's mean / median in ms (medians of the rounds)");
        StringBuilder header = new StringBuilder();
        ways.forEach(way -> header.append(String.format(Locale.ROOT, "  %17s", way.submission())));
        line("   %-96s%s", "stage", header);
        List<String> names = ways.getFirst().breakdown().stages().stream().map(Breakdown.Stage::name).toList();
        for (int stage = 0; stage < names.size(); stage++) {
            StringBuilder cells = new StringBuilder();
            for (DistributedThroughput.Series way : ways) {
                Breakdown.Stage each = way.breakdown().stages().get(stage);
                cells.append(String.format(Locale.ROOT, "  %17s", String.format(Locale.ROOT, "%,.1f / %,.1f",
                        each.meanMillis(), each.p50Millis())));
            }
            line("   %-96s%s", names.get(stage), cells);
        }
        line("   Store calls per task (calls × ms each = ms per task; a call's time includes waiting for a pooled "
                + "connection)");
        line("   %-40s%s", "side and call", header);
        List<String> calls = ways.stream().flatMap(way -> way.breakdown().calls().stream())
                .map(call -> call.side() + " " + call.method()).distinct().toList();
        for (String call : calls) {
            StringBuilder cells = new StringBuilder();
            boolean significant = false;
            for (DistributedThroughput.Series way : ways) {
                Optional<Breakdown.Call> each = way.breakdown().calls().stream()
                        .filter(c -> (c.side() + " " + c.method()).equals(call)).findFirst();
                significant |= each.map(c -> c.millisPerTask() >= 0.05).orElse(false);
                cells.append(String.format(Locale.ROOT, "  %17s", each.map(c -> String.format(Locale.ROOT,
                        "%.2f×%.2f=%.2f", c.perTask(), c.meanMillis(), c.millisPerTask())).orElse("-")));
            }
            if (significant) {
                line("   %-40s%s", call, cells);
            }
        }
        List<String> events = ways.stream().flatMap(way -> way.breakdown().events().keySet().stream()).distinct()
                .toList();
        if (!events.isEmpty()) {
            line("   Counted in a round (medians of the rounds)");
            for (String event : events) {
                StringBuilder cells = new StringBuilder();
                ways.forEach(way -> cells.append(String.format(Locale.ROOT, "  %17.0f",
                        way.breakdown().events().getOrDefault(event, 0.0))));
                line("   %-96s%s", event, cells);
            }
        }
        StringBuilder locked = new StringBuilder();
        for (DistributedThroughput.Series way : ways) {
            double millis = SwitchboardLeg.millisUnderDispatchLock(way.breakdown());
            locked.append(locked.isEmpty() ? "" : "; ").append(String.format(Locale.ROOT,
                    "%s %.2f ms a task, so at most %,.0f tasks/s", way.submission(), millis, 1000 / millis));
        }
        line("   Under the dispatcher's lock (routing a batch of tasks, one batch at a time; "
                + "the store calls %s, per task): %s", String.join(", ", SwitchboardLeg.UNDER_DISPATCH_LOCK), locked);
    }

    private static String loads(List<Double> values) {
        return String.format(Locale.ROOT, "%.2f–%.2f", values.stream().mapToDouble(Double::doubleValue).min()
                .orElse(Double.NaN), values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
    }

    private static String range(List<Double> values) {
        return String.format(Locale.ROOT, "%.3f–%.3f", values.stream().mapToDouble(Double::doubleValue).min()
                .orElse(Double.NaN), values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
    }

    private static Optional<RouterFigures.Figure> find(List<RouterFigures.Figure> figures, String benchmark,
            int candidates) {
        return figures.stream().filter(f -> f.benchmark().equals(benchmark) && f.candidates() == candidates)
                .findFirst();
    }

    private static String micros(RouterFigures.Figure figure) {
        // JMH gives no confidence interval for fewer than three iterations (a quick run).
        return Double.isNaN(figure.error()) ? String.format(Locale.ROOT, "%,.1f", figure.micros())
                : String.format(Locale.ROOT, "%,.1f ± %,.1f", figure.micros(), figure.error());
    }

    private static String kilobytes(RouterFigures.Figure figure) {
        return String.format(Locale.ROOT, "%,.1f", figure.bytesPerOp() / 1e3);
    }

    private static String latency(RouteLatency.Latency latency) {
        return String.format(Locale.ROOT, "%,.0f / %,.0f", latency.p50(), latency.p99());
    }

    private static double mebibytes(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static String verdict(boolean met) {
        return met ? "met" : "MISSED";
    }

    private void line(String format, Object... args) {
        text.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
