using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Orleans.Webhooks.Grains.ChangeLog;
using Orleans.Webhooks.Grains.Interfaces.Destinations;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>
/// The destinations' rows in destination_state, destination_deliveries and destination_parked (they read the change log
/// through <see cref="ChangeLogReader"/>).
/// </summary>
internal sealed class DestinationStore(NpgsqlDataSource db)
{
    /// <summary>Attempts kept per destination; older ones are deleted as new ones are written.</summary>
    public const int KeptAttempts = 10_000;

    public async Task<DestinationRow> LoadAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("""
            WITH created AS (
                INSERT INTO destination_state (name) VALUES (@name) ON CONFLICT (name) DO NOTHING
                RETURNING cursor, state, last_error, failing_since, version)
            SELECT cursor, state, last_error, failing_since, version FROM created
            UNION ALL
            SELECT cursor, state, last_error, failing_since, version FROM destination_state WHERE name = @name
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"destination_state has no row for {name}");
        }
        return new DestinationRow(
            reader.GetInt64(0),
            reader.GetString(1) == "paused",
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
            reader.GetInt64(4));
    }

    /// <summary>
    /// Writes the destination's row if nobody else wrote it since <paramref name="expectedVersion"/>, and the attempts in
    /// the same transaction, trimming old ones when <paramref name="trim"/>. Returns the new version, or null when the row
    /// had changed.
    /// </summary>
    public async Task<long?> SaveAsync(string name, DestinationRow row, long expectedVersion, IReadOnlyList<RecordedAttempt> attempts, bool trim, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var update = new NpgsqlBatchCommand("""
            UPDATE destination_state
            SET cursor = @cursor, state = @state, last_error = @last_error, failing_since = @failing_since, version = version + 1, updated_at = now()
            WHERE name = @name AND version = @version
            RETURNING version
            """);
        update.Parameters.Add(new NpgsqlParameter<string>("name", name));
        update.Parameters.Add(new NpgsqlParameter<long>("cursor", row.Cursor));
        update.Parameters.Add(new NpgsqlParameter<string>("state", row.Paused ? "paused" : "active"));
        update.Parameters.Add(new NpgsqlParameter("last_error", NpgsqlDbType.Text) { Value = (object?)StoredText.CleanOrNull(row.LastError) ?? DBNull.Value });
        update.Parameters.Add(new NpgsqlParameter("failing_since", NpgsqlDbType.TimestampTz) { Value = (object?)row.FailingSince?.UtcDateTime ?? DBNull.Value });
        update.Parameters.Add(new NpgsqlParameter<long>("version", expectedVersion));
        batch.BatchCommands.Add(update);
        if (attempts.Count > 0)
        {
            batch.BatchCommands.Add(InsertAttempts(name, attempts));
        }
        if (trim)
        {
            var delete = new NpgsqlBatchCommand("""
                DELETE FROM destination_deliveries
                WHERE destination = @name
                  AND id <= (SELECT id FROM destination_deliveries WHERE destination = @name ORDER BY id DESC OFFSET @kept LIMIT 1)
                """);
            delete.Parameters.Add(new NpgsqlParameter<string>("name", name));
            delete.Parameters.Add(new NpgsqlParameter<int>("kept", KeptAttempts));
            batch.BatchCommands.Add(delete);
        }
        long? version;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            version = await reader.ReadAsync(cancellationToken) ? reader.GetInt64(0) : null;
        }
        await transaction.CommitAsync(cancellationToken);
        return version;
    }

    private static NpgsqlBatchCommand InsertAttempts(string name, IReadOnlyList<RecordedAttempt> attempts)
    {
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO destination_deliveries (destination, change_seq, status, duration_ms, error, at, outcome)
            SELECT @name, u.seq, u.status, u.duration_ms, u.error, u.at, u.outcome
            FROM unnest(@seq, @status, @duration_ms, @error, @at, @outcome) AS u(seq, status, duration_ms, error, at, outcome)
            """);
        insert.Parameters.Add(new NpgsqlParameter<string>("name", name));
        insert.Parameters.Add(new NpgsqlParameter<long[]>("seq", attempts.Select(a => long.Parse(a.Attempt.ChangeId, CultureInfo.InvariantCulture)).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<int?[]>("status", attempts.Select(a => a.Attempt.Status).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<int[]>("duration_ms", attempts.Select(a => a.Attempt.DurationMs).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<string?[]>("error", attempts.Select(a => StoredText.CleanOrNull(a.Attempt.Error)).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<DateTime[]>("at", attempts.Select(a => a.Attempt.At.UtcDateTime).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("outcome", attempts.Select(a => a.Outcome).ToArray()));
        return insert;
    }

    /// <summary>Sets <paramref name="change"/> aside for <paramref name="name"/>, with all it takes to send it again.</summary>
    public async Task ParkAsync(string name, Change change, int attempts, string error, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO destination_parked (destination, change_seq, kind, provider, object_id, view, event_key, event_type, changed_at, attempts, error, parked_at)
            VALUES (@name, @seq, @kind, @provider, @object_id, @view::jsonb, @event_key, @event_type, @changed_at, @attempts, @error, @parked_at)
            ON CONFLICT (destination, change_seq) DO UPDATE SET attempts = EXCLUDED.attempts, error = EXCLUDED.error, parked_at = EXCLUDED.parked_at
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("name", name));
        command.Parameters.Add(new NpgsqlParameter<long>("seq", change.Seq));
        command.Parameters.Add(new NpgsqlParameter<string>("kind", change.Kind));
        command.Parameters.Add(new NpgsqlParameter<string>("provider", change.Provider));
        command.Parameters.Add(new NpgsqlParameter<string>("object_id", change.ObjectId));
        command.Parameters.Add(new NpgsqlParameter<string>("view", change.View ?? "null"));
        command.Parameters.Add(new NpgsqlParameter<string>("event_key", change.EventKey));
        command.Parameters.Add(new NpgsqlParameter("event_type", NpgsqlDbType.Text) { Value = (object?)change.EventType ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<DateTime>("changed_at", change.At.UtcDateTime));
        command.Parameters.Add(new NpgsqlParameter<int>("attempts", attempts));
        command.Parameters.Add(new NpgsqlParameter<string>("error", StoredText.Clean(error)));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("parked_at", at.UtcDateTime));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The changes parked for <paramref name="name"/>, oldest first.</summary>
    public async Task<IReadOnlyList<ParkedChange>> ParkedAsync(string name, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("""
            SELECT change_seq, kind, provider, object_id, attempts, error, parked_at FROM destination_parked
            WHERE destination = @name ORDER BY change_seq LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("name", name));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var parked = new List<ParkedChange>();
        while (await reader.ReadAsync(cancellationToken))
        {
            parked.Add(new ParkedChange
            {
                ChangeId = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture),
                Kind = reader.GetString(1),
                Provider = reader.GetString(2),
                Id = reader.GetString(3),
                Attempts = reader.GetInt32(4),
                Error = reader.IsDBNull(5) ? null : reader.GetString(5),
                ParkedAt = reader.GetFieldValue<DateTimeOffset>(6),
            });
        }
        return parked;
    }

    public async Task<long> ParkedCountAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("SELECT count(*) FROM destination_parked WHERE destination = @name");
        command.Parameters.Add(new NpgsqlParameter<string>("name", name));
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>A parked change as it was sent, with its attempts so far; null when it is not parked.</summary>
    public async Task<(Change Change, int Attempts)?> ParkedChangeAsync(string name, long seq, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("""
            SELECT change_seq, kind, provider, object_id, view::text, event_key, event_type, changed_at, attempts
            FROM destination_parked WHERE destination = @name AND change_seq = @seq
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("name", name));
        command.Parameters.Add(new NpgsqlParameter<long>("seq", seq));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var change = new Change(
            reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7));
        return (change, reader.GetInt32(8));
    }

    /// <summary>
    /// An operator's retry or skip of a parked change, recorded in the deliveries in the same transaction: when
    /// <paramref name="unpark"/>, the change leaves destination_parked (delivered, or skipped); otherwise it stays, with
    /// one more attempt and the attempt's error. False when the change is not parked (any more).
    /// </summary>
    public async Task<bool> SettleParkedAsync(string name, long seq, RecordedAttempt attempt, bool unpark, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var settle = new NpgsqlBatchCommand(unpark
            ? "DELETE FROM destination_parked WHERE destination = @name AND change_seq = @seq"
            : "UPDATE destination_parked SET attempts = attempts + 1, error = @error WHERE destination = @name AND change_seq = @seq");
        settle.Parameters.Add(new NpgsqlParameter<string>("name", name));
        settle.Parameters.Add(new NpgsqlParameter<long>("seq", seq));
        if (!unpark)
        {
            settle.Parameters.Add(new NpgsqlParameter("error", NpgsqlDbType.Text) { Value = (object?)StoredText.CleanOrNull(attempt.Attempt.Error) ?? DBNull.Value });
        }
        batch.BatchCommands.Add(settle);
        batch.BatchCommands.Add(InsertAttempts(name, [attempt]));
        await batch.ExecuteNonQueryAsync(cancellationToken);
        if (settle.RecordsAffected == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<DeliveryAttempt>> AttemptsAsync(string name, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = db.CreateCommand("""
            SELECT change_seq, status, duration_ms, error, at FROM destination_deliveries
            WHERE destination = @name ORDER BY id DESC LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("name", name));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var attempts = new List<DeliveryAttempt>();
        while (await reader.ReadAsync(cancellationToken))
        {
            attempts.Add(new DeliveryAttempt
            {
                ChangeId = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture),
                Status = reader.IsDBNull(1) ? null : reader.GetInt32(1),
                DurationMs = reader.GetInt32(2),
                Error = reader.IsDBNull(3) ? null : reader.GetString(3),
                At = reader.GetFieldValue<DateTimeOffset>(4),
            });
        }
        return attempts;
    }
}
