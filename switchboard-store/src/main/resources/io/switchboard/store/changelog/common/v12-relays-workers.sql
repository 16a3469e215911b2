-- liquibase formatted sql

-- Version 12: several relays on one outbox. A relay publishes only the rows it has claimed, and a claim holds until an
-- instant of the database's clock: two relays never publish the same pending row while its claim holds, and the rows
-- of a relay that died go to the others once its claims pass.

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
