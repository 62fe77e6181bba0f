using Orleans.Runtime;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.Processing;

[Collection(ClusterCollection.Name)]
public sealed class RoutingSpreadTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Routers_OnePerPartition_RunOnEverySilo()
    {
        var accepted = Enumerable.Range(0, 64)
            .Select(_ => Events.Incoming(Events.NewId("evt"), EventTypes.CustomerUpdated, new EventDetails { ObjectId = Events.NewId("cus"), Name = "n" }))
            .ToArray();
        await Task.WhenAll(accepted.Select(e => fixture.Client.GetGrain<IEventGrain>(e.Key).AcceptAsync(e)));
        var query = fixture.Client.GetGrain<IEventQueryGrain>(0);
        foreach (var e in accepted)
        {
            await Eventually.MatchesAsync(() => query.GetAsync(e.Provider, e.ExternalId), v => v?.State == EventStates.Processed);
        }

        var statistics = await fixture.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        var routers = statistics.Where(s => s.GrainType.Contains("RouterGrain", StringComparison.Ordinal)).ToArray();

        Assert.Equal(2, routers.Select(r => r.SiloAddress).Distinct().Count());
        Assert.InRange(routers.Length, 2, 16);
    }
}
