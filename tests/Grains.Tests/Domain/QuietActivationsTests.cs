using Orleans.Runtime;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.Domain;

[Collection(ClusterCollection.Name)]
public sealed class QuietActivationsTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ObjectsNoEventReaches_AreLetGoWithinAFewQuietPeriods()
    {
        var payment = Events.NewId("pay");
        var customer = Events.NewId("cus");
        var incoming = Events.Incoming(Events.NewId("evt"), EventTypes.PaymentCompleted,
            new EventDetails { ObjectId = payment, CustomerId = customer, Amount = 3m, Currency = "eur" });
        await fixture.Client.GetGrain<IEventGrain>(incoming.Key).AcceptAsync(incoming);
        await Eventually.MatchesAsync(() => fixture.Client.GetGrain<IEventQueryGrain>(0).GetAsync(incoming.Provider, incoming.ExternalId),
            view => view?.State == EventStates.Processed);

        // Both objects were applied to and are gone long before the 30 s idle limit would take them.
        var grains = new[]
        {
            fixture.Client.GetGrain<IPaymentGrain>($"test:{payment}").GetGrainId(),
            fixture.Client.GetGrain<ICustomerGrain>($"test:{customer}").GetGrainId(),
        };
        var management = fixture.Client.GetGrain<IManagementGrain>(0);
        await Eventually.MatchesAsync(
            async () => (await management.GetDetailedGrainStatistics()).Count(activation => grains.Contains(activation.GrainId)),
            active => active == 0, TimeSpan.FromSeconds(5), "the payment and customer activations let go after their quiet period");
    }
}
