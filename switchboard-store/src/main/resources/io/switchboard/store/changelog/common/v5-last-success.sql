-- liquibase formatted sql

-- Version 5: routing asks for each registered agent's latest success at a work type. The index on (work type,
-- state, finish time) answered that by reading every success in the recent window, which grows with how many
-- tasks ran in it; with the agent before the finish time, each agent's latest is one seek.

-- changeset switchboard:v5-attempts-last-success labels:v5
-- comment: Each agent's latest success at a work type, one index seek per agent.
DROP INDEX ix_attempts_recent;
CREATE INDEX ix_attempts_last_success ON attempts (work_type, state, agent_id, finished_at);
-- rollback DROP INDEX ix_attempts_last_success;
-- rollback CREATE INDEX ix_attempts_recent ON attempts (work_type, state, finished_at);
