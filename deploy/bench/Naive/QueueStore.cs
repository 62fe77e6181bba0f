using Npgsql;
using NpgsqlTypes;

namespace Orleans.Webhooks.Naive;

/// <summary>
/// The queue table (one row per event, unique on the event id) and the payments table it feeds; with
/// <paramref name="sameWork"/>, also the customers and the change log (<see cref="SameWork"/>).
/// </summary>
public sealed class QueueStore(NpgsqlDataSource db, bool sameWork)
{
    public async Task CreateSchemaAsync()
    {
        await using var command = db.CreateCommand(QueueSchema + (sameWork ? SameWork.Schema : ""));
        await command.ExecuteNonQueryAsync();
    }

    private const string QueueSchema = """
        CREATE TABLE IF NOT EXISTS webhook_queue (
            seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            event_id     text          NOT NULL UNIQUE,
            type         text          NOT NULL,
            payment_id   text          NULL,
            amount       numeric(18,4) NULL,
            currency     text          NULL,
            customer_id  text          NULL,
            payload      bytea         NOT NULL,
            received_at  timestamptz   NOT NULL DEFAULT now(),
            processed_at timestamptz   NULL);
        CREATE INDEX IF NOT EXISTS webhook_queue_pending ON webhook_queue (seq) WHERE processed_at IS NULL;
        CREATE TABLE IF NOT EXISTS payments (
            payment_id  text          PRIMARY KEY,
            status      text          NOT NULL,
            amount      numeric(18,4) NULL,
            currency    text          NULL,
            customer_id text          NULL,
            updated_at  timestamptz   NOT NULL);
        """;

    /// <summary>One INSERT, one commit. False when the event id is already queued (a duplicate delivery).</summary>
    public async Task<bool> InsertAsync(QueuedEvent evt, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO webhook_queue (event_id, type, payment_id, amount, currency, customer_id, payload)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (event_id) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = evt.EventId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = evt.Type });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)evt.PaymentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)evt.Amount ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Numeric });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)evt.Currency ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)evt.CustomerId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = evt.Payload });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// In one transaction: claims up to <paramref name="limit"/> pending rows (FOR UPDATE SKIP LOCKED, so several
    /// appliers could share the queue), upserts the payments they describe and marks them processed. Returns how many.
    /// </summary>
    public async Task<int> ApplyPendingAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var claimed = new List<ClaimedEvent>(limit);
        await using (var select = new NpgsqlCommand("""
            SELECT seq, event_id, type, payment_id, amount, currency, customer_id FROM webhook_queue
            WHERE processed_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(new ClaimedEvent(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetDecimal(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6)));
            }
        }
        if (claimed.Count == 0)
        {
            return 0;
        }

        // One row per payment (a later event of the same payment wins), so that the upsert touches each row once.
        var payments = claimed
            .Where(e => e.PaymentId is not null && e.Type is "payment.completed" or "payment.failed")
            .GroupBy(e => e.PaymentId!)
            .Select(g => g.Last())
            .ToArray();
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (payments.Length > 0)
        {
            var upsert = new NpgsqlBatchCommand("""
                INSERT INTO payments (payment_id, status, amount, currency, customer_id, updated_at)
                SELECT u.payment_id, u.status, u.amount, u.currency, u.customer_id, now()
                FROM unnest($1::text[], $2::text[], $3::numeric[], $4::text[], $5::text[]) AS u(payment_id, status, amount, currency, customer_id)
                ON CONFLICT (payment_id) DO UPDATE
                SET status = EXCLUDED.status, amount = COALESCE(EXCLUDED.amount, payments.amount),
                    currency = COALESCE(EXCLUDED.currency, payments.currency),
                    customer_id = COALESCE(EXCLUDED.customer_id, payments.customer_id), updated_at = now()
                """);
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = payments.Select(p => p.PaymentId!).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = payments.Select(p => p.Type == "payment.completed" ? "completed" : "failed").ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter<decimal?[]> { TypedValue = payments.Select(p => p.Amount).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = payments.Select(p => p.Currency).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = payments.Select(p => p.CustomerId).ToArray() });
            batch.BatchCommands.Add(upsert);
            if (sameWork)
            {
                SameWork.AddTo(batch, payments);
            }
        }
        var done = new NpgsqlBatchCommand("UPDATE webhook_queue SET processed_at = now() WHERE seq = ANY($1)");
        done.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = claimed.Select(e => e.Seq).ToArray() });
        batch.BatchCommands.Add(done);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claimed.Count;
    }
}
