using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.Webhooks.Testing;
using Orleans.Webhooks.WebApi.Telemetry;

namespace Orleans.Webhooks.WebApi.Tests.Telemetry;

/// <summary><see cref="ClusterMetrics"/> on a database of its own: what /metrics reports of the events that finished.</summary>
public sealed class ClusterMetricsTests
{
    [Fact]
    public async Task FinishedEvents_CountedByState_HistogramHasEachEventsBucketAndTheExactSum()
    {
        var connectionString = await TestDatabase.CreateAsync("webhooks_test_cluster_metrics");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Webhooks"] = connectionString }).Build();
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var time = new FakeTimeProvider();
        var recorded = new List<(string Instrument, double Value, string State)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => recorded.Add((instrument.Name, value, StateOf(tags))));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => recorded.Add((instrument.Name, value, StateOf(tags))));
        listener.Start();
        await using var metrics = new ClusterMetrics(configuration, meters, time, NullLogger<ClusterMetrics>.Instance);

        // The first read sets the starting point; events finished after it are counted once their outcome is Lag old.
        await metrics.RefreshAsync(CancellationToken.None);
        (string State, double Latency)[] finished =
        [
            ("processed", 0), ("processed", 0.004), ("processed", 0.01), ("processed", 0.010001), ("processed", 0.02),
            ("processed", 0.3), ("processed", 0.3), ("processed", 7), ("failed", 0.5), ("failed", 400), ("ignored", 0.06),
        ];
        for (var i = 0; i < finished.Length; i++)
        {
            await TestDatabase.ExecuteAsync(connectionString, """
                INSERT INTO webhook_events (provider, external_id, state, received_at, processed_at, recover_at, payload)
                SELECT 'test', @id, @state, t - make_interval(secs => @latency), t, t, '\x7b7d'
                FROM (SELECT now() - interval '4.9 seconds' AS t) AS n
                """, ("id", $"evt_{i}"), ("state", finished[i].State), ("latency", finished[i].Latency));
        }
        await Eventually.MatchesAsync(async () =>
        {
            time.Advance(ClusterMetrics.RefreshInterval);
            await metrics.RefreshAsync(CancellationToken.None);
            return recorded.Where(r => r.Instrument == "webhooks.events.finished").Sum(r => r.Value);
        }, counted => counted >= finished.Length, TimeSpan.FromSeconds(15), "the finished events counted");

        var counts = recorded.Where(r => r.Instrument == "webhooks.events.finished").GroupBy(r => r.State).ToDictionary(g => g.Key, g => g.Sum(r => r.Value));
        Assert.Equal(new Dictionary<string, double> { ["processed"] = 8, ["failed"] = 2, ["ignored"] = 1 }, counts);
        var latencies = recorded.Where(r => r.Instrument == ClusterMetrics.LatencyInstrument).ToArray();
        foreach (var state in counts.Keys)
        {
            var expected = finished.Where(f => f.State == state).Select(f => f.Latency).ToArray();
            var got = latencies.Where(l => l.State == state).Select(l => l.Value).ToArray();
            Assert.Equal(expected.Select(Bucket).Order(), got.Select(Bucket).Order());
            Assert.Equal(expected.Sum(), got.Sum(), precision: 6);
        }
    }

    /// <summary>The histogram bucket a value lands in: the first bound at or above it (Prometheus' "le").</summary>
    private static int Bucket(double value)
    {
        var index = Array.FindIndex(ClusterMetrics.LatencyBuckets, bound => value <= bound);
        return index < 0 ? ClusterMetrics.LatencyBuckets.Length : index;
    }

    private static string StateOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "state")
            {
                return Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "";
            }
        }
        return "";
    }
}
