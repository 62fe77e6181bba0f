using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Grains.ChangeLog;
using Orleans.Webhooks.Grains.Interfaces.Destinations;

namespace Orleans.Webhooks.Grains.Retention;

/// <summary>
/// Deletes what is older than <see cref="RetentionOptions"/>: processed, ignored or failed events (an event still
/// 'received' is kept whatever its age: it is not done), changes every configured destination has delivered, and the
/// audit of refused deliveries. Every silo runs the job
/// every <see cref="RetentionOptions.Interval"/>; a PostgreSQL advisory lock lets one silo at a time do the work. It
/// deletes oldest first, <see cref="RetentionOptions.BatchSize"/> rows per statement found through an index on the
/// time column, each statement its own short transaction, so inserts into the hot table never wait long.
/// </summary>
public sealed partial class RetentionJob(
    NpgsqlDataSource db,
    IOptions<RetentionOptions> options,
    IOptionsMonitor<DestinationsOptions> destinations,
    TimeProvider time,
    ILogger<RetentionJob> logger) : BackgroundService
{
    /// <summary>The advisory lock key every silo of the database contends for ("webhook" "retention").</summary>
    public const long LockKey = 0x7765_6268_6F6F_6B72;

    private const string DeleteEvents = """
        DELETE FROM webhook_events e
        USING (SELECT provider, external_id FROM webhook_events
               WHERE received_at < @cutoff AND state <> 'received'
               ORDER BY received_at
               LIMIT @batch
               FOR UPDATE SKIP LOCKED) old
        WHERE e.provider = old.provider AND e.external_id = old.external_id
        """;

    private const string DeleteRejections = """
        DELETE FROM webhook_rejections
        WHERE id IN (SELECT id FROM webhook_rejections WHERE at < @cutoff ORDER BY at LIMIT @batch)
        """;

    private const string DeleteRejectionCounts = """
        DELETE FROM webhook_rejection_counts
        WHERE (provider, reason, minute) IN
              (SELECT provider, reason, minute FROM webhook_rejection_counts WHERE minute < @cutoff ORDER BY minute LIMIT @batch)
        """;

    /// <summary>When this silo's last scheduled run finished (whether it held the lock or not).</summary>
    public DateTimeOffset? LastRunAt { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        try
        {
            do
            {
                try
                {
                    if (await RunOnceAsync(stoppingToken) is { } deleted && deleted.Total > 0)
                    {
                        LogDeleted(logger, deleted.Events, deleted.Changes, deleted.Rejections);
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, ex); // the next interval tries again
                }
                LastRunAt = time.GetUtcNow();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One run: what it deleted, or null when another silo holds the lock (and is doing it).</summary>
    public async Task<RetentionRun?> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        if (!await LockAsync(connection, "SELECT pg_try_advisory_lock(@key)", cancellationToken))
        {
            return null;
        }
        try
        {
            var settings = options.Value;
            var now = time.GetUtcNow();
            var events = await DeleteAsync(DeleteEvents, now - settings.Events, settings.BatchSize, cancellationToken);
            var changes = await DeleteChangesAsync(now - settings.Changes, settings.BatchSize, cancellationToken);
            var rejections = await DeleteAsync(DeleteRejections, now - settings.Rejections, settings.BatchSize, cancellationToken)
                + await DeleteAsync(DeleteRejectionCounts, now - settings.Rejections, settings.BatchSize, cancellationToken);
            return new RetentionRun(events, changes, rejections);
        }
        finally
        {
            // Released explicitly: pooled connections are not reset when they go back to the pool.
            await LockAsync(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None);
        }
    }

    private static async Task<bool> LockAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new NpgsqlParameter<long>("key", LockKey) } };
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    private async Task<long> DeleteChangesAsync(DateTimeOffset cutoff, int batch, CancellationToken cancellationToken)
    {
        await using var bound = db.CreateCommand(ChangeLogRetention.DeletableUpTo);
        bound.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("cutoff", cutoff));
        bound.Parameters.Add(new NpgsqlParameter<string[]>("destinations",
            destinations.CurrentValue.Destinations.Keys.Select(DestinationsOptions.Normalise).ToArray()));
        var upTo = (long)(await bound.ExecuteScalarAsync(cancellationToken))!;
        return upTo <= 0 ? 0 : await DeleteAsync(ChangeLogRetention.DeleteUpTo, batch, cancellationToken, new NpgsqlParameter<long>("up_to", upTo));
    }

    private Task<long> DeleteAsync(string sql, DateTimeOffset cutoff, int batch, CancellationToken cancellationToken) =>
        DeleteAsync(sql, batch, cancellationToken, new NpgsqlParameter<DateTimeOffset>("cutoff", cutoff));

    /// <summary>Batch after batch until one comes back short.</summary>
    private async Task<long> DeleteAsync(string sql, int batch, CancellationToken cancellationToken, NpgsqlParameter bound)
    {
        long total = 0;
        while (true)
        {
            await using var command = db.CreateCommand(sql);
            command.Parameters.Add(bound.Clone());
            command.Parameters.Add(new NpgsqlParameter<int>("batch", batch));
            var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < batch)
            {
                return total;
            }
        }
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Retention: deleted {Events} events, {Changes} changes and {Rejections} audit rows of refused deliveries")]
    private static partial void LogDeleted(ILogger logger, long events, long changes, long rejections);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "Retention run failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
