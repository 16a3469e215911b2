-- liquibase formatted sql

-- Version 12: several relays on one outbox, and several workers for one agent.
--
-- A relay publishes only the rows it has claimed, and a claim holds until an instant of the database's clock: two
-- relays never publish the same pending row while its claim holds, and the rows of a relay that died go to the others
-- once its claims pass.
--
-- An agent a worker registered keeps one heartbeat per worker that runs it, and reads online while any of them is live
-- by the database's clock (judged when the registry is read, as in version 10).

-- changeset switchboard:v12-outbox-claims labels:v12
-- comment: The relay that claimed a row to publish it, and until when, by the database's clock; both NULL for a row no
-- relay claimed. A sent row keeps them: the relay that sent it.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until ${instant};
-- A relay's own pending rows, oldest first, whatever the backlog behind them. Only pending rows are in it, like the
-- relay's read (ix_outbox_pending).
CREATE INDEX ix_outbox_claims ON outbox (claimed_by, id) WHERE sent_at IS NULL;
-- rollback DROP INDEX ix_outbox_claims;
-- rollback ALTER TABLE outbox DROP COLUMN claimed_until;
-- rollback ALTER TABLE outbox DROP COLUMN claimed_by;

-- changeset switchboard:v12-agent-workers labels:v12
-- comment: The workers that run an agent, one row each: the worker's last heartbeat and the silence after which it no
-- longer keeps the agent online, and when it left (a clean stop; NULL while it runs). An agent with rows here is judged
-- by them: online while one of its workers that has not left beat within its window. The agent's own worker and window
-- columns (version 10) move here and go.
CREATE TABLE agent_workers (
    agent_id        ${uuid}     NOT NULL REFERENCES agent_registry (agent_id) ON DELETE CASCADE,
    worker_id       TEXT        NOT NULL,
    last_heartbeat  ${instant}  NOT NULL,
    stale_after_ms  BIGINT      NOT NULL CHECK (stale_after_ms >= 1),
    left_at         ${instant},
    PRIMARY KEY (agent_id, worker_id)
);
-- A worker's beat and leave: its own rows.
CREATE INDEX ix_agent_workers_worker ON agent_workers (worker_id);
INSERT INTO agent_workers (agent_id, worker_id, last_heartbeat, stale_after_ms)
    SELECT agent_id, worker_id, COALESCE(last_heartbeat, updated_at), stale_after_ms FROM agent_registry
    WHERE worker_id IS NOT NULL AND stale_after_ms IS NOT NULL;
ALTER TABLE agent_registry DROP COLUMN worker_id;
ALTER TABLE agent_registry DROP COLUMN stale_after_ms;
-- rollback ALTER TABLE agent_registry ADD COLUMN worker_id TEXT;
-- rollback ALTER TABLE agent_registry ADD COLUMN stale_after_ms BIGINT;
-- rollback UPDATE agent_registry SET
-- rollback     worker_id = (SELECT w.worker_id FROM agent_workers w WHERE w.agent_id = agent_registry.agent_id
-- rollback         ORDER BY w.left_at IS NULL DESC, w.last_heartbeat DESC, w.worker_id LIMIT 1),
-- rollback     stale_after_ms = (SELECT w.stale_after_ms FROM agent_workers w
-- rollback         WHERE w.agent_id = agent_registry.agent_id ORDER BY w.left_at IS NULL DESC, w.last_heartbeat DESC, w.worker_id LIMIT 1),
-- rollback     last_heartbeat = (SELECT MAX(w.last_heartbeat) FROM agent_workers w
-- rollback         WHERE w.agent_id = agent_registry.agent_id)
-- rollback WHERE agent_id IN (SELECT agent_id FROM agent_workers);
-- rollback UPDATE agent_registry SET status = 'offline'
-- rollback WHERE agent_id IN (SELECT agent_id FROM agent_workers) AND NOT EXISTS (SELECT 1 FROM agent_workers w
-- rollback     WHERE w.agent_id = agent_registry.agent_id AND w.left_at IS NULL);
-- rollback DROP TABLE agent_workers;
