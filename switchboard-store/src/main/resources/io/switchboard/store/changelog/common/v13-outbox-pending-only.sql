-- liquibase formatted sql

-- Version 13: the outbox holds only what is not sent yet. A row the broker confirmed is deleted then, instead of
-- being marked sent and deleted a day later: one write a row fewer on its way, and none later. The attempt keeps the
-- record of its dispatch (version 11's remote state). Every row left is pending, so the indexes over pending rows
-- become plain ones: the relay's read of the oldest rows is the primary key's order.

-- changeset switchboard:v13-outbox-pending-only labels:v13
-- comment: Sent rows go, and with them the column that told them apart and the partial indexes that left them out.
DELETE FROM outbox WHERE sent_at IS NOT NULL;
DROP INDEX ix_outbox_pending;
DROP INDEX ix_outbox_claims;
ALTER TABLE outbox DROP COLUMN sent_at;
-- A relay's own rows, oldest first (renewing and releasing its claims).
CREATE INDEX ix_outbox_claims ON outbox (claimed_by, id);
-- rollback DROP INDEX ix_outbox_claims;
-- rollback ALTER TABLE outbox ADD COLUMN sent_at ${instant};
-- rollback CREATE INDEX ix_outbox_pending ON outbox (id) WHERE sent_at IS NULL;
-- rollback CREATE INDEX ix_outbox_claims ON outbox (claimed_by, id) WHERE sent_at IS NULL;
