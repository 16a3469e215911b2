package io.switchboard.core.port;

import io.switchboard.core.attempt.AttemptRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Several orchestrators sharing one database: which of them runs which task, and who takes over when one dies.
 *
 * <p>An orchestrator that shares the work beats ({@link #beatOrchestrator}) and is <em>live</em> while its last beat
 * plus its window is not before the database's now and it has not ended ({@link TaskStore#endOrchestrator}). Time is
 * the database's clock throughout, as for workers. An orchestrator that never beat (one run of {@code orchestrate} on
 * one machine, judged by its process id) is never judged here.
 *
 * <p>A task is claimed by at most one orchestrator at a time. A claim lasts until the orchestrator releases it or
 * stops being live; a final task keeps its last claimant, for the record.
 */
public interface TaskClaims {

    /**
     * Stamps the orchestrator's heartbeat with the database's now, and the window after which silence means it is
     * gone. The orchestrator must be registered ({@link TaskStore#registerOrchestrator}).
     *
     * @return {@code false} when it is not registered or has ended: it must stop claiming
     */
    boolean beatOrchestrator(String orchestratorId, Duration staleAfter);

    /**
     * Claims up to {@code limit} tasks for the orchestrator, in one transaction: tasks {@code QUEUED}, or {@code
     * WAITING} with a due time at or before {@code now}, that no live orchestrator has claimed, oldest first (by when
     * they were accepted; ties by id). Tasks other orchestrators are claiming at the same moment
     * are skipped, not waited for ({@code FOR UPDATE SKIP LOCKED} on PostgreSQL).
     *
     * @return the ids claimed, in that order
     */
    List<String> claimTasks(String orchestratorId, int limit, Instant now);

    /**
     * Claims one task, whatever its state, unless a live orchestrator other than this one holds it.
     *
     * @return whether this orchestrator holds it now
     */
    boolean claimTask(String taskId, String orchestratorId);

    /**
     * The tasks the orchestrator holds that are not in a final state, oldest first (by when they were accepted; ties
     * by id): what it claimed, including a claim that was committed while the orchestrator lost the reply (the
     * connection cut as the commit went through), which it can find again only here.
     */
    List<String> claimedTasks(String orchestratorId);

    /**
     * Gives up the orchestrator's claims on tasks not in a final state (a clean stop), so another orchestrator can
     * take them at once.
     *
     * @return how many were released
     */
    int releaseTasks(String orchestratorId);

    /**
     * Attempts in flight whose orchestrator beat at least once and is no longer live (its beats went stale, or it
     * ended without settling them): work to take over. Oldest first.
     */
    List<AttemptRecord> orphanedAttempts();
}
