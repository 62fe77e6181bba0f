using System.Diagnostics.Metrics;
using Orleans.Webhooks.Grains.Interfaces.Telemetry;

namespace Orleans.Webhooks.Grains.Telemetry;

/// <summary>A silo's own instruments on the <see cref="MetricNames.Meter"/> meter, exported over OTLP beside Orleans'.</summary>
public static class WebhookMetrics
{
    private static readonly Meter Meter = new(MetricNames.Meter);

    /// <summary>Processing runs finished, by outcome (processed, ignored, failed).</summary>
    public static readonly Counter<long> ProcessingRuns = Meter.CreateCounter<long>(MetricNames.ProcessingRuns, description: "Event processing runs by outcome");

    /// <summary>Rows per group commit of the event store.</summary>
    public static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>(MetricNames.StoreBatchSize, unit: "{row}", description: "Rows written per group commit");

    /// <summary>Stream batches a partition refused, by partition; their events went to another partition or were processed directly.</summary>
    public static readonly Counter<long> StreamPublishFailures = Meter.CreateCounter<long>(MetricNames.StreamPublishFailures, description: "Stream batches a partition refused");

    /// <summary>POSTs to push destinations, by destination and outcome.</summary>
    public static readonly Counter<long> DestinationPosts = Meter.CreateCounter<long>(
        MetricNames.DestinationPosts, "{request}", "POSTs to push destinations by destination and outcome");

    /// <summary>Changes carried by each POST to a push destination.</summary>
    public static readonly Histogram<int> DestinationPostChanges = Meter.CreateHistogram<int>(
        MetricNames.DestinationPostChanges, "{change}", "Changes carried by each POST to a push destination");
}
