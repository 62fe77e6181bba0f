using System.Diagnostics.Metrics;

namespace Orleans.Webhooks.Grains.Interfaces.Telemetry;

/// <summary>Our own instruments, on the "Orleans.Webhooks" meter, exported with OpenTelemetry beside Orleans' and ASP.NET Core's.</summary>
public static class WebhookMetrics
{
    public const string MeterName = "Orleans.Webhooks";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Deliveries received, by provider and outcome (accepted, duplicate, unauthorized, invalid, ...).</summary>
    public static readonly Counter<long> Deliveries = Meter.CreateCounter<long>("webhooks.deliveries", description: "Webhook deliveries by provider and outcome");

    /// <summary>Processing runs finished, by outcome (processed, ignored, failed).</summary>
    public static readonly Counter<long> ProcessingRuns = Meter.CreateCounter<long>("webhooks.processing.runs", description: "Event processing runs by outcome");

    /// <summary>Rows per group commit of the event store.</summary>
    public static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("webhooks.store.batch_size", unit: "{row}", description: "Rows written per group commit");

    /// <summary>Stream batches a partition refused, by partition; their events went to another partition or were processed directly.</summary>
    public static readonly Counter<long> StreamPublishFailures = Meter.CreateCounter<long>("webhooks.stream.publish_failures", description: "Stream batches a partition refused");
}
