-- liquibase formatted sql

-- Version 8: workflow runs. A run keeps the workflow as it was run, its inputs and the options its steps' tasks
-- run with; each step iteration keeps the task it became and, once committed, its output. What a step that outputs
-- text passes on is its attempt's final answer, which version 7 keeps (attempts.answer).

-- changeset switchboard:v8-workflow-runs labels:v8
-- comment: One run of a workflow; its id is base-number, the base being the workflow's name or a task's id.
CREATE TABLE workflow_runs (
    run_id           TEXT        NOT NULL PRIMARY KEY,
    base             TEXT        NOT NULL,
    run_number       INTEGER     NOT NULL CHECK (run_number >= 1),
    workflow_name    TEXT        NOT NULL,
    -- The workflow whole, as it was run: a run resumes as it began even when its file changed since.
    definition       ${json}     NOT NULL,
    inputs           ${json}     NOT NULL,
    -- What every step's task runs with, as tasks.options holds it.
    options          ${json}     NOT NULL,
    -- The task a run of orchestrate --workflow carries (its draft, as tasks.draft holds it); NULL otherwise.
    origin           ${json},
    state            TEXT        NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
    state_reason     TEXT        NOT NULL,
    orchestrator_id  TEXT,
    created_at       ${instant}  NOT NULL,
    updated_at       ${instant}  NOT NULL,
    UNIQUE (base, run_number)
);
CREATE INDEX ix_workflow_runs_unfinished ON workflow_runs (state, created_at);
-- rollback DROP TABLE workflow_runs;

-- changeset switchboard:v8-workflow-steps labels:v8
-- comment: One iteration of one step of a run, and the task it became; its output once committed.
CREATE TABLE workflow_steps (
    run_id           TEXT        NOT NULL REFERENCES workflow_runs (run_id) ON DELETE CASCADE,
    step_id          TEXT        NOT NULL,
    iteration        INTEGER     NOT NULL CHECK (iteration >= 1),
    -- The task that runs it now; after a handoff, the handoff's.
    task_id          TEXT        NOT NULL REFERENCES tasks (task_id),
    handed_off_from  TEXT        REFERENCES tasks (task_id),
    state            TEXT        NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
    state_reason     TEXT        NOT NULL,
    output           TEXT,
    -- For a step that outputs the files it changed: the working directory when it started.
    snapshot         TEXT,
    -- The order the run's iterations started and finished in: a resumed run replays them in this order.
    position         INTEGER     NOT NULL,
    finish_order     INTEGER,
    started_at       ${instant}  NOT NULL,
    finished_at      ${instant},
    PRIMARY KEY (run_id, step_id, iteration),
    UNIQUE (run_id, position)
);
CREATE UNIQUE INDEX ix_workflow_steps_task ON workflow_steps (task_id);
CREATE INDEX ix_workflow_steps_handed_off ON workflow_steps (handed_off_from);
-- rollback DROP TABLE workflow_steps;
