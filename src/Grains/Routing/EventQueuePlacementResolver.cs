using System.Diagnostics.CodeAnalysis;
using Orleans.Metadata;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Orleans.Webhooks.Grains.Routing;

/// <summary>
/// Gives Orleans' <see cref="MemoryStreamQueueGrain"/> (a class of Orleans', which takes no placement attribute of
/// ours) the <see cref="EventQueuePlacement"/>: left to the default placement, a queue lands on any silo.
/// </summary>
internal sealed class EventQueuePlacementResolver : IPlacementStrategyResolver
{
    private static readonly string QueueGrainClass = typeof(MemoryStreamQueueGrain).FullName!;

    public bool TryResolvePlacementStrategy(GrainType grainType, GrainProperties? properties, [MaybeNullWhen(false)] out PlacementStrategy result)
    {
        if (properties is not null
            && properties.Properties.TryGetValue(WellKnownGrainTypeProperties.FullTypeName, out var grainClass)
            && grainClass == QueueGrainClass)
        {
            result = EventQueuePlacement.Instance;
            return true;
        }
        result = null;
        return false;
    }
}
