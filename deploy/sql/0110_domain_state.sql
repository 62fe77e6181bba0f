-- Orleans.Webhooks: the state of payment, order and customer grains, one row per grain, written by the group-commit
-- grain storage (src/Grains/Storage/GroupCommitGrainStorage.cs). The state is plain JSON, so it can be queried with SQL.
-- etag guards against two activations of one grain both writing: a write must name the etag it read.
-- Idempotent: safe to apply on every start.
BEGIN;

SET LOCAL client_min_messages = warning;

CREATE TABLE IF NOT EXISTS grain_state
(
    state_name  text        NOT NULL,
    grain_id    text        NOT NULL,
    etag        integer     NOT NULL,
    state       jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT grain_state_pkey PRIMARY KEY (state_name, grain_id)
);

COMMIT;
