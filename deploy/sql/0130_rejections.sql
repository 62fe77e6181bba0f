-- Orleans.Webhooks: the audit of refused deliveries (401, 403, 404, 413, 415, 400, 429), written by the web API.
-- Never a secret, a signature value or a body: the body's SHA-256 and the names of the signature headers present.
-- Bounded under a flood: webhook_rejection_counts counts every refusal per provider, reason and minute, while
-- webhook_rejections keeps only the first few of each provider, reason and minute as rows.
-- Idempotent: safe to apply on every start. Later changes go into new, higher-numbered files.
BEGIN;

SET LOCAL client_min_messages = warning; -- hide "already exists, skipping" notices

CREATE TABLE IF NOT EXISTS webhook_rejections
(
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at                timestamptz NOT NULL,
    provider          text        NOT NULL,
    reason            text        NOT NULL,
    status            smallint    NOT NULL,
    client_address    text        NULL,
    size              bigint      NULL,
    body_sha256       bytea       NULL,
    signature_headers text[]      NOT NULL DEFAULT '{}'
);

-- Newest first, by provider and reason; and the retention job deletes by time.
CREATE INDEX IF NOT EXISTS webhook_rejections_at ON webhook_rejections (at);
CREATE INDEX IF NOT EXISTS webhook_rejections_provider_reason_at ON webhook_rejections (provider, reason, at DESC);

-- provider '*' counts the refusals for provider names that are not configured (404).
CREATE TABLE IF NOT EXISTS webhook_rejection_counts
(
    provider text        NOT NULL,
    reason   text        NOT NULL,
    minute   timestamptz NOT NULL,
    count    bigint      NOT NULL,
    CONSTRAINT webhook_rejection_counts_pkey PRIMARY KEY (provider, reason, minute)
);

CREATE INDEX IF NOT EXISTS webhook_rejection_counts_minute ON webhook_rejection_counts (minute);

COMMIT;
