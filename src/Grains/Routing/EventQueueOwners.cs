using System.Buffers.Binary;
using System.Collections.Frozen;
using System.IO.Hashing;
using System.Text;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Streams;
using Orleans.Webhooks.Grains.Processing;

namespace Orleans.Webhooks.Grains.Routing;

/// <summary>
/// Which silo pulls each queue of the event stream: one function of the active silos, which the queue balancer
/// (<see cref="EventQueueBalancer"/>) and the queue grains' placement (<see cref="EventQueuePlacementDirector"/>) both
/// call. A memory-stream queue grain therefore lives where its pulling agent runs: the agent's polls stay on the silo,
/// and an event crosses silos at most once, from the silo that publishes it to the agent's.
/// The event partitions hash unevenly onto the queues (as many partitions as queues still leave some queues with two
/// and some with none), so queues are dealt by the partitions they carry: the queue with the most partitions first, each
/// to the silo carrying the fewest so far (then the fewest queues, then the first in address order). Every silo then
/// routes about as many partitions as any other. A silo that joins or leaves moves queues, and a queue grain follows
/// its agent (<see cref="EventQueueFollowsAgentFilter"/>). Correctness never rests on this: an event a move drops stays
/// 'received' for the recovery sweep.
/// Queues go to the silos that process events (<see cref="ProcessingOptions.Enabled"/>, which each silo publishes in
/// its Orleans silo metadata under <see cref="ProcessingMetadataKey"/>), so that intake-only silos accept and store
/// while the others process, promptly, what they accepted; a silo whose metadata has not arrived yet counts as
/// processing, and when no active silo processes, the queues are dealt among all of them.
/// </summary>
public sealed class EventQueueOwners
{
    /// <summary>The silo metadata entry that says whether a silo processes events: "true" or "false".</summary>
    public const string ProcessingMetadataKey = "webhooks.processing";

    private readonly IClusterMembershipService _membership;
    private readonly ISiloMetadataCache? _metadata;
    private readonly FrozenDictionary<Guid, QueueId> _queueOfGrain;
    private readonly QueueId[] _dealOrder;
    private readonly FrozenDictionary<QueueId, int> _partitions;
    private Assignment _current = new(MembershipVersion.MinValue, RolesKnown: false, FrozenDictionary<QueueId, SiloAddress>.Empty);

    public EventQueueOwners(
        IClusterMembershipService membership,
        IOptionsMonitor<HashRingStreamQueueMapperOptions> queueOptions,
        IOptions<ProcessingOptions> processing,
        IServiceProvider services)
    {
        _membership = membership;
        _metadata = services.GetService(typeof(ISiloMetadataCache)) as ISiloMetadataCache;
        // The queues the memory stream provider itself makes from the same named options (MemoryAdapterFactory.Init).
        var mapper = new HashRingBasedStreamQueueMapper(queueOptions.Get(EventStreams.ProviderName), EventStreams.ProviderName);
        Queues = [.. mapper.GetAllQueues()];
        _queueOfGrain = Queues.ToFrozenDictionary(QueueGrainKey);
        var partitions = Enumerable.Range(0, processing.Value.Partitions)
            .Select(partition => mapper.GetQueueForStream(EventStreams.ForPartition(partition)))
            .CountBy(queue => queue)
            .ToDictionary();
        _partitions = Queues.ToFrozenDictionary(queue => queue, queue => partitions.GetValueOrDefault(queue));
        _dealOrder = [.. Queues.OrderByDescending(queue => _partitions[queue]).ThenBy(queue => queue.GetNumericId())];
    }

    public IReadOnlyList<QueueId> Queues { get; }

    /// <summary>How many event partitions <paramref name="queue"/> carries.</summary>
    public int PartitionsOf(QueueId queue) => _partitions[queue];

    /// <summary>The silo that pulls each queue when <paramref name="activeSilos"/> are active (none when none is).</summary>
    public FrozenDictionary<QueueId, SiloAddress> Assign(IEnumerable<SiloAddress> activeSilos)
    {
        // Ordered, so that every silo deals alike whatever order its membership view lists the silos in.
        var silos = activeSilos.Order().ToArray();
        if (silos.Any(Processes))
        {
            silos = [.. silos.Where(Processes)];
        }
        if (silos.Length == 0)
        {
            return FrozenDictionary<QueueId, SiloAddress>.Empty;
        }
        var load = new (int Partitions, int Queues)[silos.Length];
        var owners = new Dictionary<QueueId, SiloAddress>(Queues.Count);
        foreach (var queue in _dealOrder)
        {
            var lightest = 0;
            for (var i = 1; i < silos.Length; i++)
            {
                if (load[i].CompareTo(load[lightest]) < 0)
                {
                    lightest = i;
                }
            }
            load[lightest] = (load[lightest].Partitions + _partitions[queue], load[lightest].Queues + 1);
            owners[queue] = silos[lightest];
        }
        return owners.ToFrozenDictionary();
    }

    /// <summary>False for a silo that has said it processes no events; true otherwise, also while its metadata has not arrived.</summary>
    public bool Processes(SiloAddress silo) => ProcessingOf(silo) != false;

    /// <summary>Whether the metadata of every one of <paramref name="silos"/> has arrived (only then is a dealing final).</summary>
    public bool KnowsRolesOf(IEnumerable<SiloAddress> silos) => silos.All(silo => ProcessingOf(silo) is not null);

    private bool? ProcessingOf(SiloAddress silo) =>
        _metadata?.GetSiloMetadata(silo).Metadata.TryGetValue(ProcessingMetadataKey, out var value) == true
            ? !string.Equals(value, "false", StringComparison.OrdinalIgnoreCase)
            : _metadata is null ? true : null;

    /// <summary>The queues <paramref name="silo"/> pulls when <paramref name="activeSilos"/> are active.</summary>
    public QueueId[] QueuesOf(SiloAddress silo, IEnumerable<SiloAddress> activeSilos) =>
        [.. Assign(activeSilos).Where(owner => owner.Value.Equals(silo)).Select(owner => owner.Key).OrderBy(queue => queue.GetNumericId())];

    /// <summary>
    /// The silo that pulls the queue <paramref name="grain"/> holds, in this silo's current view of the cluster; null for
    /// a grain that holds no queue of the event stream, or while no silo is active.
    /// </summary>
    public SiloAddress? CurrentOwnerOf(GrainId grain) =>
        TryGetQueue(grain, out var queue) && CurrentAssignment().TryGetValue(queue, out var owner) ? owner : null;

    /// <summary>The queue of the event stream that a memory-stream queue grain holds.</summary>
    public bool TryGetQueue(GrainId grain, out QueueId queue)
    {
        queue = default;
        return grain.TryGetGuidKey(out var key, out _) && _queueOfGrain.TryGetValue(key, out queue);
    }

    private FrozenDictionary<QueueId, SiloAddress> CurrentAssignment()
    {
        // The queue grains ask on every call: dealt once per membership version, and once more when the last silo's
        // role arrives (metadata never changes after that).
        var snapshot = _membership.CurrentSnapshot;
        var current = Volatile.Read(ref _current);
        if (current.Version == snapshot.Version && current.RolesKnown)
        {
            return current.Owners;
        }
        var active = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToArray();
        var rolesKnown = KnowsRolesOf(active);
        if (current.Version != snapshot.Version || rolesKnown)
        {
            current = new Assignment(snapshot.Version, rolesKnown, Assign(active));
            Volatile.Write(ref _current, current);
        }
        return current.Owners;
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

    private sealed record Assignment(MembershipVersion Version, bool RolesKnown, FrozenDictionary<QueueId, SiloAddress> Owners);
}
