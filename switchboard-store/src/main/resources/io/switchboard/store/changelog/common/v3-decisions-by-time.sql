-- liquibase formatted sql

-- Version 3: the audit trail's newest-first listing without a filter reads an index instead of sorting
-- every decision ever made.

-- changeset switchboard:v3-decisions-by-time labels:v3
CREATE INDEX ix_routing_decisions_created ON routing_decisions (created_at, id);
-- rollback DROP INDEX ix_routing_decisions_created;
