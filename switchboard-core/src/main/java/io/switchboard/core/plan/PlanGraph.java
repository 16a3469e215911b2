package io.switchboard.core.plan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The tasks of one plan run and what each waits for, checked whole before anything runs.
 *
 * <p>What a task waits for, each resolved among the run's tasks:
 * <ul>
 *   <li>each of its dependencies that is a task id (exact, else the one id that matches ignoring case);
 *   <li>a dependency that is a plan's name: every task of that plan (a plan file's {@code depends_on} names
 *       plans this way);
 *   <li>its wave: a task in wave k waits for every task in a lower wave, which is to say for the tasks of the
 *       highest wave below k (they wait for the rest). Tasks without a wave have no wave constraint;
 *   <li>a dependency found nowhere in the run is asked of {@code outside}: a task that succeeded before is
 *       waited for no longer, anything else is a problem.
 * </ul>
 * A cycle (through dependencies or waves) and a dependency that is not there are errors, all of them reported
 * together, each naming its tasks ({@link InvalidPlanException}).
 *
 * <p>Immutable and thread-safe.
 */
public final class PlanGraph {
    private final List<String> ids;
    private final Map<String, Integer> index;
    /** Per task, what it waits for: its resolved dependencies, then the previous wave's tasks. */
    private final int[][] dependencies;
    private final int[][] dependents;
    /** Per task, its dependencies less those it reaches through another, in dependency order. */
    private final int[][] direct;
    private final int[] order;
    private final int[] position;
    private final List<List<String>> files;

    private PlanGraph(List<String> ids, Map<String, Integer> index, int[][] dependencies, int[] order,
            List<List<String>> files) {
        this.ids = List.copyOf(ids);
        this.index = Map.copyOf(index);
        this.dependencies = dependencies;
        this.order = order;
        this.files = List.copyOf(files);
        int n = ids.size();
        this.position = new int[n];
        for (int p = 0; p < n; p++) {
            position[order[p]] = p;
        }
        List<List<Integer>> reverse = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            reverse.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (int d : dependencies[i]) {
                reverse.get(d).add(i);
            }
        }
        this.dependents = new int[n][];
        for (int i = 0; i < n; i++) {
            dependents[i] = reverse.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        this.direct = reduce();
    }

    /**
     * Resolves and checks a plan's tasks.
     *
     * @param tasks the run's tasks, in the order their sources give them (kept where dependencies allow)
     * @param outside for a dependency that is no task or plan of the run: empty when it is satisfied (a task that
     *     succeeded before), else why it is not, as the end of a sentence ({@code "is no task anywhere"})
     * @throws InvalidPlanException listing every cycle, missing dependency and repeated id
     */
    public static PlanGraph of(List<PlanTask> tasks, Function<String, Optional<String>> outside) {
        List<String> problems = new ArrayList<>();
        int n = tasks.size();
        List<String> ids = new ArrayList<>(n);
        Map<String, Integer> index = new HashMap<>();
        Map<String, List<Integer>> byLowerId = new HashMap<>();
        Map<String, List<Integer>> byPlan = new HashMap<>();
        Map<String, List<Integer>> byLowerPlan = new HashMap<>();
        TreeMap<Integer, List<Integer>> byWave = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            PlanTask task = tasks.get(i);
            ids.add(task.id());
            if (index.putIfAbsent(task.id(), i) != null) {
                problems.add("task id '" + task.id() + "' is given twice");
            }
            byLowerId.computeIfAbsent(lower(task.id()), key -> new ArrayList<>()).add(i);
            if (task.plan() != null) {
                byPlan.computeIfAbsent(task.plan(), key -> new ArrayList<>()).add(i);
                byLowerPlan.computeIfAbsent(lower(task.plan()), key -> new ArrayList<>()).add(i);
            }
            if (task.wave() != null) {
                byWave.computeIfAbsent(task.wave(), key -> new ArrayList<>()).add(i);
            }
        }

        List<LinkedHashSet<Integer>> waits = new ArrayList<>(n);
        Set<Long> waveEdges = new HashSet<>();
        for (int i = 0; i < n; i++) {
            PlanTask task = tasks.get(i);
            LinkedHashSet<Integer> mine = new LinkedHashSet<>();
            for (String dependency : task.dependencies()) {
                List<Integer> found = resolve(dependency, index, byLowerId, byPlan, byLowerPlan);
                if (found.isEmpty()) {
                    outside.apply(dependency).ifPresent(problem -> problems.add("task " + task.id() + " depends on "
                            + dependency + ", which " + problem));
                    continue;
                }
                for (int j : found) {
                    // A plan's name also names the task itself when it is one of the plan's: not a dependency.
                    if (j != i || found.size() == 1) {
                        mine.add(j);
                    }
                }
            }
            if (task.wave() != null) {
                Integer previous = byWave.lowerKey(task.wave());
                if (previous != null) {
                    for (int j : byWave.get(previous)) {
                        if (mine.add(j)) {
                            waveEdges.add(edge(i, j));
                        }
                    }
                }
            }
            waits.add(mine);
        }
        int[][] dependencies = new int[n][];
        for (int i = 0; i < n; i++) {
            dependencies[i] = waits.get(i).stream().mapToInt(Integer::intValue).toArray();
        }

        int[] order = new int[n];
        BitSet placed = topologicalOrder(dependencies, order);
        if (placed.cardinality() < n) {
            problems.addAll(cycles(tasks, dependencies, placed, waveEdges));
        }
        if (!problems.isEmpty()) {
            throw new InvalidPlanException(problems);
        }
        List<List<String>> files = tasks.stream().map(task -> task.files().stream().map(PlanGraph::normalize)
                .filter(path -> !path.isEmpty()).distinct().toList()).toList();
        return new PlanGraph(ids, index, dependencies, order, files);
    }

    /** How many tasks the run has. */
    public int size() {
        return ids.size();
    }

    /** The tasks in the order given. */
    public List<String> ids() {
        return ids;
    }

    public boolean contains(String taskId) {
        return index.containsKey(taskId);
    }

    /** Every task after the tasks it waits for; otherwise in the order given. */
    public List<String> order() {
        List<String> ordered = new ArrayList<>(order.length);
        for (int i : order) {
            ordered.add(ids.get(i));
        }
        return ordered;
    }

    /** What the task waits for: its resolved dependencies and the previous wave's tasks. */
    public List<String> dependenciesOf(String taskId) {
        return names(dependencies[indexOf(taskId)]);
    }

    /**
     * The tasks whose work this one builds on directly: what it waits for, less the tasks it reaches through
     * another of them, in dependency order. Their branches are what its workspace merges; the others' work comes
     * with them.
     */
    public List<String> directDependenciesOf(String taskId) {
        return names(direct[indexOf(taskId)]);
    }

    /** The files the task declares, each as a {@code /}-separated path without a leading {@code ./}. */
    public List<String> files(String taskId) {
        return files.get(indexOf(taskId));
    }

    /** Whether two tasks declare a file in common, or one declares a folder the other declares something in. */
    public boolean overlap(String a, String b) {
        return overlap(indexOf(a), indexOf(b));
    }

    // ---- for the scheduler

    int indexOf(String taskId) {
        Integer i = index.get(taskId);
        if (i == null) {
            throw new IllegalArgumentException("task " + taskId + " is not part of this plan");
        }
        return i;
    }

    String id(int i) {
        return ids.get(i);
    }

    int[] dependencies(int i) {
        return dependencies[i];
    }

    int[] dependents(int i) {
        return dependents[i];
    }

    /** Where the task stands in {@link #order()}. */
    int position(int i) {
        return position[i];
    }

    boolean overlap(int a, int b) {
        for (String x : files.get(a)) {
            for (String y : files.get(b)) {
                if (x.equals(y) || x.startsWith(y + "/") || y.startsWith(x + "/")) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean declaresFiles(int i) {
        return !files.get(i).isEmpty();
    }

    // ---- building

    private static List<Integer> resolve(String dependency, Map<String, Integer> index,
            Map<String, List<Integer>> byLowerId, Map<String, List<Integer>> byPlan,
            Map<String, List<Integer>> byLowerPlan) {
        Integer exact = index.get(dependency);
        if (exact != null) {
            return List.of(exact);
        }
        List<Integer> ignoringCase = byLowerId.getOrDefault(lower(dependency), List.of());
        if (ignoringCase.size() == 1) {
            return ignoringCase;
        }
        List<Integer> plan = byPlan.get(dependency);
        if (plan != null) {
            return plan;
        }
        return byLowerPlan.getOrDefault(lower(dependency), List.of());
    }

    /**
     * Kahn's algorithm, taking the earliest given task among those ready, so the order given is kept where the
     * dependencies allow.
     *
     * @return the tasks placed; fewer than all when some are in or behind a cycle
     */
    private static BitSet topologicalOrder(int[][] dependencies, int[] order) {
        int n = dependencies.length;
        int[] remaining = new int[n];
        List<List<Integer>> dependents = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            dependents.add(new ArrayList<>());
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>(Comparator.naturalOrder());
        for (int i = 0; i < n; i++) {
            remaining[i] = dependencies[i].length;
            for (int d : dependencies[i]) {
                dependents.get(d).add(i);
            }
            if (remaining[i] == 0) {
                ready.add(i);
            }
        }
        BitSet placed = new BitSet(n);
        int next = 0;
        while (!ready.isEmpty()) {
            int i = ready.poll();
            placed.set(i);
            order[next++] = i;
            for (int dependent : dependents.get(i)) {
                if (--remaining[dependent] == 0) {
                    ready.add(dependent);
                }
            }
        }
        return placed;
    }

    /**
     * Each cycle among the tasks that could not be placed, as {@code a -> b -> a} (a depends on b, which depends
     * on a): one per group of tasks that all reach each other, through the shortest way round.
     */
    private static List<String> cycles(List<PlanTask> tasks, int[][] dependencies, BitSet placed,
            Set<Long> waveEdges) {
        int n = dependencies.length;
        BitSet done = (BitSet) placed.clone();
        List<String> found = new ArrayList<>();
        for (int start = done.nextClearBit(0); start < n; start = done.nextClearBit(start + 1)) {
            BitSet forward = reach(start, dependencies, placed, true);
            BitSet backward = reach(start, dependencies, placed, false);
            BitSet group = (BitSet) forward.clone();
            group.and(backward);
            group.set(start);
            done.or(group);
            List<Integer> cycle = shortestCycle(start, dependencies, group);
            if (cycle.isEmpty()) {
                // Not in a cycle, only behind one: the cycle is reported from its own tasks.
                continue;
            }
            StringBuilder text = new StringBuilder("the tasks depend on each other in a cycle: ");
            String throughWaves = null;
            for (int k = 0; k < cycle.size(); k++) {
                int from = cycle.get(k);
                text.append(tasks.get(from).id()).append(" -> ");
                int to = cycle.get((k + 1) % cycle.size());
                if (throughWaves == null && waveEdges.contains(edge(from, to))) {
                    throughWaves = tasks.get(from).id() + " is in wave " + tasks.get(from).wave() + ", after "
                            + tasks.get(to).id() + "'s wave " + tasks.get(to).wave();
                }
            }
            text.append(tasks.get(cycle.getFirst()).id());
            if (throughWaves != null) {
                text.append(" (through waves: ").append(throughWaves).append(')');
            }
            found.add(text.toString());
        }
        return found;
    }

    /** The tasks not placed that {@code start} reaches through dependencies (or that reach it, backwards). */
    private static BitSet reach(int start, int[][] dependencies, BitSet placed, boolean forward) {
        int n = dependencies.length;
        BitSet seen = new BitSet(n);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        while (!queue.isEmpty()) {
            int i = queue.poll();
            if (forward) {
                for (int d : dependencies[i]) {
                    if (!placed.get(d) && !seen.get(d)) {
                        seen.set(d);
                        queue.add(d);
                    }
                }
            } else {
                for (int j = 0; j < n; j++) {
                    if (!placed.get(j) && !seen.get(j) && contains(dependencies[j], i)) {
                        seen.set(j);
                        queue.add(j);
                    }
                }
            }
        }
        return seen;
    }

    /** The shortest way from {@code start} back to itself within the group, or empty when there is none. */
    private static List<Integer> shortestCycle(int start, int[][] dependencies, BitSet group) {
        Map<Integer, Integer> cameFrom = new HashMap<>();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        while (!queue.isEmpty()) {
            int i = queue.poll();
            for (int d : dependencies[i]) {
                if (!group.get(d)) {
                    continue;
                }
                if (d == start) {
                    List<Integer> cycle = new ArrayList<>();
                    for (Integer at = i; at != null; at = cameFrom.get(at)) {
                        cycle.addFirst(at);
                    }
                    return cycle;
                }
                if (!cameFrom.containsKey(d)) {
                    cameFrom.put(d, i);
                    queue.add(d);
                }
            }
        }
        return List.of();
    }

    /** Per task, its dependencies that it does not also reach through another of them, in dependency order. */
    private int[][] reduce() {
        int n = ids.size();
        BitSet[] before = new BitSet[n];
        for (int i : order) {
            BitSet mine = new BitSet(n);
            for (int d : dependencies[i]) {
                mine.set(d);
                mine.or(before[d]);
            }
            before[i] = mine;
        }
        int[][] reduced = new int[n][];
        for (int i = 0; i < n; i++) {
            List<Integer> kept = new ArrayList<>();
            for (int d : dependencies[i]) {
                boolean implied = false;
                for (int other : dependencies[i]) {
                    if (other != d && before[other].get(d)) {
                        implied = true;
                        break;
                    }
                }
                if (!implied) {
                    kept.add(d);
                }
            }
            kept.sort(Comparator.comparingInt(d -> position[d]));
            reduced[i] = kept.stream().mapToInt(Integer::intValue).toArray();
        }
        return reduced;
    }

    private List<String> names(int[] indexes) {
        List<String> names = new ArrayList<>(indexes.length);
        for (int i : indexes) {
            names.add(ids.get(i));
        }
        return names;
    }

    /** A declared path as compared: {@code /} between folders, no {@code ./} in front, no {@code /} at the end. */
    static String normalize(String path) {
        String p = path.strip().replace('\\', '/').replaceAll("/{2,}", "/");
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.equals(".") ? "" : p;
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    private static long edge(int from, int to) {
        return ((long) from << 32) | (to & 0xffffffffL);
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }
}
