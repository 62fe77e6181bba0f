using Orleans.Runtime;
using Orleans.Webhooks.Grains.Directory;

namespace Orleans.Webhooks.Grains.Tests.Directory;

public sealed class SiloLocalGrainDirectoryTests
{
    private static readonly SiloAddress Here = SiloAddress.New(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 11111), 1);
    private static readonly SiloAddress There = SiloAddress.New(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 11112), 1);

    private static GrainAddress Activation(string key, SiloAddress silo) =>
        new() { GrainId = GrainId.Create("payment", key), ActivationId = ActivationId.NewId(), SiloAddress = silo };

    [Fact]
    public async Task Register_SecondActivationOfAGrain_GetsTheFirst()
    {
        var directory = new SiloLocalGrainDirectory();
        var first = Activation("a", Here);
        var second = new GrainAddress { GrainId = first.GrainId, ActivationId = ActivationId.NewId(), SiloAddress = Here };

        Assert.Same(first, await directory.Register(first));
        Assert.Same(first, await directory.Register(second));
        Assert.Same(first, await directory.Lookup(first.GrainId));
    }

    [Fact]
    public async Task Unregister_OnlyTheRegisteredActivation()
    {
        var directory = new SiloLocalGrainDirectory();
        var registered = Activation("b", Here);
        await directory.Register(registered);

        await directory.Unregister(new GrainAddress { GrainId = registered.GrainId, ActivationId = ActivationId.NewId(), SiloAddress = Here });
        Assert.Same(registered, await directory.Lookup(registered.GrainId));

        await directory.Unregister(registered);
        Assert.Null(await directory.Lookup(registered.GrainId));
        Assert.Equal(0, directory.Count);
    }

    [Fact]
    public async Task RegisterWithPrevious_ReplacesIt()
    {
        var directory = new SiloLocalGrainDirectory();
        var previous = Activation("c", Here);
        await directory.Register(previous);
        var next = new GrainAddress { GrainId = previous.GrainId, ActivationId = ActivationId.NewId(), SiloAddress = Here };

        Assert.Same(next, await directory.Register(next, previous));
    }

    [Fact]
    public async Task UnregisterSilos_RemovesTheirEntriesOnly()
    {
        var directory = new SiloLocalGrainDirectory();
        var here = Activation("d", Here);
        var there = Activation("e", There);
        await directory.Register(here);
        await directory.Register(there);

        await directory.UnregisterSilos([There]);

        Assert.Same(here, await directory.Lookup(here.GrainId));
        Assert.Null(await directory.Lookup(there.GrainId));
    }
}
