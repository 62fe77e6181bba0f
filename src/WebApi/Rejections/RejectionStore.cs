using Npgsql;
using NpgsqlTypes;
using Orleans.Webhooks.WebApi.Database;

namespace Orleans.Webhooks.WebApi.Rejections;

/// <summary>
/// The audit's tables (deploy/sql/0130_rejections.sql), on a small connection pool of the web API's own, apart from the
/// Orleans client's: writing the audit never takes a connection the accepted path needs.
/// </summary>
public sealed class RejectionStore(IConfiguration configuration) : IAsyncDisposable
{
    public const int PoolSize = 2;

    private readonly NpgsqlDataSource _db = DataSources.Create(configuration, "webhooks-rejections", PoolSize);

    /// <summary>The rows and the counts of one flush in one round trip and one transaction.</summary>
    public async Task WriteAsync(IReadOnlyList<Rejection> rows, IReadOnlyDictionary<(string Provider, string Reason, DateTimeOffset Minute), long> counts, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        if (rows.Count > 0)
        {
            // Header names contain no comma (RFC 9110 tokens), so a list of them travels as one joined string per row.
            var insert = new NpgsqlBatchCommand("""
                INSERT INTO webhook_rejections (at, provider, reason, status, client_address, size, body_sha256, signature_headers)
                SELECT r.at, r.provider, r.reason, r.status, r.client_address, r.size, r.body_sha256,
                       CASE WHEN r.headers = '' THEN '{}'::text[] ELSE string_to_array(r.headers, ',') END
                FROM unnest(@at, @provider, @reason, @status, @client, @size, @hash, @headers)
                     AS r(at, provider, reason, status, client_address, size, body_sha256, headers)
                """);
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("at", [.. rows.Select(r => r.At)]));
            insert.Parameters.Add(new NpgsqlParameter<string[]>("provider", [.. rows.Select(r => r.Provider)]));
            insert.Parameters.Add(new NpgsqlParameter<string[]>("reason", [.. rows.Select(r => r.Reason)]));
            insert.Parameters.Add(new NpgsqlParameter<short[]>("status", [.. rows.Select(r => (short)r.Status)]));
            insert.Parameters.Add(new NpgsqlParameter("client", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.ClientAddress).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("size", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => r.Size).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("hash", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = rows.Select(r => r.BodySha256).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter<string[]>("headers", [.. rows.Select(r => string.Join(',', r.SignatureHeaders))]));
            batch.BatchCommands.Add(insert);
        }
        if (counts.Count > 0)
        {
            var add = new NpgsqlBatchCommand("""
                INSERT INTO webhook_rejection_counts (provider, reason, minute, count)
                SELECT * FROM unnest(@provider, @reason, @minute, @count)
                ON CONFLICT (provider, reason, minute) DO UPDATE SET count = webhook_rejection_counts.count + excluded.count
                """);
            add.Parameters.Add(new NpgsqlParameter<string[]>("provider", [.. counts.Keys.Select(k => k.Provider)]));
            add.Parameters.Add(new NpgsqlParameter<string[]>("reason", [.. counts.Keys.Select(k => k.Reason)]));
            add.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("minute", [.. counts.Keys.Select(k => k.Minute)]));
            add.Parameters.Add(new NpgsqlParameter<long[]>("count", [.. counts.Values]));
            batch.BatchCommands.Add(add);
        }
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Newest first, with the number of refusals per reason since <paramref name="since"/> (whole minutes), rows or not.</summary>
    public async Task<RejectionList> ListAsync(string? provider, string? reason, DateTimeOffset? since, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Filtered("""
                    SELECT at, provider, reason, status, client_address, size, body_sha256, signature_headers
                    FROM webhook_rejections
                    WHERE (@provider::text IS NULL OR provider = @provider) AND (@reason::text IS NULL OR reason = @reason)
                      AND (@since::timestamptz IS NULL OR at >= @since)
                    ORDER BY at DESC, id DESC
                    LIMIT @limit
                    """, provider, reason, since, limit),
                Filtered("""
                    SELECT reason, sum(count)::bigint
                    FROM webhook_rejection_counts
                    WHERE (@provider::text IS NULL OR provider = @provider) AND (@reason::text IS NULL OR reason = @reason)
                      AND (@since::timestamptz IS NULL OR minute >= date_trunc('minute', @since))
                    GROUP BY reason
                    ORDER BY reason
                    """, provider, reason, since, limit),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var items = new List<RejectionView>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new RejectionView(
                reader.GetString(1),
                reader.GetString(2),
                reader.GetInt16(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(0),
                reader.IsDBNull(5) ? null : reader.GetInt64(5),
                reader.IsDBNull(6) ? null : Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(6)),
                reader.GetFieldValue<string[]>(7)));
        }
        await reader.NextResultAsync(cancellationToken);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        return new RejectionList(items, counts);
    }

    private static NpgsqlBatchCommand Filtered(string sql, string? provider, string? reason, DateTimeOffset? since, int limit) => new(sql)
    {
        Parameters =
        {
            new NpgsqlParameter("provider", NpgsqlDbType.Text) { Value = (object?)provider ?? DBNull.Value },
            new NpgsqlParameter("reason", NpgsqlDbType.Text) { Value = (object?)reason ?? DBNull.Value },
            new NpgsqlParameter("since", NpgsqlDbType.TimestampTz) { Value = (object?)since ?? DBNull.Value },
            new NpgsqlParameter<int>("limit", limit),
        },
    };

    public ValueTask DisposeAsync() => _db.DisposeAsync();
}

public sealed record RejectionView(
    string Provider, string Reason, int Status, string? ClientAddress, DateTimeOffset At, long? Size, string? BodySha256, IReadOnlyList<string> SignatureHeaders);

public sealed record RejectionList(IReadOnlyList<RejectionView> Items, IReadOnlyDictionary<string, long> Counts);
