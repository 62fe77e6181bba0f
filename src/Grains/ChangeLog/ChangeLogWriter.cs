using Npgsql;
using NpgsqlTypes;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains.ChangeLog;

/// <summary>
/// Appends changes of views to the change log and updates the current views (deploy/sql/0120_changes.sql), as steps of
/// the statement in which <see cref="Storage.Postgres.GroupCommitGrainStorage"/> writes grain states: a change commits
/// with the state that caused it, never one without the other. The storage's statement supplies <c>written</c>, the
/// keys (<c>state_name</c>, <c>grain_id</c>) of the states it wrote; the changes come as arrays (<see cref="AddParameters"/>),
/// each naming the state it belongs to, in the order they were made: a state write may carry several changes of its
/// object, when the object applied several events in one write. <see cref="Steps"/> ends with <c>change_log</c>, one
/// row, which the statement's final query joins so that the notification is sent.
/// </summary>
internal static class ChangeLogWriter
{
    /// <summary>
    /// The changes of the states written are numbered under change_counter's row lock, held until the statement
    /// commits, so that numbers follow commit order (and, within one state, the order the changes were made); the view
    /// is cast to jsonb once, for both tables; the current view takes an object's last change of the statement; a
    /// NOTIFY on <see cref="ChangeLogReader.Channel"/> wakes the change feed's readers.
    /// </summary>
    public const string Steps = $"""
        change_input AS (
            SELECT * FROM unnest(@change_state_name, @change_grain_id, @kind, @provider, @object_id, @status, @view, @updated_at, @event_key, @event_type)
                WITH ORDINALITY AS c(state_name, grain_id, kind, provider, object_id, status, view, updated_at, event_key, event_type, ord)
        ), changed AS (
            SELECT c.kind, c.provider, c.object_id, c.status, c.view::jsonb AS view, c.updated_at, c.event_key, c.event_type,
                   row_number() OVER (ORDER BY c.state_name, c.grain_id, c.ord) AS n
            FROM change_input c JOIN written w ON w.state_name = c.state_name AND w.grain_id = c.grain_id
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
            SELECT DISTINCT ON (c.kind, c.provider, c.object_id) c.kind, c.provider, c.object_id, c.status, c.view, c.updated_at, counter.base + c.n
            FROM changed c CROSS JOIN counter
            ORDER BY c.kind, c.provider, c.object_id, c.n DESC
            ON CONFLICT (kind, provider, object_id) DO UPDATE
            SET status = excluded.status, view = excluded.view, updated_at = excluded.updated_at, last_change = excluded.last_change
        ), notified AS (
            SELECT pg_notify('{ChangeLogReader.Channel}', base::text) FROM counter
        ), change_log AS (
            SELECT count(*) AS notifications FROM notified
        )
        """;

    /// <summary>
    /// Adds the arrays <see cref="Steps"/> reads: one element per change, each with the key of the state whose write
    /// carries it, in the order the changes were made. Text derived from a delivery is made storable
    /// (<see cref="StoredText"/>); keys are not.
    /// </summary>
    public static void AddParameters(NpgsqlParameterCollection parameters, IReadOnlyList<(string StateName, string GrainId, ViewChange Change)> changes)
    {
        parameters.Add(Text("change_state_name", changes.Select(c => c.StateName)));
        parameters.Add(Text("change_grain_id", changes.Select(c => c.GrainId)));
        parameters.Add(Text("kind", changes.Select(c => c.Change.Kind)));
        parameters.Add(Text("provider", changes.Select(c => c.Change.Provider)));
        parameters.Add(Text("object_id", changes.Select(c => c.Change.ObjectId)));
        parameters.Add(Text("status", changes.Select(c => StoredText.CleanOrNull(c.Change.Status))));
        parameters.Add(Text("view", changes.Select(c => StoredText.CleanJson(c.Change.ViewJson))));
        parameters.Add(new NpgsqlParameter<DateTime[]>("updated_at", changes.Select(c => c.Change.UpdatedAt.UtcDateTime).ToArray())
        {
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
        });
        parameters.Add(Text("event_key", changes.Select(c => c.Change.EventKey)));
        parameters.Add(Text("event_type", changes.Select(c => StoredText.CleanOrNull(c.Change.EventType))));
    }

    private static NpgsqlParameter<string?[]> Text(string name, IEnumerable<string?> values) =>
        new(name, values.ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
