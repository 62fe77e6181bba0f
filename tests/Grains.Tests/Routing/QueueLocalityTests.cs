using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Streams;
using Orleans.TestingHost;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Processing;
using Orleans.Webhooks.Grains.Routing;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.Routing;

/// <summary>
/// Where the event stream's queue grains live on a real cluster, as Orleans itself reports it: its streaming diagnostics
/// name the silo of each queue's pulling agent, its management grain the silo of each activation. The silos start one
/// after the other, so the first silo's agents activate every queue grain before the second takes half the queues.
/// A cluster of its own per test: one test adds a silo, another makes the first silo an intake silo.
/// </summary>
public sealed class QueueLocalityTests : IAsyncLifetime
{
    private static readonly TimeSpan Settling = TimeSpan.FromSeconds(60);

    private static int _clusters;

    private readonly PullingAgents _agents = new();
    private InProcessTestCluster? _cluster;

    private InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The test has not deployed its cluster.");

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>A two-silo cluster of the test's own; <paramref name="firstSiloSettings"/> apply to the first silo only.</summary>
    private async Task DeployAsync(IReadOnlyDictionary<string, string?>? firstSiloSettings = null)
    {
        // A database per test: recreating one that the previous test's connection pool still holds breaks that pool.
        var connectionString = await TestDatabase.CreateAsync($"webhooks_test_locality{Interlocked.Increment(ref _clusters)}");
        // No recovery sweep within the test: an event is processed because the stream delivered it.
        _cluster = await ClusterFixture.DeployAsync(connectionString,
            new Dictionary<string, string?> { ["Webhooks:Processing:RecoverAfter"] = "01:00:00" }, firstSiloSettings);
    }

    public async Task DisposeAsync()
    {
        _agents.Dispose();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task TwoSilos_EveryQueueGrainOnTheSiloOfItsPullingAgent_EventsProcessedThroughTheStream()
    {
        await DeployAsync();
        var settled = await Eventually.MatchesAsync(PlacesAsync, AllLocal, Settling, "every queue grain beside its pulling agent");
        // The 8 partitions hash unevenly onto the 8 queues: dealt by the partitions they carry, each silo routes 4.
        Assert.Equal([4, 4], PartitionsPerSilo(settled));

        await PublishAndProcessAsync();

        var after = await PlacesAsync();
        Assert.True(AllLocal(after), $"after processing: {after}");
    }

    [Fact]
    public async Task ThirdSiloJoins_QueueGrainsFollowTheirAgents_EventsProcessedThroughTheStream()
    {
        await DeployAsync();
        await Eventually.MatchesAsync(PlacesAsync, AllLocal, Settling, "two silos settled");

        await Cluster.StartAdditionalSiloAsync();

        var settled = await Eventually.MatchesAsync(PlacesAsync, places => AllLocal(places) && places.Queues.Select(q => q.Agents.Single()).Distinct().Count() == 3,
            Settling, "every queue grain beside its pulling agent on three silos");
        Assert.Equal([2, 3, 3], PartitionsPerSilo(settled));
        await PublishAndProcessAsync();
    }

    [Fact]
    public async Task AnIntakeOnlySilo_PullsNoQueue_WhatItAcceptsIsProcessedThroughTheStreamByTheOther()
    {
        // The first silo (the one the client's gateway is) accepts and stores, and processes nothing.
        await DeployAsync(firstSiloSettings: new Dictionary<string, string?> { ["Webhooks:Processing:Enabled"] = "false" });
        var processing = Cluster.Silos[1].SiloAddress;

        var settled = await Eventually.MatchesAsync(PlacesAsync, places => AllLocal(places) && places.Queues.All(q => q.Agents.Single().Equals(processing)),
            Settling, "every queue pulled on the processing silo, its grain beside it");

        Assert.Equal([8], PartitionsPerSilo(settled));
        // Accepted through the intake silo's gateway; no recovery sweep within the test: processed through the stream.
        var processed = await PublishAndProcessAsync();
        Assert.All(processed, e => Assert.All(FaultInjectingDispatcher.RoutesOf(e.Key), route => Assert.Equal(processing, route.Silo)));
    }

    /// <summary>Every queue pulled by one agent, held by one activation on the agent's silo, and no queue grain unknown to the placement.</summary>
    private static bool AllLocal(Places places) =>
        places.Unrecognised == 0
        && places.Queues.All(q => q.Agents.Length == 1 && q.Activations.Length == 1 && q.Agents[0].Equals(q.Activations[0]));

    /// <summary>How many event partitions the agents of each silo pull, fewest first.</summary>
    private int[] PartitionsPerSilo(Places places)
    {
        var owners = Cluster.GetSiloServiceProvider().GetRequiredService<EventQueueOwners>();
        return [.. places.Queues.GroupBy(q => q.Agents.Single()).Select(silo => silo.Sum(q => owners.PartitionsOf(q.Queue))).Order()];
    }

    /// <summary>Accepts events through the client's gateway and waits until the stream's routers have processed each; returns them.</summary>
    private async Task<IncomingEvent[]> PublishAndProcessAsync()
    {
        var incoming = Enumerable.Range(0, 32)
            .Select(_ => Events.Incoming(Events.NewId("evt"), EventTypes.PaymentCompleted, new EventDetails { ObjectId = Events.NewId("pay"), Amount = 1m, Currency = "usd" }))
            .ToArray();
        await Task.WhenAll(incoming.Select(e => Cluster.Client.GetGrain<IEventGrain>(e.Key).AcceptAsync(e)));

        var query = Cluster.Client.GetGrain<IEventQueryGrain>(0);
        var states = await Eventually.MatchesAsync(
            async () => await Task.WhenAll(incoming.Select(async e => (await query.GetAsync(e.Provider, e.ExternalId))?.State)),
            all => all.All(state => state == EventStates.Processed), because: "every event processed");
        Assert.All(states, state => Assert.Equal(EventStates.Processed, state));
        Assert.All(incoming, e => Assert.NotEmpty(FaultInjectingDispatcher.RoutesOf(e.Key)));
        return incoming;
    }

    private async Task<Places> PlacesAsync()
    {
        var owners = Cluster.GetSiloServiceProvider().GetRequiredService<EventQueueOwners>();
        var silos = Cluster.GetActiveSilos().Select(s => s.SiloAddress).ToHashSet();
        var statistics = await Cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        var queueGrains = statistics.Where(s => s.GrainType.StartsWith(typeof(MemoryStreamQueueGrain).FullName!, StringComparison.Ordinal)).ToArray();
        var queues = owners.Queues.Select(queue => new QueuePlace(
            queue,
            _agents.PullersOf(queue, silos),
            [.. queueGrains.Where(a => owners.TryGetQueue(a.GrainId, out var held) && held.Equals(queue)).Select(a => a.SiloAddress)])).ToArray();
        return new Places(queues, queueGrains.Count(a => !owners.TryGetQueue(a.GrainId, out _)));
    }

    private sealed record QueuePlace(QueueId Queue, SiloAddress[] Agents, SiloAddress[] Activations)
    {
        public override string ToString() => $"{Queue}: agents [{string.Join(", ", Agents.AsEnumerable())}], activations [{string.Join(", ", Activations.AsEnumerable())}]";
    }

    private sealed record Places(QueuePlace[] Queues, int Unrecognised)
    {
        public override string ToString() => $"{Unrecognised} queue grains unrecognised; {string.Join("; ", Queues.AsEnumerable())}";
    }
}
