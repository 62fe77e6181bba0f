-- Orleans.Webhooks: GET /api/events?type=..., newest first (see 0160_event_queries.sql for why this file is one statement).
CREATE INDEX CONCURRENTLY IF NOT EXISTS webhook_events_type_received_at ON webhook_events (type, received_at DESC);
