using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Storage;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.Ingestion;

[Collection(ClusterCollection.Name)]
public sealed class EventGrainTests(ClusterFixture fixture)
{
    private IEventQueryGrain Query => fixture.Client.GetGrain<IEventQueryGrain>(0);

    [Fact]
    public async Task EventGrain_FirstDelivery_StoredThenLaterDeliveriesAreDuplicates()
    {
        var incoming = Events.Incoming(Events.NewId("evt"), EventTypes.PaymentCompleted, new EventDetails { ObjectId = Events.NewId("pay"), Amount = 10m, Currency = "usd" });
        var grain = fixture.Client.GetGrain<IEventGrain>(incoming.Key);

        Assert.Equal(AcceptOutcome.Accepted, await grain.AcceptAsync(incoming));
        Assert.Equal(AcceptOutcome.Duplicate, await grain.AcceptAsync(incoming));

        var rows = await TestDatabase.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM webhook_events WHERE provider = @p AND external_id = @x", ("p", incoming.Provider), ("x", incoming.ExternalId));
        Assert.Equal(1, rows);
        var payload = await TestDatabase.ScalarAsync<byte[]>(fixture.ConnectionString,
            "SELECT payload FROM webhook_events WHERE provider = @p AND external_id = @x", ("p", incoming.Provider), ("x", incoming.ExternalId));
        Assert.Equal(incoming.Payload, payload);
        var view = await Query.GetAsync(incoming.Provider, incoming.ExternalId);
        Assert.NotNull(view);
        Assert.Equal(2, view.Deliveries);
        Assert.Equal(EventTypes.PaymentCompleted, view.Type);
    }

    [Fact]
    public async Task EventGrain_TwentyConcurrentDeliveries_OneAcceptedNineteenDuplicatesOnePayment()
    {
        var paymentId = Events.NewId("pay");
        var incoming = Events.Incoming(Events.NewId("evt"), EventTypes.PaymentCompleted, new EventDetails { ObjectId = paymentId, Amount = 12.34m, Currency = "usd" });

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => fixture.Client.GetGrain<IEventGrain>(incoming.Key).AcceptAsync(incoming)));

        Assert.Equal(1, outcomes.Count(o => o == AcceptOutcome.Accepted));
        Assert.Equal(19, outcomes.Count(o => o == AcceptOutcome.Duplicate));
        var view = await Eventually.MatchesAsync(() => Query.GetAsync(incoming.Provider, incoming.ExternalId), v => v?.State == EventStates.Processed);
        Assert.Equal(20, view!.Deliveries);
        var payment = await fixture.Client.GetGrain<IPaymentGrain>($"test:{paymentId}").GetAsync();
        Assert.Equal(12.34m, payment!.Amount);
        Assert.Equal("completed", payment.Status);
    }

    [Fact]
    public async Task EventGrain_UnmappedType_EndsIgnored()
    {
        var incoming = Events.Incoming(Events.NewId("evt"), null, EventDetails.Empty) with { ProviderType = "invoice.paid" };

        await fixture.Client.GetGrain<IEventGrain>(incoming.Key).AcceptAsync(incoming);

        var view = await Eventually.MatchesAsync(() => Query.GetAsync(incoming.Provider, incoming.ExternalId), v => v?.State != EventStates.Received);
        Assert.Equal(EventStates.Ignored, view!.State);
        Assert.Equal("invoice.paid", view.ProviderType);
    }

    [Fact]
    public async Task EventGrain_ReplayOfUnknownEvent_ReturnsFalse() =>
        Assert.False(await fixture.Client.GetGrain<IEventGrain>($"test:{Events.NewId("never")}").ReplayAsync(null));

    [Fact]
    public async Task EventGrain_IgnoredEventReplayedWithNewMapping_IsProcessed()
    {
        var paymentId = Events.NewId("pay");
        var incoming = Events.Incoming(Events.NewId("evt"), null, new EventDetails { ObjectId = paymentId, Amount = 5m, Currency = "eur" }) with { ProviderType = "charge.succeeded" };
        var grain = fixture.Client.GetGrain<IEventGrain>(incoming.Key);
        await grain.AcceptAsync(incoming);
        await Eventually.MatchesAsync(() => Query.GetAsync(incoming.Provider, incoming.ExternalId), v => v?.State == EventStates.Ignored);

        Assert.True(await grain.ReplayAsync(EventTypes.PaymentCompleted));

        var view = await Eventually.MatchesAsync(() => Query.GetAsync(incoming.Provider, incoming.ExternalId), v => v?.State == EventStates.Processed);
        Assert.Equal(EventTypes.PaymentCompleted, view!.Type);
        Assert.Equal(5m, (await fixture.Client.GetGrain<IPaymentGrain>($"test:{paymentId}").GetAsync())!.Amount);
    }

    [Fact]
    public async Task EventQuery_ListByState_NewestFirstWithinLimit()
    {
        var provider = Events.NewId("p").Replace("_", "", StringComparison.Ordinal);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var incoming = Events.Incoming(Events.NewId("evt"), null, EventDetails.Empty, provider) with { ReceivedAt = Events.T0.AddMinutes(i) };
            ids.Add(incoming.ExternalId);
            await fixture.Client.GetGrain<IEventGrain>(incoming.Key).AcceptAsync(incoming);
        }
        await Eventually.MatchesAsync(() => Query.ListAsync(new EventQuery { State = EventStates.Ignored, Provider = provider, Limit = 10 }), page => page.Items.Count == 3);

        var listed = (await Query.ListAsync(new EventQuery { State = EventStates.Ignored, Provider = provider, Limit = 2 })).Items;

        Assert.Equal([ids[2], ids[1]], listed.Select(e => e.ExternalId));
        Assert.Empty((await Query.ListAsync(new EventQuery { State = EventStates.Failed, Provider = provider, Limit = 10 })).Items);
    }

    [Fact]
    public async Task EventGrain_ExternalIdThatCannotBeStored_ThrowsUnstorableEventExceptionAcrossTheWire()
    {
        var incoming = Events.Incoming("evt\0" + Guid.NewGuid().ToString("N"), EventTypes.PaymentCompleted, EventDetails.Empty);

        var error = await Assert.ThrowsAsync<UnstorableEventException>(() => fixture.Client.GetGrain<IEventGrain>(incoming.Key).AcceptAsync(incoming));

        Assert.Contains("22021", error.Message, StringComparison.Ordinal); // PostgreSQL's reason, in our type
        Assert.Null(error.InnerException);
    }

    [Fact]
    public async Task EventGrain_DetailsWithNul_AreStoredEscapedAndProcessed()
    {
        var customerId = Events.NewId("cus") + "\0x";
        var incoming = Events.Incoming(Events.NewId("evt"), EventTypes.CustomerUpdated, new EventDetails { ObjectId = customerId, Name = "Zo\0" + (char)0xD800, Email = "z@example.com" }) with
        {
            ProviderType = "customer\0updated",
        };

        Assert.Equal(AcceptOutcome.Accepted, await fixture.Client.GetGrain<IEventGrain>(incoming.Key).AcceptAsync(incoming));

        var view = await Eventually.MatchesAsync(() => Query.GetAsync(incoming.Provider, incoming.ExternalId), v => v?.State != EventStates.Received);
        Assert.Equal(EventStates.Processed, view!.State);
        Assert.Equal("customer\\u0000updated", view.ProviderType);
        var customer = await fixture.Client.GetGrain<ICustomerGrain>($"test:{StoredText.Clean(customerId)}").GetAsync();
        Assert.Equal("Zo\\u0000\uFFFD", customer!.Name);
        var storedName = await TestDatabase.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT view->>'name' FROM domain_views WHERE kind = 'customer' AND provider = 'test' AND object_id = @id", ("id", StoredText.Clean(customerId)));
        Assert.Equal("Zo\\u0000\uFFFD", storedName);
    }
}
