-- Orleans.Webhooks: lets GET /api/payments?customer= and /api/orders?customer= list every payment or order of one
-- customer, page by page in key order, without scanning every view. The customer is the view's customerId.
-- CONCURRENTLY, so that adding it to a large, busy table does not block the writes of views; it cannot run inside a
-- transaction, so this file is this one statement. Idempotent: safe to apply on every start.
CREATE INDEX CONCURRENTLY IF NOT EXISTS domain_views_kind_customer ON domain_views (kind, (view ->> 'customerId'), provider, object_id);
