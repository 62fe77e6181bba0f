namespace Orleans.Webhooks.Grains.Interfaces.Telemetry;

/// <summary>
/// The names our instruments go by on the "Orleans.Webhooks" meter, which both processes export (the web API to
/// Prometheus and OTLP, the silos over OTLP): dashboards and alert rules find them here. Each process creates its own
/// instruments under these names.
/// </summary>
public static class MetricNames
{
    public const string Meter = "Orleans.Webhooks";

    /// <summary>Deliveries received, by provider and outcome (accepted, duplicate, unauthorized, invalid, ...): the web API.</summary>
    public const string Deliveries = "webhooks.deliveries";

    /// <summary>Long polls of the change feed waiting for a change: the web API.</summary>
    public const string ChangesWaiting = "webhooks.changes.waiting";

    /// <summary>Processing runs finished, by outcome (processed, ignored, failed): the silos.</summary>
    public const string ProcessingRuns = "webhooks.processing.runs";

    /// <summary>Rows per group commit of the event store: the silos.</summary>
    public const string StoreBatchSize = "webhooks.store.batch_size";

    /// <summary>Stream batches a partition refused, by partition: the silos.</summary>
    public const string StreamPublishFailures = "webhooks.stream.publish_failures";

    /// <summary>POSTs to push destinations by destination and outcome: the silo that runs a destination's sender.</summary>
    public const string DestinationPosts = "webhooks.destination.posts";

    /// <summary>Changes carried by each POST to a push destination: the silo that runs a destination's sender.</summary>
    public const string DestinationPostChanges = "webhooks.destination.post_changes";
}
