using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace Orleans.Webhooks.Grains.Routing;

/// <summary>
/// Gives this silo's pulling agents the event-stream queues that <see cref="EventQueueOwners"/> assigns to it, the
/// same assignment the queue grains are placed by (Orleans' default balancer follows its consistent ring instead, which
/// placement cannot see).
/// </summary>
internal sealed class EventQueueBalancer(EventQueueOwners owners, IServiceProvider services, ILogger<EventQueueBalancer> logger)
    : QueueBalancerBase(services, logger)
{
    /// <summary>How often, and how many times (30 s), a balancer looks again for the roles of silos that just joined.</summary>
    private static readonly TimeSpan RolesPoll = TimeSpan.FromMilliseconds(500);

    private const int RolesPolls = 60;

    private QueueId[] _mine = [];

    /// <summary>Counts membership changes, so that a wait for roles deals only for the latest one.</summary>
    private int _change;

    public static IStreamQueueBalancer Create(IServiceProvider services, string name) =>
        ActivatorUtilities.CreateInstance<EventQueueBalancer>(services);

    public override Task Initialize(IStreamQueueMapper queueMapper)
    {
        if (!queueMapper.GetAllQueues().ToHashSet().SetEquals(owners.Queues))
        {
            throw new InvalidOperationException($"The stream provider '{EventStreams.ProviderName}' has other queues than the queue placement knows: configure its partitioning through HashRingStreamQueueMapperOptions.");
        }
        return base.Initialize(queueMapper);
    }

    public override IEnumerable<QueueId> GetMyQueues() => Volatile.Read(ref _mine);

    protected override void OnClusterMembershipChange(HashSet<SiloAddress> activeSilos)
    {
        // Every change supersedes a wait for an earlier one, which would otherwise deal for silos since gone.
        var change = Interlocked.Increment(ref _change);
        Deal(activeSilos);
        if (!owners.KnowsRolesOf(activeSilos))
        {
            // A silo's metadata (whether it processes) comes a moment after it joins: deal again once it has.
            DealWhenRolesKnownAsync(activeSilos, change).Ignore();
        }
    }

    private void Deal(IEnumerable<SiloAddress> activeSilos)
    {
        var mine = owners.QueuesOf(SiloAddress, activeSilos);
        if (!mine.SequenceEqual(Volatile.Read(ref _mine)))
        {
            Volatile.Write(ref _mine, mine);
            NotifyListeners().Ignore();
        }
    }

    private async Task DealWhenRolesKnownAsync(HashSet<SiloAddress> activeSilos, int change)
    {
        for (var tries = 0; tries < RolesPolls && change == Volatile.Read(ref _change); tries++)
        {
            await Task.Delay(RolesPoll).ConfigureAwait(false);
            if (owners.KnowsRolesOf(activeSilos))
            {
                if (change == Volatile.Read(ref _change))
                {
                    Deal(activeSilos);
                }
                return;
            }
        }
    }
}
