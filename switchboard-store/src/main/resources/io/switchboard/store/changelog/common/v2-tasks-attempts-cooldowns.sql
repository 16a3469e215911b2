-- liquibase formatted sql

-- Version 2: tasks, their attempts (load and recent context are read from here, never from decisions), and
-- cooldowns.

-- changeset switchboard:v2-tasks labels:v2
CREATE TABLE tasks (
    task_id     TEXT        NOT NULL PRIMARY KEY,
    title       TEXT        NOT NULL,
    work_type   TEXT        NOT NULL,
    task_type   TEXT        NOT NULL,
    pool        TEXT,
    traits      ${json}     NOT NULL,
    source      TEXT        NOT NULL,
    created_at  ${instant}  NOT NULL,
    updated_at  ${instant}  NOT NULL
);
-- rollback DROP TABLE tasks;

-- changeset switchboard:v2-attempts labels:v2
-- comment: One row per execution; (task_id, attempt_number) is the fencing token.
CREATE TABLE attempts (
    task_id         TEXT        NOT NULL REFERENCES tasks (task_id) ON DELETE CASCADE,
    attempt_number  INTEGER     NOT NULL CHECK (attempt_number >= 1),
    -- No foreign key: an attempt is history and outlives its agent; agent_name says who it was.
    agent_id        ${uuid}     NOT NULL,
    agent_name      TEXT        NOT NULL,
    mode            TEXT        NOT NULL,
    work_type       TEXT        NOT NULL,
    state           TEXT        NOT NULL CHECK (state IN
                        ('pending', 'running', 'succeeded', 'failed', 'timed_out', 'cancelled', 'abandoned')),
    started_at      ${instant}  NOT NULL,
    finished_at     ${instant},
    PRIMARY KEY (task_id, attempt_number)
);
CREATE INDEX ix_attempts_in_flight ON attempts (state, agent_id);
CREATE INDEX ix_attempts_recent ON attempts (work_type, state, finished_at);
-- rollback DROP TABLE attempts;

-- changeset switchboard:v2-cooldowns labels:v2
CREATE TABLE cooldowns (
    agent_id  ${uuid}     NOT NULL PRIMARY KEY REFERENCES agent_registry (agent_id) ON DELETE CASCADE,
    until     ${instant}  NOT NULL,
    reason    TEXT        NOT NULL
);
-- rollback DROP TABLE cooldowns;
