using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Orleans.Webhooks.Grains.Interfaces.Domain;

namespace Orleans.Webhooks.WebApi.Changes;

/// <summary>
/// The current views of payments, orders and customers, straight from PostgreSQL's domain_views (written with the change
/// log, in the same commit: <c>src/Grains/ChangeLog/ChangeLogWriter.cs</c>), for lists that reconcile in bulk.
/// </summary>
public sealed class ViewStore(ChangeDatabase database)
{
    /// <summary>
    /// Views of one kind in key order (provider, id), after the key <paramref name="after"/> names. With
    /// <paramref name="customer"/>, only the payments or orders whose view names that customer (for customers: that one).
    /// </summary>
    public async Task<(IReadOnlyList<JsonElement> Items, string? Next)> ListAsync(
        string kind, string? provider, string? status, string? customer, DateTimeOffset? updatedAfter, ViewCursor? after, int limit,
        CancellationToken cancellationToken)
    {
        // The expression is the one deploy/sql/0150_views_by_customer.sql indexes.
        var customerOf = kind == DomainKinds.Customer ? "object_id" : "(view ->> 'customerId')";
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
