using Npgsql;
using NpgsqlTypes;

namespace Orleans.Webhooks.Grains.ChangeLog;

/// <summary>
/// Reads of the change log, for a destination's sender (in the silo) and for <c>GET /api/changes</c> (in the web API).
/// Changes are numbered in commit order by <c>ChangeLogWriter</c>, so a reader that goes on after the last
/// number it saw never skips a change that commits later.
/// </summary>
/// <remarks>
/// The web API compiles this file in as linked source (src/WebApi/WebApi.csproj) rather than referencing this project:
/// it is an Orleans client, and this project holds the grains and the silo's runtime. It therefore needs nothing but
/// Npgsql and the base library, and is internal: each assembly has its own copy.
/// </remarks>
internal sealed class ChangeLogReader(NpgsqlDataSource db)
{
    /// <summary>The channel <c>ChangeLogWriter</c> NOTIFYs in the commit of new changes, with the number before them.</summary>
    public const string Channel = "webhook_changes";

    /// <summary>
    /// Up to <paramref name="limit"/> changes after <paramref name="after"/>, in order; with <paramref name="kinds"/>,
    /// the views of those kinds only (the others come without one), otherwise every view.
    /// </summary>
    public async Task<IReadOnlyList<Change>> ReadAsync(long after, int limit, IReadOnlyList<string>? kinds, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            SELECT seq, kind, provider, object_id, CASE WHEN @kinds::text[] IS NULL OR kind = ANY(@kinds) THEN view::text END,
                   event_key, event_type, at
            FROM changes WHERE seq > @after ORDER BY seq LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]?>("kinds", kinds?.ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<long>("after", after));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var changes = new List<Change>();
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new Change(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7)));
        }
        return changes;
    }

    /// <summary>
    /// The oldest change kept (null when none is) and the newest committed (0 before the first), read in one statement so
    /// that both come from one snapshot: a change that commits in between cannot make a reader look behind.
    /// </summary>
    public async Task<(long? Oldest, long Newest)> BoundsAsync(CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand(
            "SELECT (SELECT min(seq) FROM changes), COALESCE((SELECT last_seq FROM change_counter), 0)");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// How many changes of <paramref name="kinds"/> come after <paramref name="cursor"/>, and the age in seconds of the
    /// oldest of them, on the database's clock (the one that stamped them).
    /// </summary>
    public async Task<(long Count, double Seconds)> LagAsync(long cursor, IReadOnlyList<string> kinds, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("""
            SELECT count(*), COALESCE(GREATEST(EXTRACT(EPOCH FROM now() - min(at)), 0), 0)::float8
            FROM changes WHERE seq > @cursor AND kind = ANY(@kinds)
            """);
        command.Parameters.Add(new NpgsqlParameter<long>("cursor", cursor));
        command.Parameters.Add(new NpgsqlParameter<string[]>("kinds", kinds.ToArray()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetDouble(1));
    }
}
