using Orleans.Webhooks.Grains.Telemetry;

namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>
/// Push instruments of the silo that runs a destination's sender (<see cref="WebhookMetrics"/>, exported over OTLP): its
/// POSTs by outcome and how many changes each carried. A destination's lag, paused state, parked changes and attempts
/// per change are read from PostgreSQL by the web API for <c>/metrics</c>, whichever silo sends.
/// </summary>
internal static class DestinationMetrics
{
    public static void Posted(string destination, int changes, bool delivered)
    {
        var tag = new KeyValuePair<string, object?>("destination", destination);
        WebhookMetrics.DestinationPosts.Add(1, tag, new KeyValuePair<string, object?>("outcome", delivered ? AttemptOutcome.Delivered : AttemptOutcome.Failed));
        WebhookMetrics.DestinationPostChanges.Record(changes, tag);
    }
}
