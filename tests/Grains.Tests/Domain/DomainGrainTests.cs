using Orleans.Runtime;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.Domain;

/// <summary>The handlers, applied straight to domain grains whose state lives in PostgreSQL.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DomainGrainTests(ClusterFixture fixture)
{
    private IPaymentGrain Payment(string id) => fixture.Client.GetGrain<IPaymentGrain>($"test:{id}");

    private static WebhookEvent Completed(string paymentId, decimal amount, string currency, int minute, string? customer = "cus_1") =>
        Events.Stored(Events.NewId("evt"), EventTypes.PaymentCompleted,
            new EventDetails { ObjectId = paymentId, Amount = amount, Currency = currency, CustomerId = customer, OccurredAt = Events.T0.AddMinutes(minute) });

    private static WebhookEvent Failed(string paymentId, int minute) =>
        Events.Stored(Events.NewId("evt"), EventTypes.PaymentFailed, new EventDetails { ObjectId = paymentId, OccurredAt = Events.T0.AddMinutes(minute) });

    private static WebhookEvent Refund(string paymentId, decimal amount, int minute, bool total = false) =>
        Events.Stored(Events.NewId("evt"), EventTypes.RefundProcessed,
            new EventDetails { ObjectId = Events.NewId("re"), PaymentId = paymentId, Amount = amount, AmountIsTotal = total, Currency = "usd", OccurredAt = Events.T0.AddMinutes(minute) });

    [Fact]
    public async Task PaymentCompleted_CreatesPayment()
    {
        var id = Events.NewId("pay");

        Assert.True(await Payment(id).ApplyAsync(Completed(id, 12.34m, "usd", 0)));

        var view = await Payment(id).GetAsync();
        Assert.Equal(("completed", 12.34m, "usd", 0m, "cus_1"), (view!.Status, view.Amount, view.Currency, view.RefundedAmount, view.CustomerId));
        Assert.Equal(Events.T0, view.UpdatedAt);
        // The state is a row in PostgreSQL, stored as plain JSON without .NET type names.
        var json = await TestDatabase.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT state::text FROM grain_state WHERE state_name = 'payment' AND grain_id LIKE @k", ("k", $"%{id}"));
        Assert.Contains("12.34", json, StringComparison.Ordinal);
        Assert.DoesNotContain("$type", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppliedEvent_ActivationLetGoWithinSeconds_StateReadBackFromStorage()
    {
        var id = Events.NewId("pay");
        var payment = Payment(id);
        var grainId = payment.GetGrainId();
        var management = fixture.Client.GetGrain<IManagementGrain>(0);

        Assert.True(await payment.ApplyAsync(Completed(id, 5m, "usd", 0)));

        // Well before the 30 s idle limit: released 200-400 ms after its last event.
        await Eventually.MatchesAsync(() => management.GetActiveGrains(grainId.Type).AsTask(), active => !active.Contains(grainId),
            TimeSpan.FromSeconds(10), "the payment grain's activation to be released");
        Assert.Equal(5m, (await payment.GetAsync())!.Amount);
    }

    [Fact]
    public async Task SameEventTwice_AppliedOnce()
    {
        var id = Events.NewId("pay");
        var refund = Refund(id, 10m, 1);
        await Payment(id).ApplyAsync(Completed(id, 100m, "usd", 0));

        Assert.True(await Payment(id).ApplyAsync(refund));
        Assert.False(await Payment(id).ApplyAsync(refund));

        Assert.Equal(10m, (await Payment(id).GetAsync())!.RefundedAmount);
    }

    [Fact]
    public async Task PartialRefunds_AddUpAndNeverExceedThePayment()
    {
        var id = Events.NewId("pay");
        await Payment(id).ApplyAsync(Completed(id, 100m, "usd", 0));
        await Payment(id).ApplyAsync(Refund(id, 30m, 1));
        await Payment(id).ApplyAsync(Refund(id, 20m, 2));

        var partial = await Payment(id).GetAsync();
        Assert.Equal(("partially_refunded", 50m), (partial!.Status, partial.RefundedAmount));

        await Payment(id).ApplyAsync(Refund(id, 80m, 3));
        var full = await Payment(id).GetAsync();
        Assert.Equal(("refunded", 100m), (full!.Status, full.RefundedAmount));
    }

    [Fact]
    public async Task RefundRunningTotals_OutOfOrder_TakeTheHighest()
    {
        var id = Events.NewId("pay");
        await Payment(id).ApplyAsync(Completed(id, 100m, "usd", 0));
        await Payment(id).ApplyAsync(Refund(id, 50m, 2, total: true));
        await Payment(id).ApplyAsync(Refund(id, 30m, 1, total: true));

        Assert.Equal(50m, (await Payment(id).GetAsync())!.RefundedAmount);
    }

    [Fact]
    public async Task PaymentFailed_MarksFailedUnlessALaterCompletionExists()
    {
        var failedOnly = Events.NewId("pay");
        await Payment(failedOnly).ApplyAsync(Failed(failedOnly, 0));
        Assert.Equal("failed", (await Payment(failedOnly).GetAsync())!.Status);

        var retried = Events.NewId("pay");
        await Payment(retried).ApplyAsync(Completed(retried, 5m, "usd", 2));
        await Payment(retried).ApplyAsync(Failed(retried, 1)); // an older failure arriving late
        Assert.Equal("completed", (await Payment(retried).GetAsync())!.Status);
    }

    [Fact]
    public async Task PaymentEvents_EveryArrivalOrder_SameFinalState()
    {
        var template = "pay_template";
        WebhookEvent[] events =
        [
            Failed(template, 0),
            Completed(template, 100m, "usd", 1),
            Refund(template, 30m, 2),
            Refund(template, 20m, 3),
        ];
        var finals = new List<PaymentView>();
        foreach (var order in Permutations(Enumerable.Range(0, events.Length).ToArray()))
        {
            var id = Events.NewId("pay");
            foreach (var index in order)
            {
                var evt = events[index];
                // Same events (same keys) aimed at this permutation's own payment grain.
                var retargeted = evt with { Details = evt.Details with { ObjectId = evt.Type == EventTypes.RefundProcessed ? evt.Details.ObjectId : id, PaymentId = evt.Details.PaymentId is null ? null : id } };
                await Payment(id).ApplyAsync(retargeted);
            }
            finals.Add((await Payment(id).GetAsync())! with { Id = "" });
        }

        Assert.Equal(24, finals.Count);
        Assert.All(finals, final => Assert.Equal(finals[0], final));
        Assert.Equal(("partially_refunded", 100m, 50m), (finals[0].Status, finals[0].Amount, finals[0].RefundedAmount));
    }

    [Fact]
    public async Task RefundBeforePayment_CompletedLaterWithRefundApplied()
    {
        var id = Events.NewId("pay");
        await Payment(id).ApplyAsync(Refund(id, 25m, 2));
        await Payment(id).ApplyAsync(Completed(id, 25m, "usd", 1));

        var view = await Payment(id).GetAsync();
        Assert.Equal(("refunded", 25m, 25m), (view!.Status, view.Amount, view.RefundedAmount));
    }

    [Fact]
    public async Task OrderCreated_CreatesOrder()
    {
        var id = Events.NewId("ord");
        var grain = fixture.Client.GetGrain<IOrderGrain>($"test:{id}");
        Assert.Null(await grain.GetAsync());

        await grain.ApplyAsync(Events.Stored(Events.NewId("evt"), EventTypes.OrderCreated,
            new EventDetails { ObjectId = id, Amount = 199.00m, Currency = "USD", CustomerId = "cus_9", OccurredAt = Events.T0 }));

        var view = await grain.GetAsync();
        Assert.Equal(("created", 199.00m, "USD", "cus_9", Events.T0), (view!.Status, view.Total, view.Currency, view.CustomerId, view.CreatedAt));
    }

    [Fact]
    public async Task CustomerUpdated_OlderUpdateArrivingLate_DoesNotOverwrite()
    {
        var id = Events.NewId("cus");
        var grain = fixture.Client.GetGrain<ICustomerGrain>($"test:{id}");
        await grain.ApplyAsync(Events.Stored(Events.NewId("evt"), EventTypes.CustomerUpdated, new EventDetails { ObjectId = id, Email = "new@example.com", Name = "New", OccurredAt = Events.T0.AddMinutes(5) }));
        await grain.ApplyAsync(Events.Stored(Events.NewId("evt"), EventTypes.CustomerUpdated, new EventDetails { ObjectId = id, Email = "old@example.com", Name = "Old", OccurredAt = Events.T0 }));

        var view = await grain.GetAsync();
        Assert.Equal(("new@example.com", "New", Events.T0.AddMinutes(5)), (view!.Email, view.Name, view.UpdatedAt));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CustomerUpdated_TwoEventsOfOneSecond_TheOneReceivedLaterWins_InEitherProcessingOrder(bool laterFirst)
    {
        // Stripe's customer.created and customer.updated of one second: the same event time, told apart by receipt.
        var id = Events.NewId("cus");
        var grain = fixture.Client.GetGrain<ICustomerGrain>($"test:{id}");
        // Keys chosen so that the ordinal tie-break alone would pick the earlier one.
        var earlier = Events.Stored("evt_b", EventTypes.CustomerUpdated, new EventDetails { ObjectId = id, Email = "first@example.com", Name = "First", OccurredAt = Events.T0 }, receivedAt: Events.T0.AddMilliseconds(100));
        var later = Events.Stored("evt_a", EventTypes.CustomerUpdated, new EventDetails { ObjectId = id, Email = "second@example.com", Name = "Second", OccurredAt = Events.T0 }, receivedAt: Events.T0.AddMilliseconds(300));

        foreach (var evt in laterFirst ? new[] { later, earlier } : [earlier, later])
        {
            Assert.True(await grain.ApplyAsync(evt));
        }

        var view = await grain.GetAsync();
        Assert.Equal(("second@example.com", "Second"), (view!.Email, view.Name));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PaymentCompletedAndFailed_OfOneSecond_Completed_InEitherOrder(bool failedReceivedLater)
    {
        var id = Events.NewId("pay");
        var received = Events.T0.AddMilliseconds(500);
        var completed = Events.Stored(Events.NewId("evt"), EventTypes.PaymentCompleted,
            new EventDetails { ObjectId = id, Amount = 20m, Currency = "usd", OccurredAt = Events.T0 }, receivedAt: failedReceivedLater ? received : received.AddMilliseconds(200));
        var failed = Events.Stored(Events.NewId("evt"), EventTypes.PaymentFailed,
            new EventDetails { ObjectId = id, OccurredAt = Events.T0 }, receivedAt: failedReceivedLater ? received.AddMilliseconds(200) : received);

        await Payment(id).ApplyAsync(failed);
        await Payment(id).ApplyAsync(completed);

        Assert.Equal("completed", (await Payment(id).GetAsync())!.Status);
    }

    [Fact]
    public async Task RefundOfUnknownAmount_OnlyEventOfAPayment_StatusIsOneOfTheContractsValues()
    {
        var id = Events.NewId("pay");
        await Payment(id).ApplyAsync(Events.Stored(Events.NewId("evt"), EventTypes.RefundProcessed,
            new EventDetails { ObjectId = Events.NewId("re"), PaymentId = id, Currency = "usd", OccurredAt = Events.T0 }));

        var view = await Payment(id).GetAsync();
        Assert.Equal(("completed", 0m, null), (view!.Status, view.RefundedAmount, view.Amount));
    }

    [Fact]
    public async Task CustomerUpdated_NameAndEmailBeyondAscii_StoredAndReadBackAsSent()
    {
        var id = Events.NewId("cus");
        var grain = fixture.Client.GetGrain<ICustomerGrain>($"test:{id}");
        await grain.ApplyAsync(Events.Stored(Events.NewId("evt"), EventTypes.CustomerUpdated,
            new EventDetails { ObjectId = id, Email = "zoë@example.com", Name = "José Müller-Åström 李 🙂", OccurredAt = Events.T0 }));

        var stored = await TestDatabase.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT state->'name'->>'value' FROM grain_state WHERE state_name = 'customer' AND grain_id LIKE @k", ("k", $"%{id}"));
        Assert.Equal("José Müller-Åström 李 🙂", stored);
        Assert.Equal("zoë@example.com", (await grain.GetAsync())!.Email);
    }

    private static IEnumerable<int[]> Permutations(int[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations([.. items[..i], .. items[(i + 1)..]]).Select(rest => (int[])[item, .. rest]));
}
