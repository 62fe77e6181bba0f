-- Orleans.Webhooks: lets the retention job find old events by time, oldest first, without scanning the table.
-- CONCURRENTLY, so that adding it to a large, busy table does not block inserts; it cannot run inside a transaction,
-- so this file is this one statement. Idempotent: safe to apply on every start.
CREATE INDEX CONCURRENTLY IF NOT EXISTS webhook_events_received_at ON webhook_events (received_at);
