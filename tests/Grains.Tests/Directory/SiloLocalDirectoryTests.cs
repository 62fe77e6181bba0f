using Microsoft.Extensions.DependencyInjection;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.Directory;

/// <summary>
/// Event and domain grains are registered per silo, not cluster-wide: the same grain may be activated on both silos.
/// These drive the two silos of the test cluster at once, each through its own grain factory (so each places the
/// grains it calls on itself), and check that what a single activation per grain would give holds.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SiloLocalDirectoryTests(ClusterFixture fixture)
{
    private IGrainFactory[] Silos => fixture.Cluster.Silos.Select(silo => silo.ServiceProvider.GetRequiredService<IGrainFactory>()).ToArray();

    [Fact]
    public async Task SameDelivery_ToBothSilosAtOnce_AcceptedExactlyOnce()
    {
        var payment = Events.NewId("pay");
        var incoming = Events.Incoming(Events.NewId("evt"), EventTypes.PaymentCompleted, new EventDetails { ObjectId = payment, Amount = 7m, Currency = "eur" });

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Silos[i % 2].GetGrain<IEventGrain>(incoming.Key).AcceptAsync(incoming)));

        Assert.Equal((1, 9), (outcomes.Count(o => o == AcceptOutcome.Accepted), outcomes.Count(o => o == AcceptOutcome.Duplicate)));
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM webhook_events WHERE provider = 'test' AND external_id = @x", ("x", incoming.ExternalId)));
        var view = await Eventually.MatchesAsync(() => fixture.Client.GetGrain<IEventQueryGrain>(0).GetAsync(incoming.Provider, incoming.ExternalId),
            v => v?.State == EventStates.Processed);
        Assert.Equal(10, view!.Deliveries);
        Assert.Equal(1L, await ChangesOfAsync(payment));
    }

    [Fact]
    public async Task FiftyConcurrentRefundsOfOnePayment_SplitAcrossSilos_GiveTheRightTotal()
    {
        var payment = Events.NewId("pay");
        var completed = Events.Incoming(Events.NewId("evt"), EventTypes.PaymentCompleted, new EventDetails { ObjectId = payment, Amount = 100m, Currency = "eur" });
        Assert.Equal(AcceptOutcome.Accepted, await Silos[0].GetGrain<IEventGrain>(completed.Key).AcceptAsync(completed));

        var refunds = Enumerable.Range(0, 50).Select(i => Events.Incoming(Events.NewId("evt"), EventTypes.RefundProcessed,
            new EventDetails { ObjectId = Events.NewId("re"), PaymentId = payment, Amount = 1.25m, Currency = "eur" })).ToList();
        var outcomes = await Task.WhenAll(refunds.Select((refund, i) => Silos[i % 2].GetGrain<IEventGrain>(refund.Key).AcceptAsync(refund)));
        Assert.All(outcomes, outcome => Assert.Equal(AcceptOutcome.Accepted, outcome));

        var ids = refunds.Select(r => r.ExternalId).Append(completed.ExternalId).ToArray();
        await Eventually.MatchesAsync(
            () => TestDatabase.ScalarAsync<long>(fixture.ConnectionString,
                "SELECT count(*) FROM webhook_events WHERE provider = 'test' AND external_id = ANY(@ids) AND state = 'processed'", ("ids", ids)),
            processed => processed == ids.Length, TimeSpan.FromSeconds(60), "the payment and its 50 refunds processed");
        foreach (var silo in Silos)
        {
            var view = await silo.GetGrain<IPaymentGrain>($"test:{payment}").GetAsync();
            Assert.Equal(("partially_refunded", 100m, 62.50m), (view!.Status, view.Amount, view.RefundedAmount));
        }
        // One change per applied event: none applied twice, none lost.
        Assert.Equal(51L, await ChangesOfAsync(payment));
    }

    private Task<long> ChangesOfAsync(string payment) =>
        TestDatabase.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM changes WHERE kind = 'payment' AND provider = 'test' AND object_id = @id", ("id", payment));
}
