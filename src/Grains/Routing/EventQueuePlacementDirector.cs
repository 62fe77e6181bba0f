using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Orleans.Webhooks.Grains.Routing;

/// <summary>
/// Places a queue grain of the event stream on the silo whose pulling agent takes its queue (<see cref="EventQueueOwners"/>),
/// whichever silo calls it first (a publisher usually does). A placement hint wins (a queue grain that follows its
/// agent names the silo it goes to: <see cref="EventQueueFollowsAgentFilter"/>). A queue grain that is not the event
/// stream's goes to the calling silo.
/// </summary>
internal sealed class EventQueuePlacementDirector(EventQueueOwners owners) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        var silo = IPlacementDirector.GetPlacementHint(target.RequestContextData, compatible)
            ?? (owners.CurrentOwnerOf(target.GrainIdentity) is { } owner && compatible.Contains(owner) ? owner : null)
            ?? (context.LocalSiloStatus == SiloStatus.Active && compatible.Contains(context.LocalSilo)
                ? context.LocalSilo
                : compatible[Random.Shared.Next(compatible.Length)]);
        return Task.FromResult(silo);
    }
}
