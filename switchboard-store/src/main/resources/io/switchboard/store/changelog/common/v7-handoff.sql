-- liquibase formatted sql

-- Version 7: handoffs. What an attempt was given after the task's prompt (its handoff packet) and the agent's
-- final answer, both kept with the attempt; and a person's request to hand a task to one agent, kept on the task
-- until an attempt on that agent takes it up, and after that as the pin that keeps the task on that agent.

-- changeset switchboard:v7-attempt-handoff labels:v7
-- comment: The packet an attempt was given after the task's prompt (empty: the prompt alone), and the agent's final
-- answer as its adapter reads it, or its standard output when it reads none: what the next attempt is told was done,
-- and what a workflow step that outputs text passes on.
ALTER TABLE attempts ADD COLUMN packet TEXT NOT NULL DEFAULT '';
ALTER TABLE attempts ADD COLUMN answer TEXT NOT NULL DEFAULT '';
-- rollback ALTER TABLE attempts DROP COLUMN answer;
-- rollback ALTER TABLE attempts DROP COLUMN packet;

-- changeset switchboard:v7-task-handoff labels:v7
-- comment: The agent a person handed the task to, their note, when they asked, and the attempt that took the
-- request up (NULL while it is pending). All NULL for a task never handed off.
ALTER TABLE tasks ADD COLUMN handoff_to TEXT;
ALTER TABLE tasks ADD COLUMN handoff_note TEXT;
ALTER TABLE tasks ADD COLUMN handoff_at ${instant};
ALTER TABLE tasks ADD COLUMN handoff_attempt INTEGER;
-- rollback ALTER TABLE tasks DROP COLUMN handoff_attempt;
-- rollback ALTER TABLE tasks DROP COLUMN handoff_at;
-- rollback ALTER TABLE tasks DROP COLUMN handoff_note;
-- rollback ALTER TABLE tasks DROP COLUMN handoff_to;
