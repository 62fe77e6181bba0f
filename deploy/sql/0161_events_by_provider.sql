-- Orleans.Webhooks: GET /api/events?provider=..., newest first (see 0160_event_queries.sql for why this file is one statement).
CREATE INDEX CONCURRENTLY IF NOT EXISTS webhook_events_provider_received_at ON webhook_events (provider, received_at DESC);
