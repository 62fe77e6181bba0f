using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime.Placement;

namespace Orleans.Webhooks.Grains.Routing;

public static class EventQueueLocality
{
    /// <summary>
    /// Pulling agents take the queues <see cref="EventQueueOwners"/> gives their silo, and the queue grains are placed
    /// on that silo and follow their agent when queues move: one call, so that balancer and placement cannot disagree.
    /// </summary>
    public static void UseEventQueueLocality(this ISiloPersistentStreamConfigurator streams)
    {
        streams.ConfigurePartitionBalancing(EventQueueBalancer.Create);
        streams.ConfigureDelegate(services =>
        {
            services.AddSingleton<EventQueueOwners>();
            services.AddSingleton<IPlacementStrategyResolver, EventQueuePlacementResolver>();
            services.AddPlacementDirector<EventQueuePlacement, EventQueuePlacementDirector>();
            services.AddSingleton<IIncomingGrainCallFilter, EventQueueFollowsAgentFilter>();
        });
    }
}
