package io.switchboard.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a leg's time goes, task by task: the stages of a task's way from its submission to its completion, each
 * the time between two marks taken as the task passed them, and the store calls made meanwhile. A leg that does not
 * look inside itself has {@link #NONE}.
 *
 * @param stages in the order a task passes them; their means add up to the mean time from the first mark to the last
 * @param calls store calls made during the round, by who made them, busiest first
 * @param events how many times things worth counting happened in the round, by name
 */
record Breakdown(List<Stage> stages, List<Call> calls, Map<String, Double> events) {
    static final Breakdown NONE = new Breakdown(List.of(), List.of(), Map.of());

    Breakdown {
        stages = List.copyOf(stages);
        calls = List.copyOf(calls);
        events = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(events));
    }

    /**
     * One stage: from the mark before it to the mark that ends it.
     *
     * @param meanMillis the mean over the tasks that passed both marks, in ms
     * @param p50Millis the median over them, in ms
     * @param samples how many tasks passed both marks (a task whose notice the broker lost has no notice mark)
     */
    record Stage(String name, double meanMillis, double p50Millis, int samples) {
    }

    /**
     * One kind of store call.
     *
     * @param side who called: the submitting client, the orchestrator, the workers
     * @param method the port method called
     * @param perTask calls per task of the round
     * @param meanMillis the mean time of one call, connection from the pool included, in ms
     */
    record Call(String side, String method, double perTask, double meanMillis) {
        /** The time these calls took per task, in ms. */
        double millisPerTask() {
            return perTask * meanMillis;
        }
    }

    /**
     * The stages between consecutive marks.
     *
     * @param names the stage that each mark after the first ends, in order: one fewer than the marks
     * @param marks per mark, per task, the {@link System#nanoTime} the task passed it, 0 when it never did
     */
    static List<Stage> stages(List<String> names, long[][] marks) {
        if (names.size() != marks.length - 1) {
            throw new IllegalArgumentException(marks.length + " marks make " + (marks.length - 1) + " stages, not "
                    + names.size());
        }
        List<Stage> stages = new ArrayList<>();
        for (int stage = 0; stage < names.size(); stage++) {
            long[] from = marks[stage];
            long[] to = marks[stage + 1];
            List<Long> durations = new ArrayList<>();
            for (int task = 0; task < from.length; task++) {
                if (from[task] != 0 && to[task] != 0) {
                    durations.add(to[task] - from[task]);
                }
            }
            double mean = durations.stream().mapToLong(Long::longValue).average().orElse(Double.NaN) / 1e6;
            double p50 = durations.isEmpty() ? Double.NaN
                    : RouteLatency.Latency.of(durations).p50() / 1e3;
            stages.add(new Stage(names.get(stage), mean, p50, durations.size()));
        }
        return stages;
    }

    /** Each stage and call as the median of the rounds' figures; for a leg measured over several rounds. */
    static Breakdown median(List<Breakdown> rounds) {
        if (rounds.isEmpty() || rounds.stream().allMatch(round -> round.stages.isEmpty() && round.calls.isEmpty()
                && round.events.isEmpty())) {
            return NONE;
        }
        Map<String, List<Stage>> stages = new LinkedHashMap<>();
        Map<String, List<Call>> calls = new LinkedHashMap<>();
        for (Breakdown round : rounds) {
            round.stages.forEach(stage -> stages.computeIfAbsent(stage.name(), key -> new ArrayList<>()).add(stage));
            round.calls.forEach(call -> calls.computeIfAbsent(call.side() + " " + call.method(),
                    key -> new ArrayList<>()).add(call));
        }
        List<Stage> medianStages = stages.values().stream().map(each -> new Stage(each.getFirst().name(),
                medianOf(each.stream().map(Stage::meanMillis).toList()),
                medianOf(each.stream().map(Stage::p50Millis).toList()),
                (int) Math.round(medianOf(each.stream().map(stage -> (double) stage.samples()).toList())))).toList();
        List<Call> medianCalls = new ArrayList<>(calls.values().stream().map(each -> new Call(each.getFirst().side(),
                each.getFirst().method(), medianOf(padded(each.stream().map(Call::perTask).toList(), rounds.size())),
                medianOf(each.stream().map(Call::meanMillis).toList()))).toList());
        medianCalls.sort((a, b) -> Double.compare(b.millisPerTask(), a.millisPerTask()));
        Map<String, Double> events = new LinkedHashMap<>();
        rounds.forEach(round -> round.events.keySet().forEach(name -> events.put(name, 0.0)));
        events.replaceAll((name, none) -> medianOf(rounds.stream().map(round -> round.events.getOrDefault(name, 0.0))
                .toList()));
        return new Breakdown(medianStages, medianCalls, events);
    }

    /** A call a round did not make counts as none in that round. */
    private static List<Double> padded(List<Double> values, int rounds) {
        List<Double> all = new ArrayList<>(values);
        while (all.size() < rounds) {
            all.add(0.0);
        }
        return all;
    }

    private static double medianOf(List<Double> values) {
        List<Double> known = values.stream().filter(value -> !Double.isNaN(value)).toList();
        return known.isEmpty() ? Double.NaN : DecisionThroughput.median(known);
    }
}
