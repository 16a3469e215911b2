-- liquibase formatted sql

-- Version 6: running a plan several tasks at a time, each attempt in a workspace of its own (a git worktree on the
-- task's branch, or a copy of the project). An attempt records where its work is and what it changed; a task
-- records the plan run it was submitted in, so that 'merge --plan' and 'resume' find the run's tasks. An attempt
-- that ran in the working directory itself, and every row written before version 6, has NULL in all of these.

-- changeset switchboard:v6-attempt-changes labels:v6
-- comment: What an attempt changed in its own workspace: branch and commit, or the copy; the files and a diff stat.
ALTER TABLE attempts ADD COLUMN workspace_branch TEXT;
ALTER TABLE attempts ADD COLUMN workspace_commit TEXT;
ALTER TABLE attempts ADD COLUMN workspace_copy TEXT;
-- [{"kind": "M", "path": "src/Parser.java"}, …]; NULL when the attempt had no workspace of its own.
ALTER TABLE attempts ADD COLUMN changed_files ${json};
ALTER TABLE attempts ADD COLUMN diff_stat TEXT;
-- rollback ALTER TABLE attempts DROP COLUMN diff_stat;
-- rollback ALTER TABLE attempts DROP COLUMN changed_files;
-- rollback ALTER TABLE attempts DROP COLUMN workspace_copy;
-- rollback ALTER TABLE attempts DROP COLUMN workspace_commit;
-- rollback ALTER TABLE attempts DROP COLUMN workspace_branch;

-- changeset switchboard:v6-task-plan-run labels:v6
-- comment: The plan run a task was last submitted in (the name given to orchestrate --plan), found by name.
ALTER TABLE tasks ADD COLUMN plan_run TEXT;
CREATE INDEX ix_tasks_plan_run ON tasks (plan_run, created_at);
-- rollback DROP INDEX ix_tasks_plan_run;
-- rollback ALTER TABLE tasks DROP COLUMN plan_run;
