using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Orleans.Webhooks.WebApi.Changes;

/// <summary>
/// Reads of what changed, straight from PostgreSQL: the change log (numbered in commit order by the silos' storage, so
/// reading after a cursor never skips a change that commits later) and the current views of payments, orders and
/// customers.
/// </summary>
public sealed class ChangeStore(ChangeDatabase database)
{
    public async Task<IReadOnlyList<Change>> ReadAsync(long after, int limit, CancellationToken cancellationToken)
    {
        await using var command = database.Source.CreateCommand("""
            SELECT seq, kind, provider, object_id, view::text, event_key, at FROM changes
            WHERE seq > @after ORDER BY seq LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter<long>("after", after));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        var changes = new List<Change>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new Change(
                reader.GetInt64(0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                JsonElement.Parse(reader.GetString(4)),
                reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6)));
        }
        return changes;
    }

    /// <summary>
    /// The oldest change kept (null when none is) and the newest committed (0 before the first), read in one statement so
    /// that both come from one snapshot: a change that commits in between cannot make a reader look behind.
    /// </summary>
    public async Task<(long? Oldest, long Newest)> BoundsAsync(CancellationToken cancellationToken)
    {
        await using var command = database.Source.CreateCommand(
            "SELECT (SELECT min(seq) FROM changes), COALESCE((SELECT last_seq FROM change_counter), 0)");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// Views of one kind in key order (provider, id), after the key <paramref name="after"/> names. With
    /// <paramref name="customer"/>, only the payments or orders whose view names that customer (for customers: that one).
    /// </summary>
    public async Task<(IReadOnlyList<JsonElement> Items, string? Next)> ListAsync(
        string kind, string? provider, string? status, string? customer, DateTimeOffset? updatedAfter, ViewCursor? after, int limit,
        CancellationToken cancellationToken)
    {
        // The expression is the one deploy/sql/0150_views_by_customer.sql indexes.
        var customerOf = kind == "customer" ? "object_id" : "(view ->> 'customerId')";
        await using var command = database.Source.CreateCommand($"""
            SELECT provider, object_id, view::text FROM domain_views
            WHERE kind = @kind
              AND (@provider::text IS NULL OR provider = @provider)
              AND (@customer::text IS NULL OR {customerOf} = @customer)
              AND (@status::text IS NULL OR status = @status)
              AND (@updated_after::timestamptz IS NULL OR updated_at > @updated_after)
              AND (@after_provider::text IS NULL OR (provider, object_id) > (@after_provider, @after_id))
            ORDER BY provider, object_id
            LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("kind", kind));
        command.Parameters.Add(new NpgsqlParameter<string?>("provider", provider) { NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string?>("status", status) { NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string?>("customer", customer) { NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTime?>("updated_after", updatedAfter?.UtcDateTime) { NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<string?>("after_provider", after?.Provider) { NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string?>("after_id", after?.Id) { NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        var items = new List<JsonElement>();
        ViewCursor? last = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            last = new ViewCursor(reader.GetString(0), reader.GetString(1));
            items.Add(JsonElement.Parse(reader.GetString(2)));
        }
        return (items, items.Count == limit ? last!.Encode() : null);
    }
}

/// <summary>One change of a view, as <c>GET /api/changes</c> shows it.</summary>
public sealed record Change(string Cursor, string Kind, string Provider, string Id, JsonElement View, string Event, DateTimeOffset At);

/// <summary>The opaque cursor of a list: the key of the last item, so a page never repeats or skips an object.</summary>
public sealed record ViewCursor(string Provider, string Id)
{
    public string Encode() => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new[] { Provider, Id }))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? text, out ViewCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            if (JsonSerializer.Deserialize<string[]>(Encoding.UTF8.GetString(Convert.FromBase64String(base64))) is [var provider, var id])
            {
                cursor = new ViewCursor(provider, id);
                return true;
            }
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
        }
        return false;
    }
}
