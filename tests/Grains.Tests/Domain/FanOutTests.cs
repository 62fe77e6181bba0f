using System.Text.Json;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Processing;
using Orleans.Webhooks.Testing;

namespace Orleans.Webhooks.Grains.Tests.Domain;

/// <summary>An event applied to every object it names, through the real dispatcher, with the change log it writes.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FanOutTests(ClusterFixture fixture)
{
    private EventDispatcher Dispatcher => new(fixture.Client);

    private T Grain<T>(string id) where T : IGrainWithStringKey => fixture.Client.GetGrain<T>($"test:{id}");

    private static WebhookEvent Event(string type, EventDetails details, int minute) =>
        Events.Stored(Events.NewId("evt"), type, details with { OccurredAt = Events.T0.AddMinutes(minute) }, receivedAt: Events.T0.AddMinutes(minute));

    private static WebhookEvent OrderCreated(string order, string customer, decimal total = 80m) =>
        Event(EventTypes.OrderCreated, new EventDetails { ObjectId = order, CustomerId = customer, Amount = total, Currency = "eur" }, 0);

    private static WebhookEvent PaymentCompleted(string payment, string order, string customer, decimal amount = 80m) =>
        Event(EventTypes.PaymentCompleted, new EventDetails { ObjectId = payment, OrderId = order, CustomerId = customer, Amount = amount, Currency = "eur" }, 1);

    private static WebhookEvent Refund(string payment, string order, string customer, decimal amount, int minute = 2) =>
        Event(EventTypes.RefundProcessed, new EventDetails { ObjectId = Events.NewId("re"), PaymentId = payment, OrderId = order, CustomerId = customer, Amount = amount, Currency = "eur" }, minute);

    [Fact]
    public async Task PaymentNamingOrderAndCustomer_ChangesAllThree_AndEachChangeIsLoggedOnce()
    {
        var (order, payment, customer) = (Events.NewId("ord"), Events.NewId("pay"), Events.NewId("cus"));
        await Dispatcher.DispatchAsync(OrderCreated(order, customer));
        var completed = PaymentCompleted(payment, order, customer);

        Assert.Equal(DispatchResult.Processed, await Dispatcher.DispatchAsync(completed));
        await Dispatcher.DispatchAsync(completed); // a second run of the same event changes nothing

        var paid = (await Grain<IOrderGrain>(order).GetAsync())!;
        Assert.Equal(("paid", 80m, 0m), (paid.Status, paid.PaidAmount, paid.RefundedAmount));
        Assert.Equal([payment], paid.PaymentIds);
        Assert.Equal(("completed", order), ((await Grain<IPaymentGrain>(payment).GetAsync())!.Status, (await Grain<IPaymentGrain>(payment).GetAsync())!.OrderId));
        var named = (await Grain<ICustomerGrain>(customer).GetAsync())!;
        Assert.Equal([payment], named.PaymentIds);
        Assert.Equal([order], named.OrderIds);
        Assert.Equal(Events.T0.AddMinutes(1), named.LastActivityAt);

        // Per object, one change per event that changed its view, in commit order, with the view as the API shows it.
        var orderChanges = await ChangesAsync("order", order);
        Assert.Equal(["created", "paid"], orderChanges.Select(c => c.View.GetProperty("status").GetString()));
        Assert.Equal(completed.Key, orderChanges[1].EventKey);
        Assert.Single(await ChangesAsync("payment", payment));
        Assert.Equal(2, (await ChangesAsync("customer", customer)).Count);
        Assert.Equal("paid", await TestDatabase.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT status FROM domain_views WHERE kind = 'order' AND object_id = @id", ("id", order)));
    }

    /// <summary>
    /// Another event with the same facts (a provider's second notification of one payment, under another id) applies but
    /// changes no view: nothing is logged, whether the stored state has the hash of its view or, in format 1, has none
    /// and the view as it was is serialised to compare.
    /// </summary>
    [Fact]
    public async Task SameFactsUnderAnotherEventId_AppliedButNothingLogged_WithOrWithoutAStoredViewHash()
    {
        var (order, payment, customer) = (Events.NewId("ord"), Events.NewId("pay"), Events.NewId("cus"));
        await Dispatcher.DispatchAsync(PaymentCompleted(payment, order, customer));
        Assert.True(await TestDatabase.ScalarAsync<bool>(fixture.ConnectionString,
            "SELECT bool_and(state ? 'viewHash') FROM grain_state WHERE grain_id IN (@p, @c)", ("p", $"payment/test:{payment}"), ("c", $"customer/test:{customer}")));

        Assert.Equal(DispatchResult.Processed, await Dispatcher.DispatchAsync(PaymentCompleted(payment, order, customer)));
        Assert.Single(await ChangesAsync("payment", payment));
        Assert.Single(await ChangesAsync("customer", customer));

        await TestDatabase.ExecuteAsync(fixture.ConnectionString,
            "UPDATE grain_state SET state = state - 'viewHash' WHERE grain_id IN (@p, @c)", ("p", $"payment/test:{payment}"), ("c", $"customer/test:{customer}"));
        await Grain<IPaymentGrain>(payment).GetAsync(); // reads the stored state again
        await Grain<ICustomerGrain>(customer).GetAsync();
        Assert.Equal(DispatchResult.Processed, await Dispatcher.DispatchAsync(PaymentCompleted(payment, order, customer)));
        Assert.Single(await ChangesAsync("payment", payment));
        Assert.Single(await ChangesAsync("customer", customer));

        // A real change still is one.
        await Dispatcher.DispatchAsync(Refund(payment, order, customer, 10m));
        Assert.Equal(2, (await ChangesAsync("payment", payment)).Count);
    }

    [Fact]
    public async Task Refunds_MoveTheOrderToPartiallyRefundedThenRefunded()
    {
        var (order, payment, customer) = (Events.NewId("ord"), Events.NewId("pay"), Events.NewId("cus"));
        await Dispatcher.DispatchAsync(OrderCreated(order, customer, 100m));
        await Dispatcher.DispatchAsync(PaymentCompleted(payment, order, customer, 100m));

        await Dispatcher.DispatchAsync(Refund(payment, order, customer, 40m));
        var partial = (await Grain<IOrderGrain>(order).GetAsync())!;
        Assert.Equal(("partially_refunded", 40m), (partial.Status, partial.RefundedAmount));

        await Dispatcher.DispatchAsync(Refund(payment, order, customer, 60m, minute: 3));
        var refunded = (await Grain<IOrderGrain>(order).GetAsync())!;
        Assert.Equal(("refunded", 100m, 100m), (refunded.Status, refunded.PaidAmount, refunded.RefundedAmount));
        Assert.Equal("refunded", (await Grain<IPaymentGrain>(payment).GetAsync())!.Status);
    }

    [Fact]
    public async Task CancelledOrder_IsCancelledWhateverCameBefore()
    {
        var (order, payment, customer) = (Events.NewId("ord"), Events.NewId("pay"), Events.NewId("cus"));
        await Dispatcher.DispatchAsync(Event(EventTypes.OrderCancelled, new EventDetails { ObjectId = order, CustomerId = customer }, 5));
        await Dispatcher.DispatchAsync(OrderCreated(order, customer));
        await Dispatcher.DispatchAsync(PaymentCompleted(payment, order, customer));

        Assert.Equal("cancelled", (await Grain<IOrderGrain>(order).GetAsync())!.Status);
    }

    [Fact]
    public async Task EveryOrderOfCreatedPaidRefunded_EndsInTheSameThreeViews()
    {
        string[][] orders = [[ "c", "p", "r" ], [ "c", "r", "p" ], [ "p", "c", "r" ], [ "p", "r", "c" ], [ "r", "c", "p" ], [ "r", "p", "c" ]];
        var results = new List<string>();
        foreach (var sequence in orders)
        {
            var (order, payment, customer) = (Events.NewId("ord"), Events.NewId("pay"), Events.NewId("cus"));
            var events = new Dictionary<string, WebhookEvent>
            {
                ["c"] = OrderCreated(order, customer, 80m),
                ["p"] = PaymentCompleted(payment, order, customer, 80m),
                ["r"] = Refund(payment, order, customer, 30m),
            };
            foreach (var step in sequence)
            {
                await Dispatcher.DispatchAsync(events[step]);
            }
            var views = JsonSerializer.Serialize(new object?[]
            {
                await Grain<IOrderGrain>(order).GetAsync(),
                await Grain<IPaymentGrain>(payment).GetAsync(),
                await Grain<ICustomerGrain>(customer).GetAsync(),
            });
            results.Add(views.Replace(order, "ORDER", StringComparison.Ordinal).Replace(payment, "PAYMENT", StringComparison.Ordinal).Replace(customer, "CUSTOMER", StringComparison.Ordinal));
        }

        Assert.All(results, views => Assert.Equal(results[0], views));
        Assert.Contains("\"Status\":\"partially_refunded\"", results[0], StringComparison.Ordinal);
        Assert.Contains("\"PaidAmount\":80", results[0], StringComparison.Ordinal);
    }

    private async Task<List<(long Seq, JsonElement View, string EventKey)>> ChangesAsync(string kind, string id)
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT seq, view::text, event_key FROM changes WHERE kind = @kind AND object_id = @id ORDER BY seq", connection);
        command.Parameters.AddWithValue("kind", kind);
        command.Parameters.AddWithValue("id", id);
        var changes = new List<(long, JsonElement, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            changes.Add((reader.GetInt64(0), JsonDocument.Parse(reader.GetString(1)).RootElement, reader.GetString(2)));
        }
        return changes;
    }
}
