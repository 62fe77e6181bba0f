using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Processing;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.Processing;

/// <summary>Where this test's own events were routed, as the dispatcher saw it (not which routers happen to be active).</summary>
[Collection(ClusterCollection.Name)]
public sealed class RoutingSpreadTests(ClusterFixture fixture)
{
    [Fact]
    public async Task EventsOfManyObjects_SpreadOverPartitionsOnEverySilo_EventsOfOneObjectShareOnePartition()
    {
        const int objects = 32, eventsPerObject = 3;
        var customers = Enumerable.Range(0, objects).Select(_ => Events.NewId("cus")).ToArray();
        var accepted = customers
            .SelectMany(customer => Enumerable.Range(0, eventsPerObject).Select(i =>
                (Customer: customer, Event: Events.Incoming(Events.NewId("evt"), EventTypes.CustomerUpdated, new EventDetails { ObjectId = customer, Name = $"n{i}" }))))
            .ToArray();

        await Task.WhenAll(accepted.Select(a => fixture.Client.GetGrain<IEventGrain>(a.Event.Key).AcceptAsync(a.Event)));
        var routes = await Eventually.MatchesAsync(
            () => Task.FromResult(accepted.Select(a => (a.Customer, Routes: FaultInjectingDispatcher.RoutesOf(a.Event.Key))).ToArray()),
            all => all.All(a => a.Routes.Count > 0), because: "every event dispatched by a router");

        Assert.All(routes.GroupBy(r => r.Customer), ofOneObject => Assert.Single(ofOneObject.SelectMany(r => r.Routes).Select(r => r.Partition).Distinct()));
        // 32 objects hashed over the 8 partitions land on all or all but one of them (7.9 on average); half of them or
        // fewer would take a broken hash.
        var partitions = new ProcessingOptions().Partitions;
        Assert.InRange(routes.SelectMany(r => r.Routes).Select(r => r.Partition).Distinct().Count(), partitions / 2 + 1, partitions);
        Assert.Equal(2, routes.SelectMany(r => r.Routes).Select(r => r.Silo).Distinct().Count());
    }
}
