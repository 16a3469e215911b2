-- liquibase formatted sql

-- Version 10: remote workers' agents. The worker that registered an agent, and how long after its last heartbeat
-- the agent reads offline. Both NULL for an agent no worker registered (declared in config, added by hand), which
-- has no heartbeat to miss. Staleness is judged when the registry is read, by the database's clock.

-- changeset switchboard:v10-agent-workers labels:v10
-- comment: The worker an agent runs on and the silence after which it is offline, in milliseconds.
ALTER TABLE agent_registry ADD COLUMN worker_id TEXT;
ALTER TABLE agent_registry ADD COLUMN stale_after_ms BIGINT;
-- rollback ALTER TABLE agent_registry DROP COLUMN stale_after_ms;
-- rollback ALTER TABLE agent_registry DROP COLUMN worker_id;
