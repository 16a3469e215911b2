-- liquibase formatted sql

-- Version 11: attempts run by remote workers, and orchestrators sharing one database. An attempt started with its
-- outbox message is remote: its row says where it stands (sent, claimed, reported, expired), which worker holds its
-- lease and until when, by the database's clock. Every result a worker reports is kept, accepted or superseded.
-- An orchestrator that shares the work beats like a worker, and a task names the orchestrator that claimed it.
-- Every time below is the database's clock ({now} in the store's SQL), never a caller's.

-- changeset switchboard:v11-attempt-leases labels:v11
-- comment: An attempt's remote side: NULL for an attempt run locally. The lease is the time a worker has to claim a
-- sent attempt, then the time its claim lasts unless renewed.
ALTER TABLE attempts ADD COLUMN remote_state TEXT CHECK (remote_state IN ('sent', 'claimed', 'reported', 'expired'));
ALTER TABLE attempts ADD COLUMN lease_worker TEXT;
ALTER TABLE attempts ADD COLUMN lease_until ${instant};
-- An orchestrator's expiry sweep: its remote attempts whose lease may pass. Only those are in it, so it stays as
-- small as the work in flight.
CREATE INDEX ix_attempts_remote_in_flight ON attempts (orchestrator_id, lease_until)
    WHERE remote_state IN ('sent', 'claimed');
-- A worker's renewal: the leases it holds.
CREATE INDEX ix_attempts_leases ON attempts (lease_worker) WHERE remote_state = 'claimed';
-- rollback DROP INDEX ix_attempts_leases;
-- rollback DROP INDEX ix_attempts_remote_in_flight;
-- rollback ALTER TABLE attempts DROP COLUMN lease_until;
-- rollback ALTER TABLE attempts DROP COLUMN lease_worker;
-- rollback ALTER TABLE attempts DROP COLUMN remote_state;

-- changeset switchboard:v11-attempt-results labels:v11
-- comment: Every result a worker reported, one row per worker and attempt (a repeated report is the same row), with
-- whether it became the attempt's and why not. No foreign key: a report for an attempt the store does not hold is
-- kept too, superseded, as history.
CREATE TABLE attempt_results (
    id                ${identity} PRIMARY KEY,
    task_id           TEXT        NOT NULL,
    attempt_number    INTEGER     NOT NULL CHECK (attempt_number >= 1),
    worker_id         TEXT        NOT NULL,
    accepted          ${bool}     NOT NULL,
    reason            TEXT        NOT NULL,
    reported_at       ${instant}  NOT NULL,
    -- The run's result, as the worker reported it: its failure (all NULL for a success), exit status (NULL when the
    -- process was not started or ended by a signal), duration, usage (cost NULL when the agent reports tokens only),
    -- session, final answer, agent version, and what was kept of each output stream.
    failure_type      TEXT,
    failure_message   TEXT,
    non_retryable     ${bool},
    failure_detail    TEXT,
    reset_at          ${instant},
    exit_code         INTEGER,
    duration_ms       BIGINT      NOT NULL,
    input_tokens      BIGINT      NOT NULL,
    output_tokens     BIGINT      NOT NULL,
    cost              ${float},
    session_id        TEXT,
    summary           TEXT        NOT NULL,
    agent_version     TEXT        NOT NULL,
    stdout            TEXT        NOT NULL,
    stdout_bytes      BIGINT      NOT NULL,
    stdout_truncated  ${bool}     NOT NULL,
    stderr            TEXT        NOT NULL,
    stderr_bytes      BIGINT      NOT NULL,
    stderr_truncated  ${bool}     NOT NULL,
    UNIQUE (task_id, attempt_number, worker_id)
);
-- rollback DROP TABLE attempt_results;

-- changeset switchboard:v11-orchestrator-heartbeats labels:v11
-- comment: An orchestrator that shares the work beats; it is live while its last beat plus its window is not before
-- the database's now. Both NULL for one that never beat, which is never judged by them.
ALTER TABLE orchestrators ADD COLUMN last_heartbeat ${instant};
ALTER TABLE orchestrators ADD COLUMN stale_after_ms BIGINT;
-- rollback ALTER TABLE orchestrators DROP COLUMN stale_after_ms;
-- rollback ALTER TABLE orchestrators DROP COLUMN last_heartbeat;

-- changeset switchboard:v11-task-claims labels:v11
-- comment: The orchestrator that claimed the task, or NULL; a final task keeps its last claimant.
ALTER TABLE tasks ADD COLUMN claimed_by TEXT;
CREATE INDEX ix_tasks_claimed_by ON tasks (claimed_by);
-- rollback DROP INDEX ix_tasks_claimed_by;
-- rollback ALTER TABLE tasks DROP COLUMN claimed_by;
