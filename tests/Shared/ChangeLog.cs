using Npgsql;

namespace Orleans.Webhooks.Testing;

/// <summary>Writes rows into the change log as the domain grains' storage does: numbered under change_counter's lock, in one commit.</summary>
public static class ChangeLog
{
    public sealed record Row(string Kind, string Provider, string ObjectId, string View, string EventKey, string EventType);

    /// <summary>A view as the management API shows it, for object <paramref name="id"/> of <paramref name="kind"/>.</summary>
    public static Row Of(string kind, string id, int version) => new(
        kind, "hmac", id,
        $$"""{"provider":"hmac","id":"{{id}}","status":"completed","amount":{{version}},"currency":"usd","updatedAt":"2026-12-02T12:00:00+00:00"}""",
        $"hmac:evt_{id}_{version}",
        kind switch { "payment" => "payment.completed", "order" => "order.created", _ => "customer.updated" });

    /// <summary>Appends the rows in order; returns their numbers.</summary>
    public static async Task<long[]> AppendAsync(string connectionString, IReadOnlyList<Row> rows)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            WITH counter AS (
                UPDATE change_counter SET last_seq = last_seq + cardinality(@kind) WHERE id = 1
                RETURNING last_seq - cardinality(@kind) AS first)
            INSERT INTO changes (seq, kind, provider, object_id, view, event_key, event_type)
            SELECT counter.first + u.ord, u.kind, u.provider, u.object_id, u.view::jsonb, u.event_key, u.event_type
            FROM counter, unnest(@kind, @provider, @object_id, @view, @event_key, @event_type)
                 WITH ORDINALITY AS u(kind, provider, object_id, view, event_key, event_type, ord)
            RETURNING seq
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string[]>("kind", rows.Select(r => r.Kind).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("provider", rows.Select(r => r.Provider).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("object_id", rows.Select(r => r.ObjectId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("view", rows.Select(r => r.View).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("event_key", rows.Select(r => r.EventKey).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("event_type", rows.Select(r => r.EventType).ToArray()));
        var seqs = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            seqs.Add(reader.GetInt64(0));
        }
        return seqs.Order().ToArray();
    }

    /// <summary><paramref name="count"/> changes spread over <paramref name="objects"/> objects of every kind, each object's versions in order.</summary>
    public static IReadOnlyList<Row> Spread(string prefix, int count, int objects)
    {
        string[] kinds = ["payment", "order", "customer"];
        return Enumerable.Range(0, count)
            .Select(i => Of(kinds[i % objects % 3], $"{prefix}-{i % objects}", i / objects))
            .ToList();
    }
}
