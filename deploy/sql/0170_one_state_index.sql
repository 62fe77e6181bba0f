-- Orleans.Webhooks: one index on `state`, not two. Every event's outcome moves it from 'received' to its end state, and
-- an update that changes an indexed column writes a new entry in every index of the table (no HOT update); each index
-- that names `state` is one more such entry per event. A filter by state and provider is served by
-- webhook_events_state_received_at or webhook_events_provider_received_at (0161), whichever the planner finds narrower.
-- One statement: see 0160_event_queries.sql.
DROP INDEX CONCURRENTLY IF EXISTS webhook_events_state_provider_received_at;
