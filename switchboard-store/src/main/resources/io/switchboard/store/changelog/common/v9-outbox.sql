-- liquibase formatted sql

-- Version 9: the outbox. The orchestrator writes a message for a remote worker in the transaction that starts the
-- attempt; a relay publishes the pending rows to the broker and marks them sent once the broker has confirmed them.
-- The message is kept as columns, not as the bytes the broker carries: the wire format belongs to the broker
-- module, and a row written by this version must still be publishable after the wire format moves on.

-- changeset switchboard:v9-outbox labels:v9
-- comment: Messages for remote workers, pending until the broker confirms them.
CREATE TABLE outbox (
    id                 ${identity} PRIMARY KEY,
    agent              TEXT        NOT NULL,
    priority           INTEGER     NOT NULL CHECK (priority BETWEEN 0 AND 9),
    message_version    INTEGER     NOT NULL CHECK (message_version >= 1),
    task_id            TEXT        NOT NULL,
    attempt_number     INTEGER     NOT NULL CHECK (attempt_number >= 1),
    mode               TEXT        NOT NULL,
    -- The prompt itself, or where the worker reads it: exactly one of the two.
    prompt             TEXT,
    prompt_ref         TEXT,
    deadline           ${instant},
    created_at         ${instant}  NOT NULL,
    publish_attempts   INTEGER     NOT NULL DEFAULT 0,
    last_published_at  ${instant},
    sent_at            ${instant},
    CHECK ((prompt IS NULL) <> (prompt_ref IS NULL))
);
-- The relay's read: pending rows, oldest first. Only pending rows are in it, so it stays as small as the backlog.
CREATE INDEX ix_outbox_pending ON outbox (id) WHERE sent_at IS NULL;
-- rollback DROP TABLE outbox;
