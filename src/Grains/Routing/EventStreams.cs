using Orleans.Runtime;

namespace Orleans.Webhooks.Grains.Routing;

/// <summary>Stored events travel on the "events" stream namespace, spread over a fixed number of partitions by event key.</summary>
public static class EventStreams
{
    public const string ProviderName = "events";
    public const string Namespace = "webhook-events";

    public static StreamId For(string eventKey, int partitions) => ForPartition(Partition(eventKey, partitions));

    public static StreamId ForPartition(int partition) =>
        StreamId.Create(Namespace, partition.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A stable hash (not string.GetHashCode, which differs per process) so every silo picks the same partition.</summary>
    public static int Partition(string eventKey, int partitions)
    {
        var hash = 2166136261u;
        foreach (var c in eventKey)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)(hash % (uint)partitions);
    }
}
