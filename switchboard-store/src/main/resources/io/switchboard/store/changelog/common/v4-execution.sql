-- liquibase formatted sql

-- Version 4: what running tasks needs. A task's state with its reason and due time, the whole task and the
-- options it was submitted with; everything recorded about an attempt; every state change of a task or an
-- attempt with its reason; the orchestrators that run attempts; cooldowns that last until an agent's
-- configuration changes.
--
-- SQLite adds a column NOT NULL only with a default, so columns every row has get one; the store always
-- writes them. Rolling back drops the columns again (SQLite 3.35 and later can), indexes first.

-- changeset switchboard:v4-task-state labels:v4
-- comment: A task's state and why it is there; the task whole (draft) and its options, as JSON.
ALTER TABLE tasks ADD COLUMN state TEXT NOT NULL DEFAULT 'queued'
    CHECK (state IN ('queued', 'running', 'waiting', 'succeeded', 'failed', 'dead_lettered', 'cancelled'));
ALTER TABLE tasks ADD COLUMN state_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN state_changed_at ${instant};
-- When a waiting task may run again.
ALTER TABLE tasks ADD COLUMN due_at ${instant};
-- The task as its source stated it; its traits are in traits. NULL for a task stored before version 4,
-- which can then be routed again but not loaded.
ALTER TABLE tasks ADD COLUMN draft ${json};
-- The options it was submitted with; NULL for a task only saved.
ALTER TABLE tasks ADD COLUMN options ${json};
-- A task stored before version 4 is queued, or running when one of its attempts is in flight.
UPDATE tasks SET state = 'running' WHERE EXISTS (
    SELECT 1 FROM attempts a WHERE a.task_id = tasks.task_id AND a.state IN ('pending', 'running'));
UPDATE tasks SET state_reason = 'set by the upgrade to schema version 4', state_changed_at = updated_at;
CREATE INDEX ix_tasks_unfinished ON tasks (state, created_at);
-- rollback DROP INDEX ix_tasks_unfinished;
-- rollback ALTER TABLE tasks DROP COLUMN options;
-- rollback ALTER TABLE tasks DROP COLUMN draft;
-- rollback ALTER TABLE tasks DROP COLUMN due_at;
-- rollback ALTER TABLE tasks DROP COLUMN state_changed_at;
-- rollback ALTER TABLE tasks DROP COLUMN state_reason;
-- rollback ALTER TABLE tasks DROP COLUMN state;

-- changeset switchboard:v4-attempt-details labels:v4
-- comment: Everything recorded about an attempt: how it failed, what it cost, what it printed, who ran it.
-- No CHECK on failure_type: new kinds of failure come with new agents; the store refuses to read one it
-- does not know.
ALTER TABLE attempts ADD COLUMN failure_type TEXT;
ALTER TABLE attempts ADD COLUMN failure_message TEXT;
ALTER TABLE attempts ADD COLUMN non_retryable ${bool} NOT NULL DEFAULT FALSE;
ALTER TABLE attempts ADD COLUMN failure_detail TEXT;
ALTER TABLE attempts ADD COLUMN reset_at ${instant};
ALTER TABLE attempts ADD COLUMN duration_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN input_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN output_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN cost ${float} NOT NULL DEFAULT 0;
ALTER TABLE attempts ADD COLUMN exit_code INTEGER;
ALTER TABLE attempts ADD COLUMN session_id TEXT;
ALTER TABLE attempts ADD COLUMN agent_version TEXT NOT NULL DEFAULT '';
ALTER TABLE attempts ADD COLUMN output TEXT NOT NULL DEFAULT '';
ALTER TABLE attempts ADD COLUMN verify_output TEXT NOT NULL DEFAULT '';
ALTER TABLE attempts ADD COLUMN difficulty TEXT CHECK (difficulty IN ('straightforward', 'tricky', 'failed'));
-- No foreign keys to the decision or the orchestrator: an attempt is history and keeps what it was told.
ALTER TABLE attempts ADD COLUMN decision_id BIGINT;
ALTER TABLE attempts ADD COLUMN orchestrator_id TEXT;
ALTER TABLE attempts ADD COLUMN marker TEXT;
-- Spend and recent outcomes are read by finish time within a window.
CREATE INDEX ix_attempts_finished ON attempts (finished_at);
-- rollback DROP INDEX ix_attempts_finished;
-- rollback ALTER TABLE attempts DROP COLUMN marker;
-- rollback ALTER TABLE attempts DROP COLUMN orchestrator_id;
-- rollback ALTER TABLE attempts DROP COLUMN decision_id;
-- rollback ALTER TABLE attempts DROP COLUMN difficulty;
-- rollback ALTER TABLE attempts DROP COLUMN verify_output;
-- rollback ALTER TABLE attempts DROP COLUMN output;
-- rollback ALTER TABLE attempts DROP COLUMN agent_version;
-- rollback ALTER TABLE attempts DROP COLUMN session_id;
-- rollback ALTER TABLE attempts DROP COLUMN exit_code;
-- rollback ALTER TABLE attempts DROP COLUMN cost;
-- rollback ALTER TABLE attempts DROP COLUMN output_tokens;
-- rollback ALTER TABLE attempts DROP COLUMN input_tokens;
-- rollback ALTER TABLE attempts DROP COLUMN duration_ms;
-- rollback ALTER TABLE attempts DROP COLUMN reset_at;
-- rollback ALTER TABLE attempts DROP COLUMN failure_detail;
-- rollback ALTER TABLE attempts DROP COLUMN non_retryable;
-- rollback ALTER TABLE attempts DROP COLUMN failure_message;
-- rollback ALTER TABLE attempts DROP COLUMN failure_type;

-- changeset switchboard:v4-transitions labels:v4
-- comment: Every state change of a task (attempt_number NULL) or of one of its attempts, with its reason.
CREATE TABLE transitions (
    -- Write order: ties in time are read in the order they were written.
    id              ${identity} PRIMARY KEY,
    task_id         TEXT        NOT NULL REFERENCES tasks (task_id) ON DELETE CASCADE,
    attempt_number  INTEGER,
    -- NULL when the task or attempt was created.
    from_state      TEXT,
    to_state        TEXT        NOT NULL,
    reason          TEXT        NOT NULL,
    at              ${instant}  NOT NULL
);
CREATE INDEX ix_transitions_task ON transitions (task_id, at, id);
-- The tasks stored before version 4 start their history with the state the upgrade gave them.
INSERT INTO transitions (task_id, attempt_number, from_state, to_state, reason, at)
    SELECT task_id, NULL, NULL, state, state_reason, state_changed_at FROM tasks;
-- rollback DROP TABLE transitions;

-- changeset switchboard:v4-orchestrators labels:v4
-- comment: Orchestrator processes; resume tells a dead one's attempts (ended_at NULL, process gone) by these.
CREATE TABLE orchestrators (
    orchestrator_id  TEXT        NOT NULL PRIMARY KEY,
    host             TEXT        NOT NULL,
    pid              BIGINT      NOT NULL,
    started_at       ${instant}  NOT NULL,
    ended_at         ${instant}
);
-- rollback DROP TABLE orchestrators;

-- changeset switchboard:v4-cooldown-fingerprint labels:v4
-- comment: A cooldown that lasts until the agent's configuration changes names the configuration it applies to.
ALTER TABLE cooldowns ADD COLUMN config_fingerprint TEXT;
-- rollback ALTER TABLE cooldowns DROP COLUMN config_fingerprint;
