using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Orleans.Webhooks.Grains.Interfaces.Telemetry;

namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>
/// Push instruments on the "Orleans.Webhooks" meter: each destination's lag, reported by the silo its sender runs on, and
/// its delivery attempts by outcome.
/// </summary>
internal static class DestinationMetrics
{
    private static readonly Meter Meter = new(WebhookMetrics.MeterName);
    private static readonly ConcurrentDictionary<string, (long Changes, DateTimeOffset? OldestPendingAt)> Lags = new();

    private static readonly Counter<long> Attempts = Meter.CreateCounter<long>(
        "webhooks.destination.attempts", description: "POSTs to push destinations by destination and outcome");

    static DestinationMetrics()
    {
        Meter.CreateObservableGauge("webhooks.destination.lag", () => Lags.Select(l =>
            new Measurement<long>(l.Value.Changes, new KeyValuePair<string, object?>("destination", l.Key))),
            unit: "{change}", description: "Changes after a destination's cursor");
        Meter.CreateObservableGauge("webhooks.destination.lag_seconds", () => Lags.Select(l =>
            new Measurement<double>(l.Value.OldestPendingAt is { } at ? Math.Max(0, (DateTimeOffset.UtcNow - at).TotalSeconds) : 0,
                new KeyValuePair<string, object?>("destination", l.Key))),
            unit: "s", description: "Age of the oldest change a destination has not received");
    }

    public static void Report(string destination, long changes, DateTimeOffset? oldestPendingAt) => Lags[destination] = (changes, oldestPendingAt);

    public static void Forget(string destination) => Lags.TryRemove(destination, out _);

    public static void Attempted(string destination, bool delivered) =>
        Attempts.Add(1, new KeyValuePair<string, object?>("destination", destination), new KeyValuePair<string, object?>("outcome", delivered ? "delivered" : "failed"));
}
