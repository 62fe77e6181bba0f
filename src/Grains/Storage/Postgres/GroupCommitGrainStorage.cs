using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.Webhooks.Grains.ChangeLog;

namespace Orleans.Webhooks.Grains.Storage.Postgres;

/// <summary>
/// Grain storage for the domain grains with group commit. A grain storage provider that runs one statement and one
/// commit per grain write (as Orleans' ADO.NET provider does) costs PostgreSQL a statement and a commit for every event
/// processed; here the reads and the writes of many grains share one statement and one commit. Semantics are those of any
/// Orleans storage: a write commits before it returns, and an etag check makes a write from a stale activation fail with
/// <see cref="InconsistentStateException"/>. A state that carries <see cref="ViewChange"/>s has them appended to the change
/// log, and its current view updated, in the same statement and so the same commit as the state itself
/// (<see cref="ChangeLogWriter"/>): a change is never visible without its state, or the other way round. State, views
/// and their text are written as <see cref="StoredText"/> makes them storable (a NUL in a customer's name would fail the
/// write otherwise); keys as they are.
/// </summary>
public sealed class GroupCommitGrainStorage : IGrainStorage, IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string WriteStates = $"""
        WITH input AS (
            SELECT * FROM unnest(@name, @id, @etag, @state) AS u(state_name, grain_id, etag, state)
        ), inserted AS (
            INSERT INTO grain_state (state_name, grain_id, etag, state, updated_at)
            SELECT state_name, grain_id, 1, state::jsonb, now() FROM input WHERE etag IS NULL
            ON CONFLICT (state_name, grain_id) DO NOTHING
            RETURNING state_name, grain_id, etag
        ), updated AS (
            UPDATE grain_state g SET etag = g.etag + 1, state = i.state::jsonb, updated_at = now()
            FROM input i
            WHERE i.etag IS NOT NULL AND g.state_name = i.state_name AND g.grain_id = i.grain_id AND g.etag = i.etag
            RETURNING g.state_name, g.grain_id, g.etag
        ), written AS (
            SELECT state_name, grain_id, etag FROM inserted
            UNION ALL
            SELECT state_name, grain_id, etag FROM updated
        ), {ChangeLogWriter.Steps}
        SELECT state_name, grain_id, etag FROM written LEFT JOIN change_log ON true
        """;

    private readonly NpgsqlDataSource _db;
    private readonly Batcher<StateKey, StoredState?> _reads;
    private readonly Batcher<StateWrite, int?> _writes;

    public GroupCommitGrainStorage(NpgsqlDataSource db, StorageOptions storage, ILogger<GroupCommitGrainStorage> logger)
    {
        _db = db;
        _reads = new Batcher<StateKey, StoredState?>("read-grain-state", ReadBatchAsync, storage.OutcomeWorkers, storage.MaxBatch, logger);
        _writes = new Batcher<StateWrite, int?>("write-grain-state", WriteBatchAsync, storage.InsertWorkers, storage.MaxBatch, logger);
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = await _reads.EnqueueAsync(new StateKey(stateName, grainId.ToString()));
        if (stored is null)
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        grainState.State = JsonSerializer.Deserialize<T>(stored.Json, Json)!;
        grainState.ETag = stored.ETag.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var expected = grainState.ETag is null ? (int?)null : int.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        var json = StoredText.CleanJson(JsonSerializer.Serialize(grainState.State, Json));
        // A snapshot, as the JSON is: the statement is built later, on a batcher worker, and the list is the grain's.
        var changes = (grainState.State as IViewChangeSource)?.PendingChanges.ToArray() ?? [];
        var written = await _writes.EnqueueAsync(new StateWrite(stateName, grainId.ToString(), expected, json, changes));
        if (written is not { } etag)
        {
            throw new InconsistentStateException(
                $"The stored state of {grainId} ({stateName}) changed since it was read (another activation wrote it).",
                storedEtag: "unknown", currentEtag: grainState.ETag ?? "none");
        }
        grainState.ETag = etag.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var command = _db.CreateCommand("DELETE FROM grain_state WHERE state_name = @name AND grain_id = @id AND (@etag::integer IS NULL OR etag = @etag)");
        command.Parameters.Add(new NpgsqlParameter<string>("name", stateName));
        command.Parameters.Add(new NpgsqlParameter<string>("id", grainId.ToString()));
        command.Parameters.Add(new NpgsqlParameter<int?>("etag", grainState.ETag is null ? null : int.Parse(grainState.ETag, CultureInfo.InvariantCulture)) { NpgsqlDbType = NpgsqlDbType.Integer });
        await command.ExecuteNonQueryAsync();
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private async Task<IReadOnlyList<StoredState?>> ReadBatchAsync(IReadOnlyList<StateKey> batch, CancellationToken cancellationToken)
    {
        await using var command = _db.CreateCommand("""
            SELECT g.state_name, g.grain_id, g.etag, g.state::text
            FROM grain_state g
            JOIN unnest(@name, @id) AS k(state_name, grain_id) ON g.state_name = k.state_name AND g.grain_id = k.grain_id
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]>("name", batch.Select(k => k.StateName).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("id", batch.Select(k => k.GrainId).ToArray()));
        var found = new Dictionary<StateKey, StoredState>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found[new StateKey(reader.GetString(0), reader.GetString(1))] = new StoredState(reader.GetInt32(2), reader.GetString(3));
            }
        }
        return batch.Select(k => found.GetValueOrDefault(k)).ToArray();
    }

    /// <summary>
    /// New rows (no etag) are inserted; existing ones are updated only where the etag still matches. A key that appears
    /// twice in one batch can only come from two activations on one silo: the first wins, the other gets a conflict.
    /// The changes of the rows written go to the change log in the same statement (<see cref="ChangeLogWriter"/>).
    /// </summary>
    private async Task<IReadOnlyList<int?>> WriteBatchAsync(IReadOnlyList<StateWrite> batch, CancellationToken cancellationToken)
    {
        var seen = new HashSet<StateKey>();
        var unique = batch.Where(w => seen.Add(w.Key)).ToArray();
        await using var command = _db.CreateCommand(WriteStates);
        command.Parameters.Add(new NpgsqlParameter<string[]>("name", unique.Select(w => w.StateName).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("id", unique.Select(w => w.GrainId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<int?[]>("etag", unique.Select(w => w.ExpectedETag).ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<string[]>("state", unique.Select(w => w.Json).ToArray()));
        ChangeLogWriter.AddParameters(command.Parameters, unique.SelectMany(w => w.Changes.Select(c => (w.StateName, w.GrainId, c))).ToArray());
        var written = new Dictionary<StateKey, int>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                written[new StateKey(reader.GetString(0), reader.GetString(1))] = reader.GetInt32(2);
            }
        }
        var answered = new HashSet<StateKey>();
        return batch.Select(w => answered.Add(w.Key) && written.TryGetValue(w.Key, out var etag) ? etag : (int?)null).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _reads.DisposeAsync().ConfigureAwait(false);
        await _writes.DisposeAsync().ConfigureAwait(false);
    }

    private readonly record struct StateKey(string StateName, string GrainId);

    private sealed record StoredState(int ETag, string Json);

    private sealed record StateWrite(string StateName, string GrainId, int? ExpectedETag, string Json, ViewChange[] Changes)
    {
        public StateKey Key => new(StateName, GrainId);
    }
}
