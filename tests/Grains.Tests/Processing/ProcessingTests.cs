using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.Processing;

[Collection(ClusterCollection.Name)]
public sealed class ProcessingTests(ClusterFixture fixture)
{
    private IEventQueryGrain Query => fixture.Client.GetGrain<IEventQueryGrain>(0);

    private Task<EventView?> SettledAsync(IncomingEvent incoming) =>
        Eventually.MatchesAsync(() => Query.GetAsync(incoming.Provider, incoming.ExternalId), v => v is not null && v.State != EventStates.Received);

    [Fact]
    public async Task Handler_FailsTwiceThenSucceeds_ProcessedWithThreeAttempts()
    {
        var incoming = Events.Incoming(Events.NewId("evt"), EventTypes.PaymentCompleted, new EventDetails { ObjectId = Events.NewId("pay"), Amount = 1m, Currency = "usd" });
        FaultInjectingDispatcher.FailTimes(incoming.Key, 2);

        await fixture.Client.GetGrain<IEventGrain>(incoming.Key).AcceptAsync(incoming);

        var view = await SettledAsync(incoming);
        Assert.Equal(EventStates.Processed, view!.State);
        Assert.Equal(3, view.Attempts);
        Assert.Null(view.LastError);
    }

    [Fact]
    public async Task Handler_AlwaysFails_EndsFailedWithErrorThenReplayAfterFixAppliesOnce()
    {
        var paymentId = Events.NewId("pay");
        var completed = Events.Incoming(Events.NewId("evt"), EventTypes.PaymentCompleted, new EventDetails { ObjectId = paymentId, Amount = 100m, Currency = "usd" });
        var refund = Events.Incoming(Events.NewId("evt"), EventTypes.RefundProcessed, new EventDetails { ObjectId = Events.NewId("re"), PaymentId = paymentId, Amount = 30m, Currency = "usd" });
        await fixture.Client.GetGrain<IEventGrain>(completed.Key).AcceptAsync(completed);
        Assert.Equal(EventStates.Processed, (await SettledAsync(completed))!.State);
        FaultInjectingDispatcher.FailAlways(refund.Key);

        await fixture.Client.GetGrain<IEventGrain>(refund.Key).AcceptAsync(refund);

        var failed = await SettledAsync(refund);
        Assert.Equal(EventStates.Failed, failed!.State);
        Assert.Equal(ClusterFixture.MaxAttempts, failed.Attempts);
        Assert.Contains("ERP unavailable", failed.LastError, StringComparison.Ordinal);
        Assert.Contains(failed.ExternalId, (await Query.ListAsync(new EventQuery { State = EventStates.Failed, Provider = "test", Limit = 1000 })).Items.Select(e => e.ExternalId));
        Assert.Equal(0m, (await fixture.Client.GetGrain<IPaymentGrain>($"test:{paymentId}").GetAsync())!.RefundedAmount);

        FaultInjectingDispatcher.Fix(refund.Key);
        for (var replay = 0; replay < 2; replay++)
        {
            Assert.True(await fixture.Client.GetGrain<IEventGrain>(refund.Key).ReplayAsync(null));
            var processed = await SettledAsync(refund);
            Assert.Equal(EventStates.Processed, processed!.State);
        }

        var payment = await fixture.Client.GetGrain<IPaymentGrain>($"test:{paymentId}").GetAsync();
        Assert.Equal(30m, payment!.RefundedAmount);
        Assert.Equal("partially_refunded", payment.Status);
    }

    [Fact]
    public async Task Outage_OutlastsTheRetries_EventStaysReceivedThenTheSweepProcessesIt()
    {
        var incoming = Events.Incoming(Events.NewId("evt"), EventTypes.PaymentCompleted, new EventDetails { ObjectId = Events.NewId("pay"), Amount = 3m, Currency = "usd" });
        FaultInjectingDispatcher.FailLikeAnOutage(incoming.Key);

        await fixture.Client.GetGrain<IEventGrain>(incoming.Key).AcceptAsync(incoming);

        // The run gives up after its attempts, but an outage is not the event's fault: no 'failed'.
        var deferred = await Eventually.MatchesAsync(() => Query.GetAsync(incoming.Provider, incoming.ExternalId), v => v?.Attempts >= ClusterFixture.MaxAttempts);
        Assert.Equal(EventStates.Received, deferred!.State);
        Assert.Contains("did not answer", deferred.LastError, StringComparison.Ordinal);

        FaultInjectingDispatcher.Fix(incoming.Key);

        var processed = await SettledAsync(incoming);
        Assert.Equal(EventStates.Processed, processed!.State);
        Assert.True(processed.Attempts > ClusterFixture.MaxAttempts, $"attempts {processed.Attempts}: the sweep ran it again");
        Assert.Equal(3m, (await fixture.Client.GetGrain<IPaymentGrain>($"test:{incoming.Details.ObjectId}").GetAsync())!.Amount);
    }

    [Fact]
    public async Task RecoverySweep_EventStoredButNeverPublished_IsProcessed()
    {
        // What a silo that died between commit and publish leaves behind: a committed row, still 'received'.
        var externalId = Events.NewId("evt");
        var paymentId = Events.NewId("pay");
        await TestDatabase.ExecuteAsync(fixture.ConnectionString, """
            INSERT INTO webhook_events (provider, external_id, provider_type, type, received_at, recover_at, details, payload)
            VALUES ('test', @x, 'payment.completed', 'payment.completed', now(), now() - interval '1 second', @d::jsonb, '\x7b7d')
            """, ("x", externalId), ("d", $$"""{"objectId":"{{paymentId}}","amount":42.5,"currency":"eur"}"""));

        var view = await Eventually.MatchesAsync(() => Query.GetAsync("test", externalId), v => v?.State == EventStates.Processed);

        Assert.Equal(1, view!.Attempts);
        var payment = await fixture.Client.GetGrain<IPaymentGrain>($"test:{paymentId}").GetAsync();
        Assert.Equal(42.5m, payment!.Amount);
        Assert.Equal("eur", payment.Currency);
    }

    [Fact]
    public async Task PaymentEventWithoutPaymentId_FailsAtOnceWithReason()
    {
        var incoming = Events.Incoming(Events.NewId("evt"), EventTypes.PaymentCompleted, new EventDetails { Amount = 1m });

        await fixture.Client.GetGrain<IEventGrain>(incoming.Key).AcceptAsync(incoming);

        var view = await SettledAsync(incoming);
        Assert.Equal(EventStates.Failed, view!.State);
        Assert.Equal(1, view.Attempts);
        Assert.Contains("no payment id", view.LastError, StringComparison.Ordinal);
    }
}
