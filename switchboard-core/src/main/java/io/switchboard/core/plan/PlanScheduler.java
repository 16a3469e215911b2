package io.switchboard.core.plan;

import static io.switchboard.core.Require.require;

import io.switchboard.core.task.TaskState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Which tasks of a plan may start now, and which are skipped because something they wait for did not succeed. Pure:
 * it runs nothing and reads no clock; {@link PlanExecution} tells it what started and how each task ended.
 *
 * <p>A task may start when every task it waits for has succeeded, fewer than {@code parallel} tasks are running,
 * and no running task declares a file that overlaps one of its own. Among the tasks that may start, the earliest in
 * the plan's order goes first; one held back only by an overlap does not hold back the tasks after it.
 *
 * <p>When a task ends without succeeding, every task that waits for it, directly or through others, is skipped,
 * with the reason. When a task stops unfinished (a shutdown, or another orchestrator runs it) the tasks waiting for
 * it are held: neither run nor skipped, so that {@code resume} can run them later.
 *
 * <p>Not thread-safe: its caller serialises the calls.
 */
public final class PlanScheduler {
    private enum Status { WAITING, RUNNING, SUCCEEDED, ENDED, SKIPPED, UNFINISHED }

    /** A task that will not run, and why. */
    public record Skip(String taskId, String reason) {
        public Skip {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private final PlanGraph graph;
    private final int parallel;
    private final Status[] status;
    private final int[] remaining;
    private final boolean[] held;
    /** Per task that did not succeed, or was skipped, the task whose end caused it (itself when it ended). */
    private final int[] cause;
    /** How a task that ended without succeeding ended, in words ("failed", "was cancelled"). */
    private final String[] ended;
    private final TreeSet<Integer> ready;
    private final List<Integer> running = new ArrayList<>();
    private int settled;

    /** @param parallel how many tasks may run at once, at least 1 */
    public PlanScheduler(PlanGraph graph, int parallel) {
        this.graph = Objects.requireNonNull(graph, "graph");
        require(parallel >= 1, "a plan runs at least one task at a time, was %s", parallel);
        this.parallel = parallel;
        int n = graph.size();
        this.status = new Status[n];
        this.remaining = new int[n];
        this.held = new boolean[n];
        this.cause = new int[n];
        this.ended = new String[n];
        this.ready = new TreeSet<>(Comparator.comparingInt(graph::position));
        for (int i = 0; i < n; i++) {
            status[i] = Status.WAITING;
            remaining[i] = graph.dependencies(i).length;
            if (remaining[i] == 0) {
                ready.add(i);
            }
        }
    }

    /**
     * Takes the tasks that start now: marked running, earliest in the plan's order first.
     *
     * @return their ids, in the order to start them; empty when nothing can start until something ends
     */
    public List<String> start() {
        List<String> started = new ArrayList<>();
        for (var it = ready.iterator(); it.hasNext() && running.size() < parallel; ) {
            int candidate = it.next();
            if (overlapsRunning(candidate)) {
                continue;
            }
            it.remove();
            status[candidate] = Status.RUNNING;
            running.add(candidate);
            started.add(graph.id(candidate));
        }
        return started;
    }

    /**
     * A task of the plan that does not run now, as it is: one that ended before (succeeded, failed …), or one run
     * by another orchestrator. Called before the first {@link #start}.
     *
     * @return the tasks skipped because of it
     */
    public List<Skip> settle(String taskId, TaskState state) {
        int i = graph.indexOf(taskId);
        require(status[i] == Status.WAITING, "task %s is %s, not waiting", taskId, status[i]);
        ready.remove(i);
        return end(i, state);
    }

    /**
     * Records how a running task ended this time: a final state, or a state it keeps for later (QUEUED or WAITING
     * on a shutdown).
     *
     * @return the tasks skipped because it did not succeed; empty otherwise
     */
    public List<Skip> finished(String taskId, TaskState state) {
        int i = graph.indexOf(taskId);
        require(status[i] == Status.RUNNING, "task %s is %s, not running", taskId, status[i]);
        running.remove(Integer.valueOf(i));
        return end(i, state);
    }

    /** Whether nothing runs and nothing can start: the plan run is over. */
    public boolean over() {
        return running.isEmpty() && ready.isEmpty();
    }

    public int runningCount() {
        return running.size();
    }

    /** Tasks that ended (succeeded, failed or skipped) or stopped unfinished. */
    public int settledCount() {
        return settled;
    }

    /** Tasks that have not started and may still: waiting for others, or ready but held back. */
    public int waitingCount() {
        return graph.size() - settled - running.size();
    }

    /** Tasks that will not start in this run because a task they wait for stopped unfinished. */
    public List<String> held() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < held.length; i++) {
            if (held[i] && status[i] == Status.WAITING) {
                ids.add(graph.id(i));
            }
        }
        return ids;
    }

    private List<Skip> end(int i, TaskState state) {
        Objects.requireNonNull(state, "state");
        settled++;
        if (state == TaskState.SUCCEEDED) {
            status[i] = Status.SUCCEEDED;
            for (int dependent : graph.dependents(i)) {
                if (--remaining[dependent] == 0 && status[dependent] == Status.WAITING && !held[dependent]) {
                    ready.add(dependent);
                }
            }
            return List.of();
        }
        if (!state.isFinal()) {
            status[i] = Status.UNFINISHED;
            hold(i);
            return List.of();
        }
        status[i] = Status.ENDED;
        cause[i] = i;
        ended[i] = ended(state);
        return skipAfter(i);
    }

    /** Skips everything waiting for task {@code i}, directly or through others, naming the first cause. */
    private List<Skip> skipAfter(int i) {
        List<Skip> skips = new ArrayList<>();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(i);
        while (!queue.isEmpty()) {
            int blocking = queue.poll();
            int root = cause[blocking];
            for (int dependent : graph.dependents(blocking)) {
                if (status[dependent] != Status.WAITING) {
                    continue;
                }
                status[dependent] = Status.SKIPPED;
                ready.remove(dependent);
                settled++;
                cause[dependent] = root;
                String reason = "skipped: depends on " + graph.id(blocking) + ", which " + (blocking == root
                        ? ended[root] : "was skipped because " + graph.id(root) + " " + ended[root]);
                skips.add(new Skip(graph.id(dependent), reason));
                queue.add(dependent);
            }
        }
        return skips;
    }

    private static String ended(TaskState state) {
        return switch (state) {
            case FAILED -> "failed";
            case CANCELLED -> "was cancelled";
            case DEAD_LETTERED -> "was dead-lettered";
            case SUCCEEDED, QUEUED, RUNNING, WAITING -> "ended " + state.configName();
        };
    }

    /** Holds everything waiting for task {@code i}, directly or through others. */
    private void hold(int i) {
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(i);
        while (!queue.isEmpty()) {
            for (int dependent : graph.dependents(queue.poll())) {
                if (status[dependent] == Status.WAITING && !held[dependent]) {
                    held[dependent] = true;
                    ready.remove(dependent);
                    queue.add(dependent);
                }
            }
        }
    }

    private boolean overlapsRunning(int candidate) {
        if (!graph.declaresFiles(candidate)) {
            return false;
        }
        for (int other : running) {
            if (graph.overlap(candidate, other)) {
                return true;
            }
        }
        return false;
    }
}
