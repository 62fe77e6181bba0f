-- Orleans.Webhooks: changes a destination parked, and how each delivery attempt ended.
--   destination_parked: a change that failed ParkAfter attempts while other changes to the same destination were
--     delivered, set aside so that the rest goes on. It keeps all it takes to send the change again (the change log's
--     retention may drop the row it came from) until an operator retries it (and it is delivered) or skips it.
--   destination_deliveries.outcome: delivered, failed or skipped; /metrics counts attempts by it.
-- Idempotent: safe to apply on every start.
BEGIN;

SET LOCAL client_min_messages = warning;

CREATE TABLE IF NOT EXISTS destination_parked
(
    destination text        NOT NULL,
    change_seq  bigint      NOT NULL,
    kind        text        NOT NULL,
    provider    text        NOT NULL,
    object_id   text        NOT NULL,
    view        jsonb       NOT NULL,
    event_key   text        NOT NULL,
    event_type  text        NULL,
    changed_at  timestamptz NOT NULL,
    attempts    integer     NOT NULL,
    error       text        NULL,
    parked_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (destination, change_seq)
);

ALTER TABLE destination_deliveries ADD COLUMN IF NOT EXISTS outcome text NULL;

COMMIT;
