-- Orleans.Webhooks: what /metrics reads. The web API counts the events that finished (processed, ignored, failed)
-- since its previous scrape, and their latency, by processed_at; this index keeps that read to the newly finished rows.
-- Events still 'received' have no processed_at and stay out of it, so storing an event does not touch it.
-- Idempotent: safe to apply on every start.
BEGIN;

SET LOCAL client_min_messages = warning; -- hide "already exists, skipping" notices

CREATE INDEX IF NOT EXISTS webhook_events_processed_at
    ON webhook_events (processed_at) WHERE processed_at IS NOT NULL;

COMMIT;
