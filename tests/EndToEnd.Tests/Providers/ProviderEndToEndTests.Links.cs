using System.Text.Json;
using Orleans.Webhooks.Testing;
using static Orleans.Webhooks.EndToEnd.Tests.Providers.LinkPayloads;
using static Orleans.Webhooks.EndToEnd.Tests.Providers.ProviderPayloads;

namespace Orleans.Webhooks.EndToEnd.Tests.Providers;

/// <summary>
/// Each provider's real flow (order or checkout, payment, refund) through the web API, with the refund naming only its
/// payment and arriving first, so that the order learns it through the link; disputes and failed refunds; and the
/// order's change in the change log, which the push sends.
/// </summary>
public sealed partial class ProviderEndToEndTests
{
    /// <summary>Sends a delivery and waits until it is processed, so the next one arrives after it.</summary>
    private async Task DeliverAsync(HttpRequestMessage request, string provider, string externalId)
    {
        await AcceptedAsync(request, provider, externalId);
        await ProcessedEventAsync(provider, externalId);
    }

    private async Task<(string? Status, decimal Paid, decimal Refunded)> OrderAmountsAsync(string provider, string id)
    {
        var order = await OrderAsync(provider, id);
        return (Text(order, "status"), Decimal(order, "paidAmount"), Decimal(order, "refundedAmount"));
    }

    /// <summary>The order's change caused by the event, as the change log (and so the push) carries it.</summary>
    private async Task<JsonElement> OrderChangeCausedByAsync(string provider, string orderId, string externalId)
    {
        var view = await TestDatabase.ScalarAsync<string>(Service.ConnectionString,
            "SELECT view::text FROM changes WHERE kind = 'order' AND provider = @p AND object_id = @id AND event_key = @key ORDER BY seq DESC LIMIT 1",
            ("p", provider), ("id", orderId), ("key", $"{provider}:{externalId}"));
        return JsonDocument.Parse(view).RootElement;
    }

    private static IReadOnlyList<string?> Ids(JsonElement? list) =>
        [.. list!.Value.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString())];

    [Fact]
    public async Task Stripe_RefundThenPaymentThenCheckout_OrderPartiallyRefunded_ListedUnderItsCustomer()
    {
        var (session, intent, customer) = (NewId("cs_test"), NewId("pi"), NewId("cus"));
        var (checkout, paid, refunded) = (NewId("evt"), NewId("evt"), NewId("evt"));
        var now = DateTimeOffset.UtcNow;

        // charge.refunded names only the payment intent; the checkout session that links it to the order comes last.
        await DeliverAsync(ProviderSigning.Stripe(StripeChargeRefunded(refunded, NewId("ch"), intent, 2000, 500, "usd", customer, now.AddMinutes(-1)),
            ProviderFixture.StripeSecret), "stripe", refunded);
        await DeliverAsync(ProviderSigning.Stripe(StripePaymentIntent(paid, "payment_intent.succeeded", intent, 2000, "usd", customer, at: now.AddMinutes(-2)),
            ProviderFixture.StripeSecret), "stripe", paid);
        await DeliverAsync(ProviderSigning.Stripe(StripeCheckoutSessionCompleted(checkout, session, 2000, "usd", customer, "jenny.rosen@example.com", intent, now.AddMinutes(-3)),
            ProviderFixture.StripeSecret), "stripe", checkout);

        Assert.Equal(("partially_refunded", 20.00m, 5.00m), await OrderAmountsAsync("stripe", session));
        Assert.Equal(session, Text(await PaymentAsync("stripe", intent), "orderId"));
        Assert.Equal([intent], Ids(await Service.GetJsonAsync($"/api/payments?customer={customer}")));
        Assert.Equal([session], Ids(await Service.GetJsonAsync($"/api/orders?customer={customer}")));
        var listed = (await CustomerAsync("stripe", customer));
        Assert.Equal((1, 1), (listed.GetProperty("paymentCount").GetInt32(), listed.GetProperty("orderCount").GetInt32()));
    }

    [Fact]
    public async Task Stripe_CheckoutPaymentThenPartialAndFullRefund_OrderRefunded_TheRefundsChangeInTheLog()
    {
        var (session, intent, customer, charge) = (NewId("cs_test"), NewId("pi"), NewId("cus"), NewId("ch"));
        var (checkout, paid, partial, full) = (NewId("evt"), NewId("evt"), NewId("evt"), NewId("evt"));
        var now = DateTimeOffset.UtcNow;

        await DeliverAsync(ProviderSigning.Stripe(StripeCheckoutSessionCompleted(checkout, session, 2000, "usd", customer, "jenny.rosen@example.com", intent, now.AddMinutes(-4)),
            ProviderFixture.StripeSecret), "stripe", checkout);
        await DeliverAsync(ProviderSigning.Stripe(StripePaymentIntent(paid, "payment_intent.succeeded", intent, 2000, "usd", customer, at: now.AddMinutes(-3)),
            ProviderFixture.StripeSecret), "stripe", paid);
        await DeliverAsync(ProviderSigning.Stripe(StripeChargeRefunded(partial, charge, intent, 2000, 500, "usd", customer, now.AddMinutes(-2)),
            ProviderFixture.StripeSecret), "stripe", partial);
        Assert.Equal(("partially_refunded", 20.00m, 5.00m), await OrderAmountsAsync("stripe", session));

        await DeliverAsync(ProviderSigning.Stripe(StripeChargeRefunded(full, charge, intent, 2000, 2000, "usd", customer, now.AddMinutes(-1)),
            ProviderFixture.StripeSecret), "stripe", full);

        Assert.Equal(("refunded", 20.00m, 20.00m), await OrderAmountsAsync("stripe", session));
        var change = await OrderChangeCausedByAsync("stripe", session, full);
        Assert.Equal(("refunded", 20.00m), (Text(change, "status"), Decimal(change, "refundedAmount")));
    }

    [Fact]
    public async Task Stripe_DisputeCreatedThenWon_OrderDisputedThenPaidAgain_ThenLostOnAnother_ChargedBack()
    {
        var (session, intent, customer, charge, dispute) = (NewId("cs_test"), NewId("pi"), NewId("cus"), NewId("ch"), NewId("dp"));
        var (checkout, paid, opened, won) = (NewId("evt"), NewId("evt"), NewId("evt"), NewId("evt"));
        var now = DateTimeOffset.UtcNow;
        await DeliverAsync(ProviderSigning.Stripe(StripeCheckoutSessionCompleted(checkout, session, 2000, "usd", customer, "jenny.rosen@example.com", intent, now.AddMinutes(-5)),
            ProviderFixture.StripeSecret), "stripe", checkout);
        await DeliverAsync(ProviderSigning.Stripe(StripePaymentIntent(paid, "payment_intent.succeeded", intent, 2000, "usd", customer, at: now.AddMinutes(-4)),
            ProviderFixture.StripeSecret), "stripe", paid);

        await DeliverAsync(ProviderSigning.Stripe(StripeDispute(opened, "charge.dispute.created", dispute, charge, intent, 2000, "usd", "needs_response", now.AddMinutes(-3)),
            ProviderFixture.StripeSecret), "stripe", opened);
        Assert.Equal("disputed", (await OrderAmountsAsync("stripe", session)).Status);
        var disputed = await PaymentAsync("stripe", intent);
        Assert.Equal(("disputed", 20.00m), (Text(disputed, "status"), Decimal(disputed, "disputedAmount")));

        await DeliverAsync(ProviderSigning.Stripe(StripeDispute(won, "charge.dispute.closed", dispute, charge, intent, 2000, "usd", "won", now.AddMinutes(-2)),
            ProviderFixture.StripeSecret), "stripe", won);
        Assert.Equal(("paid", 20.00m, 0m), await OrderAmountsAsync("stripe", session));
        Assert.Equal(("completed", 0m), (Text(await PaymentAsync("stripe", intent), "status"), Decimal(await PaymentAsync("stripe", intent), "disputedAmount")));

        var (second, lost) = (NewId("dp"), NewId("evt"));
        await DeliverAsync(ProviderSigning.Stripe(StripeDispute(lost, "charge.dispute.closed", second, charge, intent, 1500, "usd", "lost", now.AddMinutes(-1)),
            ProviderFixture.StripeSecret), "stripe", lost);
        var chargedBack = await PaymentAsync("stripe", intent);
        Assert.Equal(("charged_back", 15.00m), (Text(chargedBack, "status"), Decimal(chargedBack, "disputedAmount")));
        Assert.Equal("disputed", (await OrderAmountsAsync("stripe", session)).Status);
    }

    [Fact]
    public async Task Stripe_RefundFailedAfterItWasReported_NoLongerCounts_AnUpdateToSucceededIsIgnored()
    {
        var (session, intent, customer, charge, refund) = (NewId("cs_test"), NewId("pi"), NewId("cus"), NewId("ch"), NewId("re"));
        var (checkout, paid, refunded, succeeded, failed) = (NewId("evt"), NewId("evt"), NewId("evt"), NewId("evt"), NewId("evt"));
        var now = DateTimeOffset.UtcNow;
        await DeliverAsync(ProviderSigning.Stripe(StripeCheckoutSessionCompleted(checkout, session, 2000, "usd", customer, "jenny.rosen@example.com", intent, now.AddMinutes(-5)),
            ProviderFixture.StripeSecret), "stripe", checkout);
        await DeliverAsync(ProviderSigning.Stripe(StripePaymentIntent(paid, "payment_intent.succeeded", intent, 2000, "usd", customer, at: now.AddMinutes(-4)),
            ProviderFixture.StripeSecret), "stripe", paid);
        await DeliverAsync(ProviderSigning.Stripe(StripeChargeRefunded(refunded, charge, intent, 2000, 700, "usd", customer, now.AddMinutes(-3)),
            ProviderFixture.StripeSecret), "stripe", refunded);
        Assert.Equal(("partially_refunded", 20.00m, 7.00m), await OrderAmountsAsync("stripe", session));

        await AcceptedAsync(ProviderSigning.Stripe(StripeRefundUpdated(succeeded, "refund.updated", refund, charge, intent, 700, "usd", "succeeded", now.AddMinutes(-2)),
            ProviderFixture.StripeSecret), "stripe", succeeded);
        Assert.Equal("ignored", Text(await FinishedEventAsync("stripe", succeeded), "state"));
        await DeliverAsync(ProviderSigning.Stripe(StripeRefundUpdated(failed, "charge.refund.updated", refund, charge, intent, 700, "usd", "failed", now.AddMinutes(-1)),
            ProviderFixture.StripeSecret), "stripe", failed);

        Assert.Equal("refund.failed", Text(await ProcessedEventAsync("stripe", failed), "type"));
        Assert.Equal(("paid", 20.00m, 0m), await OrderAmountsAsync("stripe", session));
        Assert.Equal(("completed", 0m), (Text(await PaymentAsync("stripe", intent), "status"), Decimal(await PaymentAsync("stripe", intent), "refundedAmount")));
    }

    [Fact]
    public async Task Shopify_RefundThenPaidThenCreated_OrderPartiallyRefunded_ThenDisputeLost_ChargedBack()
    {
        var (orderId, customerId) = (NewNumericId(), NewNumericId());
        var order = Id(orderId);
        var (created, paid, refunded, opened, lost) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var refund = ShopifyRefund(NewNumericId(), orderId, "100.00", "USD", ShopifyRefundTransaction(orderId, "100.00", "USD", "shopify_payments"));

        await DeliverAsync(ProviderSigning.Shopify(refund, ProviderFixture.ShopifySecret, "refunds/create", refunded), "shopify", refunded);
        await DeliverAsync(ProviderSigning.Shopify(ShopifyOrder(orderId, "403.00", "USD", customerId, "jon@example.com", "paid"),
            ProviderFixture.ShopifySecret, "orders/paid", paid), "shopify", paid);
        await DeliverAsync(ProviderSigning.Shopify(ShopifyOrder(orderId, "403.00", "USD", customerId, "jon@example.com", "pending"),
            ProviderFixture.ShopifySecret, "orders/create", created), "shopify", created);
        Assert.Equal(("partially_refunded", 403.00m, 100.00m), await OrderAmountsAsync("shopify", order));

        var dispute = NewNumericId();
        await DeliverAsync(ProviderSigning.Shopify(ShopifyDispute(dispute, orderId, "303.00", "USD", "needs_response"),
            ProviderFixture.ShopifySecret, "disputes/create", opened), "shopify", opened);
        Assert.Equal("disputed", (await OrderAmountsAsync("shopify", order)).Status);
        await DeliverAsync(ProviderSigning.Shopify(ShopifyDispute(dispute, orderId, "303.00", "USD", "lost"),
            ProviderFixture.ShopifySecret, "disputes/update", lost), "shopify", lost);

        var payment = await PaymentAsync("shopify", order);
        Assert.Equal(("charged_back", 303.00m, 100.00m), (Text(payment, "status"), Decimal(payment, "disputedAmount"), Decimal(payment, "refundedAmount")));
        Assert.Equal("disputed", (await OrderAmountsAsync("shopify", order)).Status);
    }

    [Fact]
    public async Task PayPal_CaptureRefundThenCaptureThenOrder_OrderPartiallyRefunded_ThenDisputeResolvedForTheSeller()
    {
        var (orderId, captureId, payerId) = (NewPayPalId(), NewPayPalId(), NewPayPalId()[..13]);
        var (approved, captured, refunded, opened, resolved) = (NewPayPalEventId(), NewPayPalEventId(), NewPayPalEventId(), NewPayPalEventId(), NewPayPalEventId());

        // The capture refund names only its capture, in its up link.
        await DeliverAsync(ProviderSigning.PayPal(PayPalRefund(refunded, NewPayPalId(), captureId, "30.50", "USD"), fixture.PayPalKey), "paypal", refunded);
        await DeliverAsync(ProviderSigning.PayPal(PayPalCapture(captured, "PAYMENT.CAPTURE.COMPLETED", captureId, "100.00", "USD", orderId), fixture.PayPalKey), "paypal", captured);
        await DeliverAsync(ProviderSigning.PayPal(PayPalOrderApproved(approved, orderId, "100.00", "USD", payerId, "buyer@example.com"), fixture.PayPalKey), "paypal", approved);
        Assert.Equal(("partially_refunded", 100.00m, 30.50m), await OrderAmountsAsync("paypal", orderId));

        var dispute = $"PP-D-{Random.Shared.Next(10_000, 99_999)}";
        await DeliverAsync(ProviderSigning.PayPal(PayPalDispute(opened, "CUSTOMER.DISPUTE.CREATED", dispute, captureId, "69.50", "USD", null), fixture.PayPalKey), "paypal", opened);
        Assert.Equal("disputed", (await OrderAmountsAsync("paypal", orderId)).Status);
        Assert.Equal(69.50m, Decimal(await PaymentAsync("paypal", captureId), "disputedAmount"));
        await DeliverAsync(ProviderSigning.PayPal(PayPalDispute(resolved, "CUSTOMER.DISPUTE.RESOLVED", dispute, captureId, "69.50", "USD", "RESOLVED_SELLER_FAVOUR"),
            fixture.PayPalKey), "paypal", resolved);

        Assert.Equal(("partially_refunded", 100.00m, 30.50m), await OrderAmountsAsync("paypal", orderId));
        Assert.Equal("partially_refunded", Text(await PaymentAsync("paypal", captureId), "status"));
    }

    [Fact]
    public async Task PayPal_SaleRefundThenSaleThenV1Payment_OrderPartiallyRefunded()
    {
        var (paymentId, saleId, payerId) = ($"PAY-{NewPayPalId()}", NewPayPalId(), NewPayPalId()[..13]);
        var (created, completed, refunded) = (NewPayPalEventId(), NewPayPalEventId(), NewPayPalEventId());

        await DeliverAsync(ProviderSigning.PayPal(PayPalSaleRefund(refunded, NewPayPalId(), saleId, paymentId, "10.00", "USD"), fixture.PayPalKey), "paypal", refunded);
        await DeliverAsync(ProviderSigning.PayPal(PayPalSale(completed, "PAYMENT.SALE.COMPLETED", saleId, "30.00", "USD", paymentId), fixture.PayPalKey), "paypal", completed);
        await DeliverAsync(ProviderSigning.PayPal(PayPalV1Payment(created, paymentId, "30.00", "USD", payerId, "buyer@example.com"), fixture.PayPalKey), "paypal", created);

        Assert.Equal("payment.completed", Text(await ProcessedEventAsync("paypal", completed), "type"));
        Assert.Equal("refund.processed", Text(await ProcessedEventAsync("paypal", refunded), "type"));
        var sale = await PaymentAsync("paypal", saleId);
        Assert.Equal(("partially_refunded", 30.00m, 10.00m, paymentId), (Text(sale, "status"), Decimal(sale, "amount"), Decimal(sale, "refundedAmount"), Text(sale, "orderId")));
        Assert.Equal(("partially_refunded", 30.00m, 10.00m), await OrderAmountsAsync("paypal", paymentId));
        Assert.Equal(30.00m, Decimal(await OrderAsync("paypal", paymentId), "total"));
    }

    [Fact]
    public async Task PayPal_SaleDenied_FailedPayment()
    {
        var (eventId, saleId) = (NewPayPalEventId(), NewPayPalId());

        await DeliverAsync(ProviderSigning.PayPal(PayPalSale(eventId, "PAYMENT.SALE.DENIED", saleId, "7.47", "USD", $"PAY-{NewPayPalId()}"), fixture.PayPalKey), "paypal", eventId);

        Assert.Equal(("failed", 7.47m), (Text(await PaymentAsync("paypal", saleId), "status"), Decimal(await PaymentAsync("paypal", saleId), "amount")));
    }

    [Fact]
    public async Task Seed_RefundNamingOnlyThePayment_AfterOrderAndPayment_ChangesTheOrder_InTheChangeLog()
    {
        var (order, payment, customer) = (NewId("ord"), NewId("pay"), NewId("cus"));
        var (created, paid, refunded) = (NewId("evt"), NewId("evt"), NewId("evt"));
        var now = DateTimeOffset.UtcNow;

        await DeliverAsync(Signing.Hmac(Seed(created, "order.created", order, 5000, customer: customer, at: now.AddMinutes(-3))), "hmac", created);
        await DeliverAsync(Signing.Hmac(Seed(paid, "payment.completed", payment, 5000, order: order, customer: customer, at: now.AddMinutes(-2))), "hmac", paid);
        await DeliverAsync(Signing.Hmac(Seed(refunded, "refund.processed", NewId("re"), 1250, payment: payment, at: now.AddMinutes(-1))), "hmac", refunded);

        Assert.Equal(("partially_refunded", 50.00m, 12.50m), await OrderAmountsAsync("hmac", order));
        var change = await OrderChangeCausedByAsync("hmac", order, refunded);
        Assert.Equal(("partially_refunded", 12.50m), (Text(change, "status"), Decimal(change, "refundedAmount")));
    }

    [Fact]
    public async Task Seed_RefundFirstThenPaymentThenOrder_OrderPartiallyRefunded_DisputeOpenedThenLost()
    {
        var (order, payment, customer, dispute) = (NewId("ord"), NewId("pay"), NewId("cus"), NewId("dp"));
        var (created, paid, refunded, opened, lost) = (NewId("evt"), NewId("evt"), NewId("evt"), NewId("evt"), NewId("evt"));
        var now = DateTimeOffset.UtcNow;

        await DeliverAsync(Signing.Hmac(Seed(refunded, "refund.processed", NewId("re"), 1250, payment: payment, at: now.AddMinutes(-3))), "hmac", refunded);
        await DeliverAsync(Signing.Hmac(Seed(paid, "payment.completed", payment, 5000, order: order, customer: customer, at: now.AddMinutes(-4))), "hmac", paid);
        await DeliverAsync(Signing.Hmac(Seed(created, "order.created", order, 5000, customer: customer, at: now.AddMinutes(-5))), "hmac", created);
        Assert.Equal(("partially_refunded", 50.00m, 12.50m), await OrderAmountsAsync("hmac", order));

        await DeliverAsync(Signing.Hmac(Seed(opened, "dispute.opened", dispute, 3750, payment: payment, at: now.AddMinutes(-2))), "hmac", opened);
        Assert.Equal("disputed", Text(await PaymentAsync("hmac", payment), "status"));
        await DeliverAsync(Signing.Hmac(Seed(lost, "dispute.closed", dispute, 3750, payment: payment, outcome: "lost", at: now.AddMinutes(-1))), "hmac", lost);

        var chargedBack = await PaymentAsync("hmac", payment);
        Assert.Equal(("charged_back", 37.50m), (Text(chargedBack, "status"), Decimal(chargedBack, "disputedAmount")));
        Assert.Equal("disputed", (await OrderAmountsAsync("hmac", order)).Status);
    }
}
