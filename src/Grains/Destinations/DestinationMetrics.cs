using System.Diagnostics.Metrics;
using Orleans.Webhooks.Grains.Interfaces.Telemetry;

namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>
/// Push instruments of the silo that runs a destination's sender, on the "Orleans.Webhooks" meter (exported over OTLP):
/// its POSTs by outcome and how many changes each carried. A destination's lag, paused state, parked changes and
/// attempts per change are read from PostgreSQL by the web API for <c>/metrics</c>, whichever silo sends.
/// </summary>
internal static class DestinationMetrics
{
    private static readonly Meter Meter = new(WebhookMetrics.MeterName);

    private static readonly Counter<long> Posts = Meter.CreateCounter<long>(
        "webhooks.destination.posts", "{request}", "POSTs to push destinations by destination and outcome");

    private static readonly Histogram<int> Changes = Meter.CreateHistogram<int>(
        "webhooks.destination.post_changes", "{change}", "Changes carried by each POST to a push destination");

    public static void Posted(string destination, int changes, bool delivered)
    {
        var tag = new KeyValuePair<string, object?>("destination", destination);
        Posts.Add(1, tag, new KeyValuePair<string, object?>("outcome", delivered ? AttemptOutcome.Delivered : AttemptOutcome.Failed));
        Changes.Record(changes, tag);
    }
}
