-- Orleans.Webhooks: the stored events. One row per provider event, keyed by (provider, external_id);
-- the unique key lets exactly one delivery win even when Orleans briefly runs two activations of an event grain.
-- Idempotent: safe to apply on every start. Later changes go into new, higher-numbered files.
BEGIN;

SET LOCAL client_min_messages = warning; -- hide "already exists, skipping" notices

CREATE TABLE IF NOT EXISTS webhook_events
(
    provider      text        NOT NULL,
    external_id   text        NOT NULL,
    provider_type text        NULL,
    type          text        NULL,
    state         text        NOT NULL DEFAULT 'received'
                  CHECK (state IN ('received', 'processed', 'ignored', 'failed')),
    deliveries    integer     NOT NULL DEFAULT 1,
    attempts      integer     NOT NULL DEFAULT 0,
    last_error    text        NULL,
    received_at   timestamptz NOT NULL,
    processed_at  timestamptz NULL,
    -- When the recovery sweep may pick the event up again if it is still 'received'.
    recover_at    timestamptz NOT NULL,
    content_type  text        NULL,
    details       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    payload       bytea       NOT NULL,
    CONSTRAINT webhook_events_pkey PRIMARY KEY (provider, external_id)
);

-- Listing by state, newest first, without scanning every event (by state and provider: this index or the provider's
-- of 0161, whichever narrows more; see 0170).
CREATE INDEX IF NOT EXISTS webhook_events_state_received_at
    ON webhook_events (state, received_at DESC);
-- The recovery sweep reads only events still waiting, which are few.
CREATE INDEX IF NOT EXISTS webhook_events_pending_recover_at
    ON webhook_events (recover_at) WHERE state = 'received';

COMMIT;
