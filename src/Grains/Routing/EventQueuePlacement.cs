using Orleans.Runtime;

namespace Orleans.Webhooks.Grains.Routing;

/// <summary>The placement of memory-stream queue grains: on the silo that pulls their queue (<see cref="EventQueuePlacementDirector"/>).</summary>
[GenerateSerializer, Immutable, Alias("webhooks.EventQueuePlacement")]
public sealed class EventQueuePlacement : PlacementStrategy
{
    internal static EventQueuePlacement Instance { get; } = new();
}
