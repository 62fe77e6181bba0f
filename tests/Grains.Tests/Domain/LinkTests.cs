using System.Text.Json;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Processing;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.Domain;

/// <summary>
/// Payments and orders linked both ways, through the real dispatcher on the two-silo cluster: each provider's three
/// events in every order of arrival, refunds, disputes and failed refunds that name only the payment, repeats.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LinkTests(ClusterFixture fixture)
{
    private EventDispatcher Dispatcher => new(fixture.Client);

    public static TheoryData<string> Shapes => [.. ProviderFlow.Shapes];

    private IOrderGrain Order(ProviderFlow flow) => fixture.Client.GetGrain<IOrderGrain>($"test:{flow.Order}");

    private IPaymentGrain Payment(ProviderFlow flow) => fixture.Client.GetGrain<IPaymentGrain>($"test:{flow.Payment}");

    private ICustomerGrain Customer(ProviderFlow flow) => fixture.Client.GetGrain<ICustomerGrain>($"test:{flow.Customer}");

    private async Task DispatchAsync(params WebhookEvent[] events)
    {
        foreach (var evt in events)
        {
            await Dispatcher.DispatchAsync(evt);
        }
    }

    private async Task<string> ViewsAsync(ProviderFlow flow) => flow.Anonymise(JsonSerializer.Serialize(new object?[]
    {
        await Order(flow).GetAsync(), await Payment(flow).GetAsync(), await Customer(flow).GetAsync(),
    }));

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task ThreeEvents_EverySixOrdersOfArrival_OrderPartiallyRefunded_AndRepeatsChangeNothing(string shape)
    {
        var finals = new List<string>();
        foreach (var arrival in ProviderFlow.Permutations([0, 1, 2]))
        {
            var flow = ProviderFlow.New(shape);
            var events = flow.Three();
            await DispatchAsync([.. arrival.Select(i => events[i])]);

            var order = (await Order(flow).GetAsync())!;
            var because = $"{shape} in the order {string.Join(",", arrival)}";
            Assert.True(("partially_refunded", 80m, 30m, 80m) == (order.Status, order.PaidAmount, order.RefundedAmount, order.Total), $"{because}: {order}");
            Assert.Equal([flow.Payment], order.PaymentIds);
            var payment = (await Payment(flow).GetAsync())!;
            Assert.True(("partially_refunded", 30m, flow.Order) == (payment.Status, payment.RefundedAmount, payment.OrderId), $"{because}: {payment}");
            var views = await ViewsAsync(flow);
            finals.Add(views);

            // Every event again (a duplicate delivery, a replay): nothing changes, nothing is logged.
            var logged = await ChangeCountAsync(flow);
            await DispatchAsync([.. events]);
            Assert.Equal(views, await ViewsAsync(flow));
            Assert.Equal(logged, await ChangeCountAsync(flow));
        }

        Assert.Equal(6, finals.Count);
        Assert.All(finals, views => Assert.Equal(finals[0], views));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task AWholeFlowAtOnce_EveryEventTwice_EndsAsTheFlowOneEventAtATime(string shape)
    {
        // Order, payment, refund, a dispute opened and won: one event after another, then a second flow all at once
        // with every event delivered twice, so that its objects take events while they write.
        static WebhookEvent[] Flow(ProviderFlow flow)
        {
            var dispute = Events.NewId("dp");
            return [.. flow.Three(), flow.Dispute(dispute, null, 3, amount: 50m), flow.Dispute(dispute, DisputeOutcomes.Won, 4, amount: 50m)];
        }
        var oneByOne = ProviderFlow.New(shape);
        await DispatchAsync(Flow(oneByOne));
        var expected = await ViewsAsync(oneByOne);

        var atOnce = ProviderFlow.New(shape);
        var events = Flow(atOnce);
        await Task.WhenAll(events.Concat(events).Select(evt => Dispatcher.DispatchAsync(evt)));

        Assert.Equal(expected, await ViewsAsync(atOnce));
        var order = (await Order(atOnce).GetAsync())!;
        Assert.True(("partially_refunded", 80m, 30m) == (order.Status, order.PaidAmount, order.RefundedAmount), order.ToString());
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task PartialThenFullRefund_OrderPartiallyRefundedThenRefunded(string shape)
    {
        var flow = ProviderFlow.New(shape);
        await DispatchAsync(flow.OrderCreated(), flow.PaymentCompleted(), flow.Refund(30m, 30m));
        Assert.Equal(("partially_refunded", 30m), await OrderStatusAsync(flow));

        await DispatchAsync(flow.Refund(50m, 80m, minute: 3));

        Assert.Equal(("refunded", 80m), await OrderStatusAsync(flow));
        var payment = (await Payment(flow).GetAsync())!;
        Assert.Equal(("refunded", 80m), (payment.Status, payment.RefundedAmount));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task RefundBeforeAnythingElse_ReachesTheOrderOnceTheLinkIsKnown(string shape)
    {
        var flow = ProviderFlow.New(shape);
        var refund = flow.Refund();
        await DispatchAsync(refund);
        Assert.Equal(30m, (await Payment(flow).GetAsync())!.RefundedAmount);

        await DispatchAsync(flow.OrderCreated());
        await DispatchAsync(flow.PaymentCompleted());

        Assert.Equal(("partially_refunded", 30m), await OrderStatusAsync(flow));
        Assert.Equal(80m, (await Order(flow).GetAsync())!.PaidAmount);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task DisputeOpenedThenWon_OrderDisputedThenBackToWhatItWas_InEitherOrderOfArrival(string shape)
    {
        foreach (var wonFirst in new[] { false, true })
        {
            var flow = ProviderFlow.New(shape);
            var dispute = Events.NewId("dp");
            await DispatchAsync(flow.OrderCreated(), flow.PaymentCompleted(), flow.Refund());
            var opened = flow.Dispute(dispute, null, 3, amount: 50m);
            var won = flow.Dispute(dispute, DisputeOutcomes.Won, 4, amount: 50m);

            if (!wonFirst)
            {
                await DispatchAsync(opened);
                Assert.Equal(("disputed", 30m), await OrderStatusAsync(flow));
                var disputed = (await Payment(flow).GetAsync())!;
                Assert.Equal(("disputed", 50m), (disputed.Status, disputed.DisputedAmount));
            }
            await DispatchAsync(wonFirst ? [won, opened] : [won]);

            Assert.Equal(("partially_refunded", 30m), await OrderStatusAsync(flow));
            var payment = (await Payment(flow).GetAsync())!;
            Assert.Equal(("partially_refunded", 0m), (payment.Status, payment.DisputedAmount));
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task DisputeOpenedThenLost_PaymentChargedBack_OrderStaysDisputed(string shape)
    {
        var flow = ProviderFlow.New(shape);
        var dispute = Events.NewId("dp");
        await DispatchAsync(flow.OrderCreated(), flow.PaymentCompleted(), flow.Dispute(dispute, null, 3));
        Assert.Equal("disputed", (await Order(flow).GetAsync())!.Status);

        await DispatchAsync(flow.Dispute(dispute, DisputeOutcomes.Lost, 4));

        var payment = (await Payment(flow).GetAsync())!;
        Assert.Equal(("charged_back", 80m, flow.Order), (payment.Status, payment.DisputedAmount, payment.OrderId));
        Assert.Equal("disputed", (await Order(flow).GetAsync())!.Status);
    }

    [Fact]
    public async Task PayPalCaptureReversed_LostWithoutAnOpenedDispute_ChargedBack()
    {
        var flow = ProviderFlow.New("paypal-capture");
        await DispatchAsync(flow.PaymentCompleted(), flow.OrderCreated(), flow.Dispute(flow.Payment, DisputeOutcomes.Lost, 5));

        Assert.Equal("charged_back", (await Payment(flow).GetAsync())!.Status);
        Assert.Equal("disputed", (await Order(flow).GetAsync())!.Status);
    }

    [Fact]
    public async Task StripeRefundFailedAfterItWasReported_NoLongerCounts_InEitherOrderOfArrival()
    {
        foreach (var failureFirst in new[] { false, true })
        {
            var flow = ProviderFlow.New("stripe");
            await DispatchAsync(flow.OrderCreated(), flow.PaymentCompleted());
            var reported = flow.Refund(30m, 30m, minute: 2);
            var failed = flow.RefundFailed(Events.NewId("re"), 30m, minute: 3);

            await DispatchAsync(failureFirst ? [failed, reported] : [reported, failed]);

            Assert.Equal(("paid", 0m), await OrderStatusAsync(flow));
            Assert.Equal(("completed", 0m), ((await Payment(flow).GetAsync())!.Status, (await Payment(flow).GetAsync())!.RefundedAmount));

            // A later refund's running total no longer holds the failed one: it is what counts.
            await DispatchAsync(flow.Refund(20m, 20m, minute: 4));
            Assert.Equal(("partially_refunded", 20m), await OrderStatusAsync(flow));
        }
    }

    [Fact]
    public async Task SeedRefundFailedByItsId_NoLongerCounts()
    {
        var flow = ProviderFlow.New("seed");
        await DispatchAsync(flow.OrderCreated(), flow.PaymentCompleted());
        var refund = flow.Refund(30m);
        await DispatchAsync(refund, flow.Refund(10m, 10m, minute: 3));
        Assert.Equal(("partially_refunded", 40m), await OrderStatusAsync(flow));

        await DispatchAsync(flow.RefundFailed(refund.Details.ObjectId!, 30m, minute: 4));

        Assert.Equal(("partially_refunded", 10m), await OrderStatusAsync(flow));
    }

    /// <summary>
    /// The process stops after the payment wrote the refund and before the order did: the retry finds the payment has
    /// applied it, and still hands the order the payment's summary.
    /// </summary>
    [Fact]
    public async Task RetryAfterThePaymentAppliedARefund_StillReachesTheOrder()
    {
        var flow = ProviderFlow.New("stripe");
        await DispatchAsync(flow.OrderCreated(), flow.PaymentCompleted());
        var refund = flow.Refund();
        Assert.True((await Payment(flow).RefundAsync(refund)).Applied);
        Assert.Equal(("paid", 0m), await OrderStatusAsync(flow));

        await DispatchAsync(refund);

        Assert.Equal(("partially_refunded", 30m), await OrderStatusAsync(flow));
    }

    [Fact]
    public async Task RefundNamingOnlyThePayment_WritesTheOrdersChangeInTheLog_CausedByTheRefund()
    {
        var flow = ProviderFlow.New("paypal-capture");
        await DispatchAsync(flow.OrderCreated(), flow.PaymentCompleted());
        var refund = flow.Refund();

        await DispatchAsync(refund);

        var (view, eventType) = await LastChangeAsync("order", flow.Order, refund.Key);
        Assert.Equal(("partially_refunded", 30m), (view.GetProperty("status").GetString(), view.GetProperty("refundedAmount").GetDecimal()));
        Assert.Equal(EventTypes.RefundProcessed, eventType);
        Assert.Equal("partially_refunded", await TestDatabase.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT status FROM domain_views WHERE kind = 'order' AND object_id = @id", ("id", flow.Order)));
    }

    [Fact]
    public async Task Customer_CountsEachPaymentOnce_HowManyEventsNameIt()
    {
        var flow = ProviderFlow.New("seed");
        await DispatchAsync(flow.OrderCreated(), flow.PaymentCompleted(), flow.Refund(), flow.Refund(10m, 10m, minute: 3));
        await DispatchAsync(flow.PaymentCompleted()); // the same payment told again under another event id

        var customer = (await Customer(flow).GetAsync())!;
        Assert.Equal((1L, 1L), (customer.PaymentCount, customer.OrderCount));
        Assert.Equal([flow.Payment], customer.PaymentIds);
        Assert.Equal([flow.Order], customer.OrderIds);
    }

    /// <summary>
    /// The state of a customer with many payments (1,000 here, about 30 s; WEBHOOKS_TEST_CUSTOMER_PAYMENTS=10000 for the
    /// measurement in the README): the newest 100 ids, counts of all, and the newest applied event keys. Its stored size
    /// stays what it was after its first 300 payments: printed for the record, bounded here.
    /// </summary>
    [Fact]
    public async Task Customer_AfterManyPayments_KeepsTheNewest100_CountsAll_StateStaysBounded()
    {
        var customerId = Events.NewId("cus");
        var customer = fixture.Client.GetGrain<ICustomerGrain>($"test:{customerId}");
        var payments = int.TryParse(Environment.GetEnvironmentVariable("WEBHOOKS_TEST_CUSTOMER_PAYMENTS"), out var configured) && configured > 300 ? configured : 1_000;
        long sizeAt300 = 0;
        for (var i = 0; i < payments; i++)
        {
            var payment = $"pay_{i:D5}_{Guid.NewGuid():N}";
            var evt = Events.Stored(Events.NewId("evt"), EventTypes.PaymentCompleted,
                new EventDetails { ObjectId = payment, CustomerId = customerId, Amount = 1m, Currency = "usd", OccurredAt = Events.T0.AddSeconds(i) });
            await customer.NamedAsync(evt, countsPayment: true, countsOrder: false);
            if (i == 299)
            {
                sizeAt300 = await StoredSizeAsync(customerId);
            }
        }

        var view = (await customer.GetAsync())!;
        Assert.Equal(payments, view.PaymentCount);
        Assert.Equal(100, view.PaymentIds.Count);
        Assert.All(view.PaymentIds, id => Assert.True(string.CompareOrdinal(id, $"pay_{payments - 100:D5}") > 0, $"{id} is not among the newest 100"));
        var size = await StoredSizeAsync(customerId);
        Console.WriteLine($"customer state after {payments} payments: {size} bytes (after 300: {sizeAt300} bytes)");
        Assert.InRange(size, 1, sizeAt300 + 1024);
    }

    private Task<long> StoredSizeAsync(string customerId) => TestDatabase.ScalarAsync<long>(fixture.ConnectionString,
        "SELECT octet_length(state::text)::bigint FROM grain_state WHERE state_name = 'customer' AND grain_id = @id", ("id", $"customer/test:{customerId}"));

    private async Task<(string Status, decimal Refunded)> OrderStatusAsync(ProviderFlow flow)
    {
        var order = (await Order(flow).GetAsync())!;
        return (order.Status, order.RefundedAmount);
    }

    private Task<long> ChangeCountAsync(ProviderFlow flow) => TestDatabase.ScalarAsync<long>(fixture.ConnectionString,
        "SELECT count(*) FROM changes WHERE object_id IN (@o, @p, @c)", ("o", flow.Order), ("p", flow.Payment), ("c", flow.Customer));

    private async Task<(JsonElement View, string? EventType)> LastChangeAsync(string kind, string id, string eventKey)
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT view::text, event_type FROM changes WHERE kind = @kind AND object_id = @id AND event_key = @key ORDER BY seq DESC LIMIT 1", connection);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("key", eventKey);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no {kind} change for {id} caused by {eventKey}");
        return (JsonDocument.Parse(reader.GetString(0)).RootElement, reader.IsDBNull(1) ? null : reader.GetString(1));
    }
}
