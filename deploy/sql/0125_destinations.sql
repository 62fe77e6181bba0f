-- Orleans.Webhooks: push destinations. A version on each destination's row, so that a destination grain's write fails
-- when anything else (a second activation while the cluster settles a silo's death) wrote the row since it read it.
-- Idempotent: safe to apply on every start.
BEGIN;

SET LOCAL client_min_messages = warning;

ALTER TABLE destination_state ADD COLUMN IF NOT EXISTS version bigint NOT NULL DEFAULT 0;

COMMIT;
