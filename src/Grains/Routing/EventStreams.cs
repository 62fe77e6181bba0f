using Orleans.Runtime;

namespace Orleans.Webhooks.Grains.Routing;

/// <summary>Stored events travel on the "events" stream provider, namespace "webhook-events", over a fixed number of partitions.</summary>
public static class EventStreams
{
    public const string ProviderName = "events";
    public const string Namespace = "webhook-events";

    public static StreamId ForPartition(int partition) =>
        StreamId.Create(Namespace, partition.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
