using System.Text.Json;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.Domain;

/// <summary>
/// The same flows through ingestion, routing and processing on both silos: an event is routed by the object it is
/// about, so a flow's order event and its payment events are processed by routers on different silos about half the
/// time, each arriving after the one before it was processed. Then every event is delivered again and replayed.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LinkAcrossSilosTests(ClusterFixture fixture)
{
    private IEventQueryGrain Query => fixture.Client.GetGrain<IEventQueryGrain>(0);

    [Fact]
    public async Task EveryProvidersFlow_EverySixOrders_SpreadOverBothSilos_OrdersPartiallyRefunded_RepeatsAndReplaysChangeNothing()
    {
        var flows = ProviderFlow.Shapes
            .SelectMany(shape => ProviderFlow.Permutations([0, 1, 2]).Select(arrival => (Flow: ProviderFlow.New(shape), Arrival: arrival)))
            .ToArray();

        var views = await Task.WhenAll(flows.Select(async f =>
        {
            var events = f.Flow.Three();
            foreach (var i in f.Arrival)
            {
                await AcceptAndSettleAsync(events[i]);
            }
            var order = await fixture.Client.GetGrain<IOrderGrain>($"test:{f.Flow.Order}").GetAsync();
            Assert.True(order is { Status: "partially_refunded", PaidAmount: 80m, RefundedAmount: 30m },
                $"{f.Flow.Shape} in the order {string.Join(",", f.Arrival)}: {order}");
            var before = await ViewsAsync(f.Flow);

            // A duplicate delivery of each event is counted, not applied; a replay runs it again and applies nothing.
            foreach (var evt in events)
            {
                Assert.Equal(AcceptOutcome.Duplicate, await fixture.Client.GetGrain<IEventGrain>(evt.Key).AcceptAsync(Incoming(evt)));
                Assert.True(await fixture.Client.GetGrain<IEventGrain>(evt.Key).ReplayAsync(null));
                await SettledAsync(evt);
            }
            Assert.Equal(before, await ViewsAsync(f.Flow));
            return (f.Flow, Views: f.Flow.Anonymise(before), Silos: events.SelectMany(e => FaultInjectingDispatcher.RoutesOf(e.Key)).Select(r => r.Silo).Distinct().Count());
        }));

        foreach (var ofShape in views.GroupBy(v => v.Flow.Shape))
        {
            Assert.All(ofShape, v => Assert.Equal(ofShape.First().Views, v.Views));
        }
        // 30 flows whose order and payment hash to independent partitions: all on one silo would take a broken spread.
        Assert.Contains(views, v => v.Silos == 2);
    }

    private async Task AcceptAndSettleAsync(WebhookEvent evt)
    {
        Assert.Equal(AcceptOutcome.Accepted, await fixture.Client.GetGrain<IEventGrain>(evt.Key).AcceptAsync(Incoming(evt)));
        await SettledAsync(evt);
    }

    private async Task SettledAsync(WebhookEvent evt)
    {
        var view = await Eventually.MatchesAsync(() => Query.GetAsync(evt.Provider, evt.ExternalId), v => v is not null && v.State != EventStates.Received,
            because: $"{evt.Type} {evt.Key} to be processed");
        Assert.Equal(EventStates.Processed, view!.State);
    }

    private static IncomingEvent Incoming(WebhookEvent evt) => Events.Incoming(evt.ExternalId, evt.Type, evt.Details) with { ReceivedAt = evt.ReceivedAt };

    private async Task<string> ViewsAsync(ProviderFlow flow) => JsonSerializer.Serialize(new object?[]
    {
        await fixture.Client.GetGrain<IOrderGrain>($"test:{flow.Order}").GetAsync(),
        await fixture.Client.GetGrain<IPaymentGrain>($"test:{flow.Payment}").GetAsync(),
        await fixture.Client.GetGrain<ICustomerGrain>($"test:{flow.Customer}").GetAsync(),
    });
}
