using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.InMemory;

/// <summary>Ingestion, routing, processing and the domain grains on a cluster without PostgreSQL.</summary>
[Collection(InMemoryClusterCollection.Name)]
public sealed class InMemoryProcessingTests(InMemoryClusterFixture fixture)
{
    private Task<EventView?> SettledAsync(IncomingEvent incoming) => Eventually.MatchesAsync(
        () => fixture.Store.GetAsync(incoming.Provider, incoming.ExternalId), v => v is not null && v.State != EventStates.Received);

    private Task<AcceptOutcome> AcceptAsync(IncomingEvent incoming) => fixture.Client.GetGrain<IEventGrain>(incoming.Key).AcceptAsync(incoming);

    [Fact]
    public async Task PaymentNamingOrderAndCustomer_Accepted_ProcessedAndAllThreeUpdated()
    {
        var (paymentId, orderId, customerId) = (Events.NewId("pay"), Events.NewId("ord"), Events.NewId("cus"));
        var incoming = Events.Incoming(Events.NewId("evt"), EventTypes.PaymentCompleted,
            new EventDetails { ObjectId = paymentId, OrderId = orderId, CustomerId = customerId, Amount = 12.5m, Currency = "eur" });

        Assert.Equal(AcceptOutcome.Accepted, await AcceptAsync(incoming));

        var view = await SettledAsync(incoming);
        Assert.Equal((EventStates.Processed, 1), (view!.State, view.Attempts));
        var payment = await fixture.Client.GetGrain<IPaymentGrain>($"test:{paymentId}").GetAsync();
        Assert.Equal(("completed", 12.5m, orderId), (payment!.Status, payment.Amount, payment.OrderId));
        var order = await fixture.Client.GetGrain<IOrderGrain>($"test:{orderId}").GetAsync();
        Assert.Equal([paymentId], order!.PaymentIds);
        var customer = await fixture.Client.GetGrain<ICustomerGrain>($"test:{customerId}").GetAsync();
        Assert.Equal([paymentId], customer!.PaymentIds);
    }

    [Fact]
    public async Task SameDeliveryTwice_SecondCountedAsDuplicate_AppliedOnce()
    {
        var paymentId = Events.NewId("pay");
        var refund = Events.Incoming(Events.NewId("evt"), EventTypes.RefundProcessed,
            new EventDetails { ObjectId = Events.NewId("re"), PaymentId = paymentId, Amount = 2m, Currency = "usd" });
        var completed = Events.Incoming(Events.NewId("evt"), EventTypes.PaymentCompleted, new EventDetails { ObjectId = paymentId, Amount = 10m, Currency = "usd" });

        Assert.Equal(AcceptOutcome.Accepted, await AcceptAsync(refund));
        Assert.Equal(AcceptOutcome.Duplicate, await AcceptAsync(refund));
        await AcceptAsync(completed);

        var view = await SettledAsync(refund);
        await SettledAsync(completed);
        Assert.Equal((EventStates.Processed, 2, 1), (view!.State, view.Deliveries, view.Attempts));
        // The refund came before its payment and still counts once.
        var payment = await fixture.Client.GetGrain<IPaymentGrain>($"test:{paymentId}").GetAsync();
        Assert.Equal(("partially_refunded", 10m, 2m), (payment!.Status, payment.Amount, payment.RefundedAmount));
    }

    [Fact]
    public async Task StoredButNeverPublished_TheSweepProcessesItAfterRecoverAfter()
    {
        var paymentId = Events.NewId("pay");
        var incoming = Events.Incoming(Events.NewId("evt"), EventTypes.PaymentCompleted, new EventDetails { ObjectId = paymentId, Amount = 42.5m, Currency = "eur" });
        var stored = DateTimeOffset.UtcNow;

        Assert.True(await fixture.Store.InsertAsync(incoming)); // committed, but its silo died before publishing it

        var view = await SettledAsync(incoming);
        Assert.Equal((EventStates.Processed, 1), (view!.State, view.Attempts));
        Assert.True(view.ProcessedAt >= stored + InMemoryClusterFixture.RecoverAfter, $"processed at {view.ProcessedAt:O}, stored at {stored:O}: only the sweep runs it");
        Assert.Equal(42.5m, (await fixture.Client.GetGrain<IPaymentGrain>($"test:{paymentId}").GetAsync())!.Amount);
    }

    [Fact]
    public async Task PaymentEventWithoutPaymentId_FailsAtOnceWithReason()
    {
        var incoming = Events.Incoming(Events.NewId("evt"), EventTypes.PaymentCompleted, new EventDetails { Amount = 1m });

        await AcceptAsync(incoming);

        var view = await SettledAsync(incoming);
        Assert.Equal((EventStates.Failed, 1), (view!.State, view.Attempts));
        Assert.Contains("no payment id", view.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_RunsAgain_EffectAppliedOnce()
    {
        var paymentId = Events.NewId("pay");
        var incoming = Events.Incoming(Events.NewId("evt"), EventTypes.PaymentCompleted, new EventDetails { ObjectId = paymentId, Amount = 7m, Currency = "usd" });
        await AcceptAsync(incoming);
        await SettledAsync(incoming);

        Assert.True(await fixture.Client.GetGrain<IEventGrain>(incoming.Key).ReplayAsync(null));

        var view = await Eventually.MatchesAsync(() => fixture.Store.GetAsync(incoming.Provider, incoming.ExternalId), v => v?.Attempts == 2);
        Assert.Equal(EventStates.Processed, view!.State);
        Assert.Equal(7m, (await fixture.Client.GetGrain<IPaymentGrain>($"test:{paymentId}").GetAsync())!.Amount);
    }
}
