-- Orleans.Webhooks: what the event list, the console and bulk replay query by. Each event keeps the payments, orders and
-- customers it names in `objects` ("<kind>:<id>", filled when it is stored), so that it can be found by object id.
-- Events stored before this column existed name none. Adding a column with a constant default rewrites nothing.
-- The indexes that serve the filters are built CONCURRENTLY, so that adding them to a large, busy table does not block
-- inserts; that cannot run inside a transaction, so each is a file of its own (0161 to 0164).
-- Idempotent: safe to apply on every start.
BEGIN;

SET LOCAL client_min_messages = warning; -- hide "already exists, skipping" notices

ALTER TABLE webhook_events ADD COLUMN IF NOT EXISTS objects text[] NOT NULL DEFAULT '{}';

COMMIT;
