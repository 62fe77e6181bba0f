-- Orleans.Webhooks: GET /api/events?object=... and the console's search by payment, order or customer id ("objects &&").
-- One statement: see 0160_event_queries.sql.
CREATE INDEX CONCURRENTLY IF NOT EXISTS webhook_events_objects ON webhook_events USING gin (objects);
