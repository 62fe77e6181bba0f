using Microsoft.Extensions.Logging;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Orleans.Webhooks.Grains.Routing;

/// <summary>
/// Moves a queue grain of the event stream to the silo that pulls its queue when they differ: a silo that joins or
/// leaves makes the balancer hand queues to other silos' agents while their grains are still active where they were.
/// The grain moves once idle, with the events it holds (Orleans' <see cref="MemoryStreamQueueGrain"/> carries its queue
/// through a migration). The next poll of the new agent, or the next publish, is what notices.
/// </summary>
internal sealed partial class EventQueueFollowsAgentFilter(EventQueueOwners owners, ILocalSiloDetails silo, ILogger<EventQueueFollowsAgentFilter> logger)
    : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Grain is MemoryStreamQueueGrain
            && owners.CurrentOwnerOf(context.TargetContext.GrainId) is { } owner
            && !owner.Equals(silo.SiloAddress))
        {
            LogFollowing(logger, context.TargetContext.GrainId, owner);
            // The owner as placement hint: a migration whose placement picked this silo again would deactivate the
            // grain and drop its events instead of moving them.
            context.TargetContext.Migrate(new Dictionary<string, object> { [IPlacementDirector.PlacementHintKey] = owner });
        }
        return context.Invoke();
    }

    [LoggerMessage(EventId = 3020, Level = LogLevel.Debug, Message = "Stream queue {Queue} moves to {Silo}, which pulls it")]
    private static partial void LogFollowing(ILogger logger, GrainId queue, SiloAddress silo);
}
