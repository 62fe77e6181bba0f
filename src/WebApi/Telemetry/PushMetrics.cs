using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Grains.Interfaces.Destinations;
using Orleans.Webhooks.WebApi.Database;

namespace Orleans.Webhooks.WebApi.Telemetry;

/// <summary>
/// Each push destination's numbers for <c>/metrics</c>, read when Prometheus scrapes (at most once per
/// <see cref="ClusterMetrics.RefreshInterval"/>):
/// <list type="bullet">
/// <item>its lag, whether it is paused and how many of its changes are parked: the destination grain's own status, as
/// <c>/api/destinations</c> shows it;</item>
/// <item>its attempts by outcome (delivered, failed, skipped), one per change and POST (a batch of n counts n), counted
/// from destination_deliveries since this process started.</item>
/// </list>
/// </summary>
public sealed partial class PushMetrics : IAsyncDisposable
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _db;
    private readonly IGrainFactory _grains;
    private readonly IOptionsMonitor<DestinationsOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PushMetrics> _logger;
    private readonly Counter<long> _attempts;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, long> _attemptsSeen = [];
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;
    private IReadOnlyList<Destination> _destinations = [];

    public PushMetrics(IConfiguration configuration, IGrainFactory grains, IOptionsMonitor<DestinationsOptions> options, IMeterFactory meters, TimeProvider time, ILogger<PushMetrics> logger)
    {
        // One connection: one scrape at a time reads, and it must not take what deliveries need.
        _db = DataSources.Create(configuration, "webhooks-api-push-metrics", 1);
        _grains = grains;
        _options = options;
        _time = time;
        _logger = logger;
        var meter = meters.Create(ClusterMetrics.MeterName);
        _attempts = meter.CreateCounter<long>("webhooks.destination.attempts", "{attempt}",
            "Attempts to deliver a change to a push destination since this web API started, by destination and outcome (delivered, failed, skipped)");
        meter.CreateObservableGauge("webhooks.destination.lag_changes", () => Observe(d => d.LagChanges), "{change}", "Changes a push destination has not received yet");
        meter.CreateObservableGauge("webhooks.destination.lag", () => Observe(d => d.LagSeconds), "s", "Age of the oldest change a push destination has not received yet (0 when none)");
        meter.CreateObservableGauge("webhooks.destination.paused", () => Observe(d => d.Paused ? 1 : 0), description: "1 while a push destination is paused");
        meter.CreateObservableGauge("webhooks.destination.parked", () => Observe(d => d.Parked), "{change}", "Changes parked for a push destination, waiting for a retry or skip");
    }

    /// <summary>Reads the numbers again unless they are younger than the refresh interval; never throws.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var configured = _options.CurrentValue.Destinations
            .Select(d => DestinationsOptions.Normalise(d.Key))
            .ToList();
        if (configured.Count == 0 || _time.GetUtcNow() - _refreshedAt < ClusterMetrics.RefreshInterval)
        {
            return;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_time.GetUtcNow() - _refreshedAt < ClusterMetrics.RefreshInterval)
            {
                return;
            }
            _refreshedAt = _time.GetUtcNow();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(QueryTimeout);
            _destinations = await ReadAsync(configured, timeout.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogReadFailed(_logger, ex);
            _destinations = [];
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<Destination>> ReadAsync(List<string> configured, CancellationToken cancellationToken)
    {
        var statuses = await Task.WhenAll(configured.Select(name => _grains.GetGrain<IDestinationGrain>(name).GetStatusAsync())).WaitAsync(cancellationToken);
        var destinations = configured.Zip(statuses, (name, status) =>
            new Destination(name, status.State == "paused", status.LagChanges, status.LagSeconds, status.Parked)).ToList();
        await using var connection = await _db.OpenConnectionAsync(cancellationToken);
        // Attempts written since the last read, per destination (each has one writer, its grain, so its ids commit in
        // order). The first read of a destination only sets its starting point.
        await using var attempts = new NpgsqlCommand("""
            SELECT d.name, a.outcome, a.n, a.last
            FROM unnest($1::text[], $2::bigint[]) AS d(name, after)
            CROSS JOIN LATERAL (
                SELECT COALESCE(outcome, CASE WHEN error IS NULL THEN 'delivered' ELSE 'failed' END) AS outcome, count(*) AS n, max(id) AS last
                FROM destination_deliveries WHERE destination = d.name AND id > d.after
                GROUP BY 1) AS a
            """, connection);
        attempts.Parameters.Add(new() { Value = configured.ToArray() });
        attempts.Parameters.Add(new() { Value = configured.Select(name => _attemptsSeen.GetValueOrDefault(name, -1)).ToArray() });
        await using (var reader = await attempts.ExecuteReaderAsync(cancellationToken))
        {
            var last = new Dictionary<string, long>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var name = reader.GetString(0);
                if (_attemptsSeen.ContainsKey(name))
                {
                    _attempts.Add(reader.GetInt64(2), new("destination", name), new("outcome", reader.GetString(1)));
                }
                last[name] = Math.Max(last.GetValueOrDefault(name), reader.GetInt64(3));
            }
            foreach (var name in configured)
            {
                _attemptsSeen[name] = Math.Max(_attemptsSeen.GetValueOrDefault(name), last.GetValueOrDefault(name));
            }
        }
        return destinations;
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        _gate.Dispose();
    }

    private IEnumerable<Measurement<double>> Observe(Func<Destination, double> value) =>
        _destinations.Select(d => new Measurement<double>(value(d), new KeyValuePair<string, object?>("destination", d.Name)));

    [LoggerMessage(EventId = 5502, Level = LogLevel.Warning, Message = "Reading the push destinations' metrics failed; /metrics leaves them out until a read succeeds")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);

    private sealed record Destination(string Name, bool Paused, long LagChanges, double LagSeconds, long Parked);
}
