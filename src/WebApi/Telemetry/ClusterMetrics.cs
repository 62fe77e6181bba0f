using System.Diagnostics.Metrics;
using Npgsql;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.WebApi.Database;

namespace Orleans.Webhooks.WebApi.Telemetry;

/// <summary>
/// Cluster-wide numbers for <c>/metrics</c>, read from PostgreSQL when Prometheus scrapes (at most once per
/// <see cref="RefreshInterval"/>). Processing runs on the silos, and webhook_events is where every silo's outcome ends
/// up: reading it, any web API instance reports the whole cluster, whichever silo did the work and whether that silo is
/// still alive.
/// <list type="bullet">
/// <item>the backlog: events still 'received', and the age of the oldest;</item>
/// <item>events finished since this process started, by state, and their latency from receipt to outcome: each refresh
/// counts the events whose processed_at passed since the previous one, up to <see cref="Lag"/> ago, so that an outcome
/// a silo stamped a moment before its commit is not skipped (a replay counts again, with its latency from the first
/// receipt). PostgreSQL counts them per state and latency bucket, so a scrape reads a few dozen rows whatever the
/// rate;</item>
/// <item>the silos active in the membership table.</item>
/// </list>
/// </summary>
public sealed partial class ClusterMetrics : IAsyncDisposable
{
    public const string MeterName = "Orleans.Webhooks.Cluster";

    public const string LatencyInstrument = "webhooks.processing.latency";

    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan Lag = TimeSpan.FromSeconds(5);

    /// <summary>Seconds: from a stream hop (tens of milliseconds) to the recovery sweep after an outage (minutes).</summary>
    public static readonly double[] LatencyBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];

    /// <summary><see cref="LatencyBuckets"/> negated, in ascending order, for width_bucket (see <see cref="ReadAsync"/>).</summary>
    private static readonly double[] NegatedBounds = LatencyBuckets.Select(b => -b).Order().ToArray();

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _db;
    private readonly string _clusterId;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterMetrics> _logger;
    private readonly Counter<long> _finished;
    private readonly Histogram<double> _latency;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;
    private DateTime? _since;
    private Snapshot? _snapshot;

    public ClusterMetrics(IConfiguration configuration, IMeterFactory meters, TimeProvider time, ILogger<ClusterMetrics> logger)
    {
        // Two connections at most: one scrape at a time reads, and it must not take what deliveries need.
        _db = DataSources.Create(configuration, "webhooks-api-cluster-metrics", 2);
        _clusterId = configuration.OrleansSettings().ClusterId;
        _time = time;
        _logger = logger;
        var meter = meters.Create(MeterName);
        _finished = meter.CreateCounter<long>("webhooks.events.finished", "{event}", "Events that finished processing since this web API started, by state (processed, ignored, failed)");
        _latency = meter.CreateHistogram<double>(LatencyInstrument, "s", "Time from receipt to the event's outcome");
        meter.CreateObservableGauge("webhooks.backlog.events", () => Observe(s => s.Backlog), "{event}", "Events still 'received'");
        meter.CreateObservableGauge("webhooks.backlog.oldest_age", () => Observe(s => s.OldestAgeSeconds), "s", "Age of the oldest event still 'received' (0 when none)");
        meter.CreateObservableGauge("webhooks.silos.active", () => Observe(s => (double)s.ActiveSilos), "{silo}", "Silos active in the cluster's membership table");
        meter.CreateObservableGauge("webhooks.database.up", () => _snapshot is null ? 0 : 1, description: "1 when the last read of these numbers from PostgreSQL succeeded");
    }

    /// <summary>Reads the numbers again unless they are younger than <see cref="RefreshInterval"/>; never throws.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (_time.GetUtcNow() - _refreshedAt < RefreshInterval)
        {
            return;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_time.GetUtcNow() - _refreshedAt < RefreshInterval)
            {
                return;
            }
            _refreshedAt = _time.GetUtcNow();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(QueryTimeout);
            _snapshot = await ReadAsync(timeout.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogReadFailed(_logger, ex);
            _snapshot = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Snapshot> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenConnectionAsync(cancellationToken);
        Snapshot snapshot;
        DateTime upTo;
        await using (var batch = new NpgsqlBatch(connection))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                "SELECT count(*), COALESCE(extract(epoch FROM now() - min(received_at)), 0)::float8 FROM webhook_events WHERE state = 'received'"));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                "SELECT count(*) FROM orleans_membership WHERE deployment_id = $1 AND status = 3") { Parameters = { new() { Value = _clusterId } } });
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT now() - $1::interval") { Parameters = { new() { Value = Lag } } });
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var (backlog, oldest) = (reader.GetInt64(0), reader.GetDouble(1));
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var silos = reader.GetInt64(0);
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            upTo = reader.GetDateTime(0);
            snapshot = new Snapshot(backlog, oldest, silos);
        }
        if (_since is { } since && upTo > since)
        {
            // Per state and histogram bucket: how many, and their mean latency. A bucket holds the values above the
            // previous bound up to its own (Prometheus' "le"); width_bucket counts bounds at or below a value, so it is
            // asked about the negated value against the negated bounds in ascending order, which counts the bounds at
            // or above it. Recording each bucket's mean once per event in it gives the histogram the same bucket
            // counts and the same sum as recording every event's own latency.
            await using var finished = new NpgsqlCommand("""
                SELECT state, count(*), avg(latency)
                FROM (SELECT state, greatest(extract(epoch FROM processed_at - received_at)::float8, 0) AS latency
                      FROM webhook_events
                      WHERE processed_at > $1 AND processed_at <= $2 AND state <> 'received') AS f
                GROUP BY state, width_bucket(-latency, $3)
                """, connection);
            finished.Parameters.Add(new() { Value = since });
            finished.Parameters.Add(new() { Value = upTo });
            finished.Parameters.Add(new() { Value = NegatedBounds });
            await using var reader = await finished.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var state = new KeyValuePair<string, object?>("state", reader.GetString(0));
                var (count, mean) = (reader.GetInt64(1), reader.GetDouble(2));
                _finished.Add(count, state);
                for (var i = 0L; i < count; i++)
                {
                    _latency.Record(mean, state);
                }
            }
        }
        // The first read only sets the starting point: what finished before this process started is not counted.
        _since = upTo > (_since ?? DateTime.MinValue) ? upTo : _since;
        return snapshot;
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        _gate.Dispose();
    }

    private IEnumerable<Measurement<double>> Observe(Func<Snapshot, double> value) =>
        _snapshot is { } snapshot ? [new Measurement<double>(value(snapshot))] : [];

    [LoggerMessage(EventId = 5501, Level = LogLevel.Warning, Message = "Reading the cluster's metrics from PostgreSQL failed; /metrics leaves them out until a read succeeds")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);

    private sealed record Snapshot(long Backlog, double OldestAgeSeconds, long ActiveSilos);
}
