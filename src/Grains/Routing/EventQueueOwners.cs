using System.Buffers.Binary;
using System.Collections.Frozen;
using System.IO.Hashing;
using System.Text;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Streams;

namespace Orleans.Webhooks.Grains.Routing;

/// <summary>
/// Which silo pulls each queue of the event stream: one function of the active silos, which the queue balancer
/// (<see cref="EventQueueBalancer"/>) and the queue grains' placement (<see cref="EventQueuePlacementDirector"/>) both
/// call. A memory-stream queue grain therefore lives where its pulling agent runs: the agent's polls stay on the silo,
/// and an event crosses silos at most once, from the silo that publishes it to the agent's.
/// Queues go round the active silos in address order (queue i to silo i mod n), so every silo pulls as many queues as
/// any other, give or take one. A silo that joins or leaves moves queues, and a queue grain follows its agent
/// (<see cref="EventQueueFollowsAgentFilter"/>). Correctness never rests on this: an event a move drops stays
/// 'received' for the recovery sweep.
/// </summary>
public sealed class EventQueueOwners
{
    private readonly IClusterMembershipService _membership;
    private readonly FrozenDictionary<Guid, QueueId> _queueOfGrain;
    private ActiveSilos _active = new(MembershipVersion.MinValue, []);

    public EventQueueOwners(IClusterMembershipService membership, IOptionsMonitor<HashRingStreamQueueMapperOptions> queueOptions)
    {
        _membership = membership;
        // The queues the memory stream provider itself makes from the same named options (MemoryAdapterFactory.Init).
        Queues = [.. new HashRingBasedStreamQueueMapper(queueOptions.Get(EventStreams.ProviderName), EventStreams.ProviderName).GetAllQueues()];
        _queueOfGrain = Queues.ToFrozenDictionary(QueueGrainKey);
    }

    public IReadOnlyList<QueueId> Queues { get; }

    /// <summary>The silo that pulls <paramref name="queue"/> among <paramref name="orderedSilos"/> (see <see cref="Order"/>).</summary>
    public static SiloAddress OwnerOf(QueueId queue, IReadOnlyList<SiloAddress> orderedSilos) =>
        orderedSilos[(int)(queue.GetNumericId() % (uint)orderedSilos.Count)];

    /// <summary>The order every silo puts the active silos in, whatever order its membership view lists them in.</summary>
    public static SiloAddress[] Order(IEnumerable<SiloAddress> silos) => [.. silos.Order()];

    /// <summary>The queues <paramref name="silo"/> pulls when <paramref name="activeSilos"/> are active.</summary>
    public QueueId[] QueuesOf(SiloAddress silo, IEnumerable<SiloAddress> activeSilos)
    {
        var ordered = Order(activeSilos);
        return ordered.Length == 0 ? [] : [.. Queues.Where(queue => OwnerOf(queue, ordered).Equals(silo))];
    }

    /// <summary>
    /// The silo that pulls the queue <paramref name="grain"/> holds, in this silo's current view of the cluster; null for
    /// a grain that holds no queue of the event stream, or while no silo is active.
    /// </summary>
    public SiloAddress? CurrentOwnerOf(GrainId grain)
    {
        if (!TryGetQueue(grain, out var queue))
        {
            return null;
        }
        var silos = ActiveNow();
        return silos.Length == 0 ? null : OwnerOf(queue, silos);
    }

    /// <summary>The queue of the event stream that a memory-stream queue grain holds.</summary>
    public bool TryGetQueue(GrainId grain, out QueueId queue)
    {
        queue = default;
        return grain.TryGetGuidKey(out var key, out _) && _queueOfGrain.TryGetValue(key, out queue);
    }

    private SiloAddress[] ActiveNow()
    {
        // Ordered once per membership version: the queue grains ask on every call.
        var snapshot = _membership.CurrentSnapshot;
        var active = Volatile.Read(ref _active);
        if (active.Version != snapshot.Version)
        {
            active = new ActiveSilos(snapshot.Version, Order(snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress)));
            Volatile.Write(ref _active, active);
        }
        return active.Silos;
    }

    /// <summary>
    /// The key of the grain that holds a queue, as Orleans' memory stream provider makes it (privately, in
    /// MemoryAdapterFactory.GenerateDeterministicGuid): the XxHash64 of the provider's name, then the queue's ring
    /// position and its number. Should Orleans change it, queue grains are placed on the first silo that calls them,
    /// and QueueLocalityTests fail.
    /// </summary>
    private static Guid QueueGrainKey(QueueId queue)
    {
        Span<byte> bytes = stackalloc byte[16];
        XxHash64.Hash(Encoding.Unicode.GetBytes(EventStreams.ProviderName), bytes[..8]);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[8..], queue.GetUniformHashCode());
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[12..], queue.GetNumericId());
        return new Guid(bytes);
    }

    private sealed record ActiveSilos(MembershipVersion Version, SiloAddress[] Silos);
}
