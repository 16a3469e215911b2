-- liquibase formatted sql

-- Version 14: indexes hold only the rows their queries look for. An index entry is written with the row and moved
-- with every change of its key, and each index page a commit changes is appended to the write-ahead log: a task
-- queued and run to its end wrote about 42 pages over its three commits. Finished attempts, finished tasks, tasks
-- outside a plan run and tasks nobody claimed were in indexes that are read only for the others; left out, the same
-- task writes about 34 (SQLite, counted as writes to the log). Each query that reads one of these indexes names its
-- condition, so the index still serves it.

-- changeset switchboard:v14-partial-indexes labels:v14
-- comment: The in-flight, finished, last-success, unfinished, plan-run and claim indexes hold only the rows read.
DROP INDEX ix_attempts_in_flight;
CREATE INDEX ix_attempts_in_flight ON attempts (state, agent_id) WHERE state IN ('pending', 'running');
DROP INDEX ix_attempts_finished;
CREATE INDEX ix_attempts_finished ON attempts (finished_at) WHERE finished_at IS NOT NULL;
DROP INDEX ix_attempts_last_success;
CREATE INDEX ix_attempts_last_success ON attempts (work_type, agent_id, finished_at) WHERE state = 'succeeded';
DROP INDEX ix_tasks_unfinished;
CREATE INDEX ix_tasks_unfinished ON tasks (state, created_at) WHERE state IN ('queued', 'running', 'waiting');
DROP INDEX ix_tasks_plan_run;
CREATE INDEX ix_tasks_plan_run ON tasks (plan_run, created_at) WHERE plan_run IS NOT NULL;
DROP INDEX ix_tasks_claimed_by;
CREATE INDEX ix_tasks_claimed_by ON tasks (claimed_by) WHERE claimed_by IS NOT NULL;
-- rollback DROP INDEX ix_tasks_claimed_by;
-- rollback CREATE INDEX ix_tasks_claimed_by ON tasks (claimed_by);
-- rollback DROP INDEX ix_tasks_plan_run;
-- rollback CREATE INDEX ix_tasks_plan_run ON tasks (plan_run, created_at);
-- rollback DROP INDEX ix_tasks_unfinished;
-- rollback CREATE INDEX ix_tasks_unfinished ON tasks (state, created_at);
-- rollback DROP INDEX ix_attempts_last_success;
-- rollback CREATE INDEX ix_attempts_last_success ON attempts (work_type, state, agent_id, finished_at);
-- rollback DROP INDEX ix_attempts_finished;
-- rollback CREATE INDEX ix_attempts_finished ON attempts (finished_at);
-- rollback DROP INDEX ix_attempts_in_flight;
-- rollback CREATE INDEX ix_attempts_in_flight ON attempts (state, agent_id);
