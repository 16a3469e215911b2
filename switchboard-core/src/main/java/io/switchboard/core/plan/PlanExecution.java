package io.switchboard.core.plan;

import static io.switchboard.core.Require.require;

import io.switchboard.core.attempt.TaskMove;
import io.switchboard.core.execution.Dispatcher;
import io.switchboard.core.execution.SwitchboardListener;
import io.switchboard.core.port.TaskStore;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskStatus;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the stored tasks of one plan, several at a time, as {@link PlanScheduler} allows: each task that may start
 * gets a thread of its own from the factory, which runs it to its end with {@link Dispatcher#run} (or
 * {@link Dispatcher#runHandedOff}, taking up a handoff a person asked for); each end lets the
 * scheduler start more, and every task skipped because a task it waits for did not succeed is moved to CANCELLED
 * with the reason. The calling thread only coordinates; it sleeps while nothing changes.
 *
 * <p>Agents' max concurrency is the dispatcher's to keep: a task whose every capable agent is busy with this
 * dispatcher's other attempts waits in the dispatcher until one of them ends.
 *
 * <p>One run per instance. {@link #stop()} may be called from any thread: no task starts after it, and the tasks
 * running go on to their end (the dispatcher is stopped separately).
 */
public final class PlanExecution {
    private final PlanGraph graph;
    private final Dispatcher dispatcher;
    private final boolean takeUpHandoffs;
    private final TaskStore tasks;
    private final InstantSource clock;
    private final SwitchboardListener listener;
    private final ThreadFactory threads;
    private final PlanScheduler scheduler;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, TaskState> states = new LinkedHashMap<>();
    private final Set<Thread> workers = new HashSet<>();
    private RuntimeException failure;
    private boolean stopping;
    private boolean used;

    /**
     * @param parallel how many tasks may run at once
     * @param takeUpHandoffs whether a task a person handed off runs on the agent it was handed to
     *     ({@link Dispatcher#runHandedOff}, as {@code resume} does), rather than being left to the handoff (then it
     *     stops unfinished, and the tasks waiting for it are held)
     * @param listener hears each task skipped ({@code taskFinished} with CANCELLED), besides what the dispatcher
     *     reports
     * @param threads makes the thread each task runs on
     */
    public PlanExecution(PlanGraph graph, int parallel, Dispatcher dispatcher, boolean takeUpHandoffs, TaskStore tasks,
            InstantSource clock, SwitchboardListener listener, ThreadFactory threads) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.takeUpHandoffs = takeUpHandoffs;
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.threads = Objects.requireNonNull(threads, "threads");
        this.scheduler = new PlanScheduler(graph, parallel);
    }

    /**
     * Runs the plan until every task has ended, been skipped or been held back by a task that stopped unfinished,
     * or until {@link #stop()} and the end of the tasks then running.
     *
     * @param settled tasks of the plan not to run, with their state: ended before (a success counts as done, any
     *     other end skips the tasks waiting for it), or run by another orchestrator (the tasks waiting for it are
     *     held)
     * @return each task's state as this run leaves it, in the plan's order; tasks never started are absent
     * @throws RuntimeException the first error a task's run threw (a store that failed, a task run elsewhere);
     *     no task starts after it, and the ones running are waited for
     */
    public Map<String, TaskState> run(Map<String, TaskState> settled) {
        lock.lock();
        try {
            require(!used, "a plan execution runs once");
            used = true;
            List<PlanScheduler.Skip> skips = new ArrayList<>();
            for (String taskId : graph.order()) {
                TaskState state = settled.get(taskId);
                if (state != null) {
                    states.put(taskId, state);
                    skips.addAll(scheduler.settle(taskId, state));
                }
            }
            skips.forEach(skip -> states.put(skip.taskId(), TaskState.CANCELLED));
            record(skips);
            boolean interrupted = false;
            while (true) {
                if (!stopping) {
                    for (String taskId : scheduler.start()) {
                        Thread worker = threads.newThread(() -> work(taskId));
                        workers.add(worker);
                        worker.start();
                    }
                }
                // A worker counts until it has written the tasks skipped after its own.
                if (scheduler.runningCount() == 0 && workers.isEmpty()) {
                    break;
                }
                try {
                    changed.await();
                } catch (InterruptedException e) {
                    // Stop starting tasks, stop the running ones' agents, and still wait for them to record it.
                    interrupted = true;
                    stopping = true;
                    workers.forEach(Thread::interrupt);
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw failure;
            }
            Map<String, TaskState> ordered = new LinkedHashMap<>();
            for (String taskId : graph.order()) {
                if (states.containsKey(taskId)) {
                    ordered.put(taskId, states.get(taskId));
                }
            }
            return ordered;
        } finally {
            lock.unlock();
        }
    }

    /** No task starts after this; the running ones go on. */
    public void stop() {
        lock.lock();
        try {
            stopping = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Tasks not started because a task they wait for stopped unfinished. */
    public List<String> held() {
        lock.lock();
        try {
            return scheduler.held();
        } finally {
            lock.unlock();
        }
    }

    private void work(String taskId) {
        TaskState state;
        RuntimeException error = null;
        try {
            state = (takeUpHandoffs ? dispatcher.runHandedOff(taskId) : dispatcher.run(taskId)).state();
        } catch (InterruptedException e) {
            state = currentState(taskId);
        } catch (RuntimeException e) {
            error = e;
            state = currentState(taskId);
        }
        List<PlanScheduler.Skip> skips;
        lock.lock();
        try {
            states.put(taskId, state);
            if (error != null && failure == null) {
                failure = error;
                stopping = true;
            }
            skips = scheduler.finished(taskId, state);
            for (PlanScheduler.Skip skip : skips) {
                states.put(skip.taskId(), TaskState.CANCELLED);
            }
        } finally {
            lock.unlock();
        }
        // The skipped tasks are written before the coordinator hears of the end, so the run never ends unwritten.
        record(skips);
        lock.lock();
        try {
            workers.remove(Thread.currentThread());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private TaskState currentState(String taskId) {
        return tasks.taskStatus(taskId).map(TaskStatus::state).orElse(TaskState.QUEUED);
    }

    private void record(List<PlanScheduler.Skip> skips) {
        for (PlanScheduler.Skip skip : skips) {
            if (tasks.moveTask(skip.taskId(), TaskMove.to(TaskState.CANCELLED, skip.reason()), clock.instant())) {
                listener.taskFinished(skip.taskId(), TaskState.CANCELLED, skip.reason());
            }
        }
    }
}
