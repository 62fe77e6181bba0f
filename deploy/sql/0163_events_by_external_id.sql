-- Orleans.Webhooks: the console's search by external id, whatever the provider (the primary key leads with the provider).
-- One statement: see 0160_event_queries.sql.
CREATE INDEX CONCURRENTLY IF NOT EXISTS webhook_events_external_id ON webhook_events (external_id);
