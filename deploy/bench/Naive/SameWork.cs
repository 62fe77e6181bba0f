using Npgsql;

namespace Orleans.Webhooks.Naive;

/// <summary>
/// What the product does beyond storing the event and its payment, done the way the naive design would: in the poller's
/// transaction it also upserts each payment's customer (its newest 100 payment ids and a count) and appends one change
/// row per payment and per customer it changed (the view as the product's management API shows it), so that
/// <see cref="ChangePusher"/> can push them. On only with <c>Naive:SameWork=true</c>.
/// </summary>
public sealed class SameWork
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS customers (
            customer_id   text        PRIMARY KEY,
            payment_ids   text[]      NOT NULL,
            payment_count integer     NOT NULL,
            updated_at    timestamptz NOT NULL);
        CREATE TABLE IF NOT EXISTS changes (
            seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            kind       text        NOT NULL,
            object_id  text        NOT NULL,
            view       jsonb       NOT NULL,
            event_id   text        NOT NULL,
            event_type text        NOT NULL,
            at         timestamptz NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS push_cursor (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), cursor bigint NOT NULL);
        INSERT INTO push_cursor (cursor) VALUES (0) ON CONFLICT DO NOTHING;
        """;

    /// <summary>
    /// Adds the customers' upsert and the change rows of <paramref name="payments"/> (one event per payment, the batch's
    /// last) to the poller's batch, after its payment upsert: the change rows read the rows that upsert wrote.
    /// </summary>
    public static void AddTo(NpgsqlBatch batch, IReadOnlyList<ClaimedEvent> payments)
    {
        // Newest first within the batch, as the product's customer view lists them.
        var withCustomer = payments.Where(p => p.CustomerId is not null).Reverse().ToArray();
        var customers = new NpgsqlBatchCommand("""
            INSERT INTO customers (customer_id, payment_ids, payment_count, updated_at)
            SELECT customer_id, (array_agg(payment_id ORDER BY ord))[1:100], count(*), now()
            FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(customer_id, payment_id, ord)
            GROUP BY customer_id
            ON CONFLICT (customer_id) DO UPDATE
            SET payment_ids = (EXCLUDED.payment_ids || customers.payment_ids)[1:100],
                payment_count = customers.payment_count + EXCLUDED.payment_count, updated_at = now()
            """);
        customers.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. withCustomer.Select(p => p.CustomerId!)] });
        customers.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. withCustomer.Select(p => p.PaymentId!)] });
        batch.BatchCommands.Add(customers);

        // One change per payment, then one per customer (named by its last event in the batch).
        var customerEvents = payments.Where(p => p.CustomerId is not null).GroupBy(p => p.CustomerId!).Select(g => g.Last()).ToArray();
        var changes = new NpgsqlBatchCommand("""
            INSERT INTO changes (kind, object_id, view, event_id, event_type)
            SELECT 'payment', p.payment_id,
                   jsonb_build_object('provider', 'hmac', 'id', p.payment_id, 'status', p.status, 'amount', p.amount,
                       'currency', p.currency, 'refundedAmount', 0, 'disputedAmount', 0, 'customerId', p.customer_id,
                       'orderId', NULL, 'updatedAt', p.updated_at),
                   u.event_id, u.event_type
            FROM unnest($1::text[], $2::text[], $3::text[]) AS u(payment_id, event_id, event_type)
            JOIN payments p USING (payment_id)
            UNION ALL
            SELECT 'customer', c.customer_id,
                   jsonb_build_object('provider', 'hmac', 'id', c.customer_id, 'email', NULL, 'name', NULL,
                       'updatedAt', c.updated_at, 'paymentIds', to_jsonb(c.payment_ids), 'orderIds', '[]'::jsonb,
                       'paymentCount', c.payment_count, 'orderCount', 0, 'lastActivityAt', c.updated_at),
                   u.event_id, u.event_type
            FROM unnest($4::text[], $5::text[], $6::text[]) AS u(customer_id, event_id, event_type)
            JOIN customers c USING (customer_id)
            """);
        changes.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. payments.Select(p => p.PaymentId!)] });
        changes.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. payments.Select(p => p.EventId)] });
        changes.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. payments.Select(p => p.Type)] });
        changes.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. customerEvents.Select(p => p.CustomerId!)] });
        changes.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. customerEvents.Select(p => p.EventId)] });
        changes.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. customerEvents.Select(p => p.Type)] });
        batch.BatchCommands.Add(changes);
    }
}
