-- Orleans.Webhooks: what changed, for the business system. Written by the group-commit grain storage in the same
-- statement (and so the same commit) as the payment, order or customer state that changed.
--   domain_views: the current view of every payment, order and customer, as GET /api/payments|orders|customers shows it.
--   changes: one row per change of a view, numbered in commit order (see change_counter).
--   destination_state / destination_deliveries: each push destination's cursor and its recent attempts.
-- Idempotent: safe to apply on every start.
BEGIN;

SET LOCAL client_min_messages = warning;

CREATE TABLE IF NOT EXISTS domain_views
(
    kind        text        NOT NULL CHECK (kind IN ('payment', 'order', 'customer')),
    provider    text        NOT NULL,
    object_id   text        NOT NULL,
    status      text        NULL,
    view        jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL,
    last_change bigint      NOT NULL,
    CONSTRAINT domain_views_pkey PRIMARY KEY (kind, provider, object_id)
);
-- Lists filtered by status or time, page by page in key order.
CREATE INDEX IF NOT EXISTS domain_views_kind_status ON domain_views (kind, status, provider, object_id);
CREATE INDEX IF NOT EXISTS domain_views_kind_updated_at ON domain_views (kind, updated_at);

-- The numbers of changes are handed out under this row's lock, which a writing transaction holds until it commits: a
-- change with a lower number has therefore always committed before one with a higher number, and a reader that
-- remembers the last number it saw never skips a change that commits later.
CREATE TABLE IF NOT EXISTS change_counter
(
    id       integer NOT NULL PRIMARY KEY CHECK (id = 1),
    last_seq bigint  NOT NULL
);
INSERT INTO change_counter (id, last_seq) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;

CREATE TABLE IF NOT EXISTS changes
(
    seq        bigint      NOT NULL PRIMARY KEY,
    kind       text        NOT NULL,
    provider   text        NOT NULL,
    object_id  text        NOT NULL,
    view       jsonb       NOT NULL,
    event_key  text        NOT NULL,
    event_type text        NULL,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS changes_at ON changes (at);

CREATE TABLE IF NOT EXISTS destination_state
(
    name          text        NOT NULL PRIMARY KEY,
    cursor        bigint      NOT NULL DEFAULT 0,
    state         text        NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused')),
    last_error    text        NULL,
    failing_since timestamptz NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS destination_deliveries
(
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    destination text        NOT NULL,
    change_seq  bigint      NOT NULL,
    status      integer     NULL,
    duration_ms integer     NOT NULL,
    error       text        NULL,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS destination_deliveries_destination_id ON destination_deliveries (destination, id DESC);

COMMIT;
