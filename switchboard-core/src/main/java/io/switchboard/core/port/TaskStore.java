package io.switchboard.core.port;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptOutcome;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptStart;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.attempt.DecidedStart;
import io.switchboard.core.attempt.OrchestratorRecord;
import io.switchboard.core.attempt.StartResult;
import io.switchboard.core.attempt.TaskMove;
import io.switchboard.core.attempt.Transition;
import io.switchboard.core.task.Handoff;
import io.switchboard.core.task.HandoffPendingException;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Set;
import java.util.UUID;

/**
 * Tasks, their attempts and every state change of either, with its reason. In-flight load and recent context
 * are read from attempts, never from decision rows.
 *
 * <p>Every method that changes a state writes the change and its {@link Transition} in one transaction. A task's
 * state only moves as {@link io.switchboard.core.task.TaskState#canMoveTo} allows, and an attempt's as
 * {@link AttemptState#canMoveTo} allows; a move that is not allowed changes nothing and reports {@code false}.
 */
public interface TaskStore {

    /**
     * Stores the task (its whole draft and traits, so that it can be loaded back), or updates it when one of
     * that id exists. A new task starts {@code QUEUED} with the transition reason "accepted"; an existing task
     * keeps its state.
     */
    void saveTask(Task task, Instant now);

    /**
     * Accepts a task to be run with these options: stores it as {@link #saveTask} does, and its options.
     * A task that already ended stays as it is, unless {@code again}: then it moves back to {@code QUEUED}
     * with the reason "run again" (one of the two ways out of a final state, with {@link #requestHandoff}; its
     * attempts keep their numbers and the next one continues from them), and any handoff it had is forgotten.
     *
     * @return the task's status after the call
     */
    TaskStatus submit(Task task, TaskOptions options, boolean again, Instant now);

    /** The id, title and work type of a stored task. */
    Optional<TaskSummary> findTask(String taskId);

    /**
     * The task exactly as it was saved (equal to it). Empty for an unknown task, and for a task stored before
     * the store kept tasks whole (schema version 4): such a task can be routed again, which stores it whole.
     */
    Optional<Task> loadTask(String taskId);

    /** The options it was submitted with; {@link TaskOptions#DEFAULTS} for a task only saved. */
    Optional<TaskOptions> taskOptions(String taskId);

    Optional<TaskStatus> taskStatus(String taskId);

    /**
     * What running a task reads of it, at once: the task as {@link #loadTask} gives it ({@code null} for a task stored
     * before the store kept tasks whole), its options as {@link #taskOptions} gives them, its status, its handoff, and
     * whether any attempt of it is stored (when none is, its attempts need no read of their own). One read where a
     * store can make it one; by default the five reads.
     */
    default Optional<TaskRun> taskRun(String taskId) {
        return taskStatus(taskId).map(status -> new TaskRun(loadTask(taskId).orElse(null),
                taskOptions(taskId).orElse(TaskOptions.DEFAULTS), status, handoff(taskId).orElse(null),
                !attemptRecords(taskId).isEmpty()));
    }

    /**
     * Moves the task to {@code move.to()} if its current state allows it, and records the transition.
     *
     * @return whether it moved
     */
    boolean moveTask(String taskId, TaskMove move, Instant now);

    /**
     * {@link #moveTask} only while the task is in one of the states {@code from}, judged in the same transaction: the
     * move a decision made on an earlier read of the task, so that it cannot undo what changed since (an attempt
     * started meanwhile by another run, which only its finish may move the task from).
     *
     * @return whether it moved
     */
    boolean moveTaskFrom(String taskId, Set<TaskState> from, TaskMove move, Instant now);

    /** Ids of the tasks not in a final state, oldest first (by when they were accepted; ties by id). */
    List<String> unfinishedTasks();

    /**
     * Ids of the tasks last submitted in a plan run of this name ({@link TaskOptions#planRun()}), in any state,
     * oldest first (by when they were accepted; ties by id). A task submitted again outside the plan leaves it.
     */
    List<String> planTasks(String planRun);

    /**
     * Starts the next attempt of a task on an agent: the attempt is RUNNING, its number one more than the
     * task's highest, and the task moves to RUNNING; both transitions are recorded, the task's with the reason
     * "attempt N on AGENT", the attempt's with "started on AGENT". A task that is RUNNING already (its last
     * attempt finished without moving it) stays so, and only the attempt's transition is recorded.
     *
     * <p>The start's packet is kept with the attempt. A task with a pending handoff starts only the attempt that
     * takes it up ({@link AttemptStart#handoff()} the same request, on its agent): the handoff then records that
     * attempt's number and stops being pending.
     *
     * <p>A task another orchestrator claimed ({@link TaskClaims}) starts no attempt of this start's orchestrator.
     *
     * @throws HandoffPendingException when the task has a pending handoff the start does not take up
     * @throws io.switchboard.core.task.TaskClaimedException when another orchestrator holds the task's claim
     * @throws IllegalStateException when the task is not stored, is in a final state, or has an attempt in
     *     flight; or when the start takes up a handoff that is no longer pending
     */
    Attempt startAttempt(AttemptStart start, Instant now);

    /**
     * Records routing decisions and starts the attempts they chose, all in one transaction, in the order given: each
     * decision is appended as {@link DecisionLog#append} appends it, and its attempt, when it has one, is started with
     * the decision's id as {@link #startAttempt(AttemptStart, Instant)} starts it. A start that method would refuse is
     * refused alone: its result carries the exception, its decision is recorded all the same, and the others go on. The
     * whole batch fails only when the store does (nothing of it is written then).
     *
     * <p>One commit for many tasks' decisions and starts is what lets a dispatcher start attempts faster than it can
     * commit one at a time.
     *
     * @return one result per item, in the order given
     * @throws IllegalArgumentException when an item sends a message ({@link DecidedStart#send()}) and this store is
     *     no {@link Outbox} (which starts remote attempts, {@link Outbox#startAttempts}); nothing is written
     */
    List<StartResult> startAttempts(List<DecidedStart> starts, Instant now);

    /** {@link #startAttempt(AttemptStart, Instant)} with nothing but the agent, mode and work type. */
    default Attempt startAttempt(String taskId, UUID agentId, String agentName, Mode mode, String workType,
            Instant now) {
        return startAttempt(AttemptStart.of(taskId, agentId, agentName, mode, workType), now);
    }

    /**
     * Records how an attempt ended, in one transaction: its final state and details, its transition, the
     * agent's performance when asked, and the task's move when given. Guarded by the attempt number (the
     * fencing token): nothing is written unless the attempt is the task's highest-numbered one and still in
     * flight.
     *
     * <p>The attempt's transition has the failure's message as its reason (the failure type's name when the
     * message is empty), or "succeeded". A {@code taskMove} the task's state does not allow refuses the whole
     * outcome: nothing is written and the attempt stays in flight. Performance is folded in only while the
     * agent is registered (an attempt outlives its agent).
     *
     * @return whether it was recorded
     */
    boolean finishAttempt(AttemptOutcome outcome);

    /** {@link #finishAttempt(AttemptOutcome)} with nothing but the state. */
    default boolean finishAttempt(String taskId, int number, AttemptState state, Instant now) {
        return finishAttempt(AttemptOutcome.bare(taskId, number, state, now));
    }

    /** The task's attempts, by number. */
    List<Attempt> attempts(String taskId);

    /** The task's attempts with everything recorded about them, by number. */
    List<AttemptRecord> attemptRecords(String taskId);

    /** Every attempt in flight (PENDING or RUNNING), of any task, oldest first (ties by task id, then number). */
    List<AttemptRecord> inFlightAttempts();

    /** The task's transitions and its attempts', oldest first (ties in the order they were written). */
    List<Transition> transitions(String taskId);

    /** In-flight attempts per agent id; idle agents are absent. */
    Map<UUID, Integer> inFlightByAgent();

    /**
     * In-flight attempts per agent id, leaving out those recorded under {@code orchestratorId}: what other orchestrators
     * (and runs before) hold, for a dispatcher that counts its own attempts itself.
     */
    Map<UUID, Integer> inFlightByAgentOfOthers(String orchestratorId);

    /**
     * Per registered agent id, its latest success at this work type finished at or after {@code since}. Agents
     * removed from the registry are left out (nothing routes to them); asking costs the same however many
     * attempts finished since then.
     */
    Map<UUID, Instant> lastSuccessByAgent(String workType, Instant since);

    /** Names of the agents whose attempts at this task failed, timed out or were abandoned. */
    Set<String> agentsThatFailed(String taskId);

    /**
     * How the agent's attempts that finished at or after {@code since} ended: SUCCEEDED counts as a success,
     * FAILED and TIMED_OUT as failures; cancelled and abandoned attempts are not counted.
     */
    RecentOutcomes recentOutcomes(UUID agentId, Instant since);

    /** Dollars recorded by attempts that finished at or after {@code since}. */
    double spentSince(Instant since);

    /**
     * Records that a person hands the task off to {@code handoff.toAgent()}, in place of any earlier request no
     * attempt took up. A task that failed, was dead-lettered or cancelled moves back to {@code QUEUED} (with
     * "run again", the only ways out of a final state), and so does a waiting task, which the handoff runs now; both
     * with the reason {@link Handoff#reason()}. A queued or running task keeps its state: a running attempt is
     * the caller's to stop, and whoever records its end leaves the task to the handoff.
     *
     * @param handoff a pending request ({@code attempt} null), asked for now
     * @return the attempt in flight when the request was recorded, if there was one
     * @throws IllegalStateException when the task is not stored, or has succeeded
     */
    Optional<AttemptRecord> requestHandoff(String taskId, Handoff handoff);

    /** The task's handoff: pending, or taken up by an attempt; empty when it has none. */
    Optional<Handoff> handoff(String taskId);

    /**
     * Forgets a handoff no attempt took up (it came too late: the task succeeded first).
     *
     * @return whether that request was pending and is now gone
     */
    boolean withdrawHandoff(String taskId, Handoff handoff);

    /** Records an orchestrator that is starting; registering an id again replaces what was recorded. */
    void registerOrchestrator(OrchestratorRecord orchestrator);

    /** Records that an orchestrator ended cleanly; the first end recorded stays. */
    void endOrchestrator(String orchestratorId, Instant now);

    Optional<OrchestratorRecord> orchestrator(String orchestratorId);

    /** What the store keeps of a task itself. */
    record TaskSummary(String id, String title, String workType) {
    }

    /** Finished attempts of one agent in a window. */
    /** See {@link #taskRun}. */
    record TaskRun(Task task, TaskOptions options, TaskStatus status, Handoff handoff, boolean hasAttempts) {
        public TaskRun {
            java.util.Objects.requireNonNull(options, "options");
            java.util.Objects.requireNonNull(status, "status");
        }
    }

    record RecentOutcomes(int succeeded, int failed) {
        public int total() {
            return succeeded + failed;
        }
    }
}
