using Npgsql;
using NpgsqlTypes;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains.ChangeLog;

/// <summary>
/// Appends changes of views to the change log and updates the current views (deploy/sql/0120_changes.sql), as steps of
/// the statement in which <see cref="Storage.Postgres.GroupCommitGrainStorage"/> writes grain states: a change commits
/// with the state that caused it, never one without the other. The storage's statement supplies two relations:
/// <c>input</c>, one row per state with <see cref="InputColumns"/> (null when the write changes no view) besides its
/// <c>state_name</c> and <c>grain_id</c>, and <c>written</c>, the keys of the states it wrote. <see cref="Steps"/> ends
/// with <c>change_log</c>, one row, which the statement's final query joins so that the notification is sent.
/// </summary>
internal static class ChangeLogWriter
{
    /// <summary>The parameters (arrays, one element per state written) that <see cref="AddParameters"/> adds, in <see cref="InputColumns"/> order.</summary>
    public const string InputArrays = "@kind, @provider, @object_id, @status, @view, @updated_at, @event_key, @event_type";

    /// <summary>The columns of <c>input</c> that <see cref="Steps"/> reads.</summary>
    public const string InputColumns = "kind, provider, object_id, status, view, updated_at, event_key, event_type";

    /// <summary>
    /// The changes of the states written are numbered under change_counter's row lock, held until the statement
    /// commits, so that numbers follow commit order; the view is cast to jsonb once, for both tables; a NOTIFY on
    /// <see cref="ChangeLogReader.Channel"/> wakes the change feed's readers.
    /// </summary>
    public const string Steps = $"""
        changed AS (
            SELECT i.kind, i.provider, i.object_id, i.status, i.view::jsonb AS view, i.updated_at, i.event_key, i.event_type,
                   row_number() OVER (ORDER BY i.state_name, i.grain_id) AS n
            FROM input i JOIN written w ON w.state_name = i.state_name AND w.grain_id = i.grain_id
            WHERE i.view IS NOT NULL
        ), counter AS (
            UPDATE change_counter SET last_seq = last_seq + (SELECT count(*) FROM changed)
            WHERE id = 1 AND EXISTS (SELECT 1 FROM changed)
            RETURNING last_seq - (SELECT count(*) FROM changed) AS base
        ), logged AS (
            INSERT INTO changes (seq, kind, provider, object_id, view, event_key, event_type, at)
            SELECT counter.base + c.n, c.kind, c.provider, c.object_id, c.view, c.event_key, c.event_type, now()
            FROM changed c CROSS JOIN counter
        ), viewed AS (
            INSERT INTO domain_views (kind, provider, object_id, status, view, updated_at, last_change)
            SELECT c.kind, c.provider, c.object_id, c.status, c.view, c.updated_at, counter.base + c.n
            FROM changed c CROSS JOIN counter
            ON CONFLICT (kind, provider, object_id) DO UPDATE
            SET status = excluded.status, view = excluded.view, updated_at = excluded.updated_at, last_change = excluded.last_change
        ), notified AS (
            SELECT pg_notify('{ChangeLogReader.Channel}', base::text) FROM counter
        ), change_log AS (
            SELECT count(*) AS notifications FROM notified
        )
        """;

    /// <summary>
    /// Adds <see cref="InputArrays"/>: one element per state written, in the order of the states' own arrays (null where
    /// the write changes no view). Text derived from a delivery is made storable (<see cref="StoredText"/>); keys are not.
    /// </summary>
    public static void AddParameters(NpgsqlParameterCollection parameters, IReadOnlyList<ViewChange?> changes)
    {
        parameters.Add(Text("kind", changes.Select(c => c?.Kind)));
        parameters.Add(Text("provider", changes.Select(c => c?.Provider)));
        parameters.Add(Text("object_id", changes.Select(c => c?.ObjectId)));
        parameters.Add(Text("status", changes.Select(c => StoredText.CleanOrNull(c?.Status))));
        parameters.Add(Text("view", changes.Select(c => c?.ViewJson is { } view ? StoredText.CleanJson(view) : null)));
        parameters.Add(new NpgsqlParameter<DateTime?[]>("updated_at", changes.Select(c => c?.UpdatedAt.UtcDateTime).ToArray())
        {
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
        });
        parameters.Add(Text("event_key", changes.Select(c => c?.EventKey)));
        parameters.Add(Text("event_type", changes.Select(c => StoredText.CleanOrNull(c?.EventType))));
    }

    private static NpgsqlParameter<string?[]> Text(string name, IEnumerable<string?> values) =>
        new(name, values.ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
