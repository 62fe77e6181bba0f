using System.Collections.Concurrent;
using Orleans.GrainDirectory;
using Orleans.Runtime;

namespace Orleans.Webhooks.Grains.Directory;

/// <summary>
/// A grain directory that lives on one silo and knows only that silo's activations, for the grains that live
/// milliseconds to seconds and whose uniqueness does not rest on Orleans: event grains (PostgreSQL's unique key decides
/// accepted or duplicate) and payment grains (each write is guarded by its etag, and the keys of applied events make a
/// repeat harmless). With Orleans' cluster-wide directory every such activation is registered with, looked up at and
/// removed from the silo that owns its key, which on N silos crosses to another silo (N-1)/N of the time. Here it costs
/// one dictionary operation.
/// <para>
/// A grain of these types can therefore be active on two silos at once. For payments that stays rare: payment and
/// refund events are routed to the stream partition of their payment (<see cref="Processing.EventObjects.SubjectOf"/>),
/// so one payment's events are applied on one silo. When it happens anyway (the recovery sweep on another silo, an
/// order event naming the payment), the copy that writes second loses the etag race, lets itself go and the event is
/// retried on fresh state; reads of a view read the stored state first. Orders and customers stay in Orleans'
/// directory: they are named by the events of many payments, routed to many silos, and a customer with many payments
/// would otherwise have a copy on every silo, each write racing the others.
/// </para>
/// </summary>
public sealed class SiloLocalGrainDirectory : IGrainDirectory
{
    public const string Name = "silo-local";

    private readonly ConcurrentDictionary<GrainId, GrainAddress> _activations = new();

    public int Count => _activations.Count;

    /// <summary>Registers the activation, or returns the one already registered for the grain on this silo.</summary>
    public Task<GrainAddress?> Register(GrainAddress address) => Task.FromResult<GrainAddress?>(_activations.GetOrAdd(address.GrainId, address));

    public Task<GrainAddress?> Register(GrainAddress address, GrainAddress? previousAddress)
    {
        if (previousAddress is not null)
        {
            _activations.TryRemove(new KeyValuePair<GrainId, GrainAddress>(previousAddress.GrainId, previousAddress));
        }
        return Register(address);
    }

    public Task Unregister(GrainAddress address)
    {
        if (_activations.TryGetValue(address.GrainId, out var registered) && registered.Matches(address))
        {
            _activations.TryRemove(new KeyValuePair<GrainId, GrainAddress>(address.GrainId, registered));
        }
        return Task.CompletedTask;
    }

    public Task<GrainAddress?> Lookup(GrainId grainId) =>
        Task.FromResult(_activations.TryGetValue(grainId, out var address) ? address : null);

    public Task UnregisterSilos(List<SiloAddress> siloAddresses)
    {
        foreach (var (grainId, address) in _activations)
        {
            if (address.SiloAddress is { } silo && siloAddresses.Contains(silo))
            {
                _activations.TryRemove(new KeyValuePair<GrainId, GrainAddress>(grainId, address));
            }
        }
        return Task.CompletedTask;
    }
}
