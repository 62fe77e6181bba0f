using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Orleans.Webhooks.Testing;
using static Orleans.Webhooks.EndToEnd.Tests.Providers.ProviderPayloads;

namespace Orleans.Webhooks.EndToEnd.Tests.Providers;

/// <summary>
/// For each provider, a realistic delivery of each mapped type, signed as the provider signs it, sent to the running
/// programs, and its effect read back through the management API; and per scheme, a forged delivery refused.
/// </summary>
[Collection(ProviderCollection.Name)]
public sealed partial class ProviderEndToEndTests(ProviderFixture fixture)
{
    private Service Service => fixture.Service;

    // ----- helpers -----

    /// <summary>Sends a delivery and expects it accepted (200, "accepted", id "{provider}:{externalId}").</summary>
    private async Task AcceptedAsync(HttpRequestMessage request, string provider, string externalId)
    {
        using (request)
        using (var response = await Service.Http.SendAsync(request))
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{provider}: expected 200, got {(int)response.StatusCode}: {text}");
            var body = JsonDocument.Parse(text).RootElement;
            Assert.Equal("accepted", body.GetProperty("status").GetString());
            Assert.Equal($"{provider}:{externalId}", body.GetProperty("id").GetString());
        }
    }

    /// <summary>Waits until the event has left 'received' and returns it.</summary>
    private async Task<JsonElement> FinishedEventAsync(string provider, string externalId) =>
        (await Eventually.MatchesAsync(
            () => Service.GetJsonAsync($"/api/events/{provider}/{Uri.EscapeDataString(externalId)}"),
            e => e?.GetProperty("state").GetString() is "processed" or "ignored" or "failed",
            because: $"{provider} event {externalId} should be processed"))!.Value;

    private async Task<JsonElement> ProcessedEventAsync(string provider, string externalId)
    {
        var stored = await FinishedEventAsync(provider, externalId);
        Assert.True(stored.GetProperty("state").GetString() == "processed", $"{provider} event {externalId}: {stored}");
        return stored;
    }

    private async Task<JsonElement> ViewAsync(string kind, string provider, string id)
    {
        var view = await Service.GetJsonAsync($"/api/{kind}/{provider}/{Uri.EscapeDataString(id)}");
        Assert.True(view is not null, $"GET /api/{kind}/{provider}/{id} found nothing");
        return view!.Value;
    }

    private Task<JsonElement> PaymentAsync(string provider, string id) => ViewAsync("payments", provider, id);

    private Task<JsonElement> OrderAsync(string provider, string id) => ViewAsync("orders", provider, id);

    private Task<JsonElement> CustomerAsync(string provider, string id) => ViewAsync("customers", provider, id);

    /// <summary>Sends a delivery that must be refused with 401 and leave no trace of the event.</summary>
    private async Task RefusedAsync(HttpRequestMessage request, string provider, string externalId)
    {
        using (request)
        using (var response = await Service.Http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(0, await TestDatabase.ScalarAsync<long>(Service.ConnectionString,
            "SELECT count(*) FROM webhook_events WHERE provider = @p AND external_id = @x", ("p", provider), ("x", externalId)));
        using var read = await Service.Http.GetAsync($"/api/events/{provider}/{Uri.EscapeDataString(externalId)}");
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    private static decimal Decimal(JsonElement view, string name) => view.GetProperty(name).GetDecimal();

    private static string? Text(JsonElement view, string name) => view.GetProperty(name).GetString();

    /// <summary>A Shopify numeric id as it appears in the management API's paths and fields.</summary>
    private static string Id(long numericId) => numericId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // ----- Stripe -----

    [Fact]
    public async Task Stripe_PaymentIntentSucceeded_CreatesCompletedPayment()
    {
        var (eventId, paymentId, customerId, orderId) = (NewId("evt"), NewId("pi"), NewId("cus"), NewId("order"));

        await AcceptedAsync(ProviderSigning.Stripe(StripePaymentIntent(eventId, "payment_intent.succeeded", paymentId, 2000, "usd", customerId, orderId: orderId),
            ProviderFixture.StripeSecret), "stripe", eventId);

        var stored = await ProcessedEventAsync("stripe", eventId);
        Assert.Equal("payment_intent.succeeded", Text(stored, "providerType"));
        Assert.Equal("payment.completed", Text(stored, "type"));
        var payment = await PaymentAsync("stripe", paymentId);
        Assert.Equal("completed", Text(payment, "status"));
        Assert.Equal(20.00m, Decimal(payment, "amount"));
        Assert.Equal("usd", Text(payment, "currency"));
        Assert.Equal(customerId, Text(payment, "customerId"));
        Assert.Equal(orderId, Text(payment, "orderId"));
        Assert.Equal(0m, Decimal(payment, "refundedAmount"));
    }

    [Fact]
    public async Task Stripe_PaymentIntentSucceededInJpy_AmountStaysWhole()
    {
        var (eventId, paymentId) = (NewId("evt"), NewId("pi"));

        await AcceptedAsync(ProviderSigning.Stripe(StripePaymentIntent(eventId, "payment_intent.succeeded", paymentId, 5000, "jpy", NewId("cus")),
            ProviderFixture.StripeSecret), "stripe", eventId);

        await ProcessedEventAsync("stripe", eventId);
        var payment = await PaymentAsync("stripe", paymentId);
        Assert.Equal(5000m, Decimal(payment, "amount"));
        Assert.Equal("jpy", Text(payment, "currency"));
    }

    [Fact]
    public async Task Stripe_PaymentIntentPaymentFailed_CreatesFailedPayment()
    {
        var (eventId, paymentId, customerId) = (NewId("evt"), NewId("pi"), NewId("cus"));

        await AcceptedAsync(ProviderSigning.Stripe(
            StripePaymentIntent(eventId, "payment_intent.payment_failed", paymentId, 1999, "eur", customerId, status: "requires_payment_method"),
            ProviderFixture.StripeSecret), "stripe", eventId);

        await ProcessedEventAsync("stripe", eventId);
        var payment = await PaymentAsync("stripe", paymentId);
        Assert.Equal("failed", Text(payment, "status"));
        Assert.Equal(19.99m, Decimal(payment, "amount"));
        Assert.Equal("eur", Text(payment, "currency"));
        Assert.Equal(customerId, Text(payment, "customerId"));
    }

    [Fact]
    public async Task Stripe_ChargeRefundedTwice_AmountRefundedAppliedAsRunningTotal()
    {
        var (paymentId, chargeId, customerId) = (NewId("pi"), NewId("ch"), NewId("cus"));
        var (paid, first, second) = (NewId("evt"), NewId("evt"), NewId("evt"));
        var now = DateTimeOffset.UtcNow;

        await AcceptedAsync(ProviderSigning.Stripe(StripePaymentIntent(paid, "payment_intent.succeeded", paymentId, 2000, "usd", customerId, at: now.AddMinutes(-10)),
            ProviderFixture.StripeSecret), "stripe", paid);
        await AcceptedAsync(ProviderSigning.Stripe(StripeChargeRefunded(first, chargeId, paymentId, 2000, 500, "usd", customerId, now.AddMinutes(-5)),
            ProviderFixture.StripeSecret), "stripe", first);
        await AcceptedAsync(ProviderSigning.Stripe(StripeChargeRefunded(second, chargeId, paymentId, 2000, 1500, "usd", customerId, now.AddMinutes(-1)),
            ProviderFixture.StripeSecret), "stripe", second);

        foreach (var id in new[] { paid, first, second })
        {
            await ProcessedEventAsync("stripe", id);
        }
        var payment = await PaymentAsync("stripe", paymentId);
        Assert.Equal(15.00m, Decimal(payment, "refundedAmount")); // 1500 is the total so far, not 500 + 1500
        Assert.Equal("partially_refunded", Text(payment, "status"));
        Assert.Equal(20.00m, Decimal(payment, "amount"));
    }

    [Fact]
    public async Task Stripe_ChargeRefundedArrivingInReverseOrder_SameRunningTotal()
    {
        var (paymentId, chargeId, customerId) = (NewId("pi"), NewId("ch"), NewId("cus"));
        var (paid, first, second) = (NewId("evt"), NewId("evt"), NewId("evt"));
        var now = DateTimeOffset.UtcNow;

        // The later refund (total 1500) arrives first, then the earlier one (total 500), then the payment itself.
        await AcceptedAsync(ProviderSigning.Stripe(StripeChargeRefunded(second, chargeId, paymentId, 2000, 1500, "usd", customerId, now.AddMinutes(-1)),
            ProviderFixture.StripeSecret), "stripe", second);
        await ProcessedEventAsync("stripe", second);
        await AcceptedAsync(ProviderSigning.Stripe(StripeChargeRefunded(first, chargeId, paymentId, 2000, 500, "usd", customerId, now.AddMinutes(-5)),
            ProviderFixture.StripeSecret), "stripe", first);
        await ProcessedEventAsync("stripe", first);
        await AcceptedAsync(ProviderSigning.Stripe(StripePaymentIntent(paid, "payment_intent.succeeded", paymentId, 2000, "usd", customerId, at: now.AddMinutes(-10)),
            ProviderFixture.StripeSecret), "stripe", paid);
        await ProcessedEventAsync("stripe", paid);

        var payment = await PaymentAsync("stripe", paymentId);
        Assert.Equal(15.00m, Decimal(payment, "refundedAmount"));
        Assert.Equal("partially_refunded", Text(payment, "status"));
        Assert.Equal(20.00m, Decimal(payment, "amount"));
    }

    [Fact]
    public async Task Stripe_ChargeRefundedInFull_PaymentRefunded()
    {
        var (paymentId, customerId, paid, refunded) = (NewId("pi"), NewId("cus"), NewId("evt"), NewId("evt"));
        var now = DateTimeOffset.UtcNow;

        await AcceptedAsync(ProviderSigning.Stripe(StripePaymentIntent(paid, "payment_intent.succeeded", paymentId, 2000, "usd", customerId, at: now.AddMinutes(-3)),
            ProviderFixture.StripeSecret), "stripe", paid);
        await AcceptedAsync(ProviderSigning.Stripe(StripeChargeRefunded(refunded, NewId("ch"), paymentId, 2000, 2000, "usd", customerId, now),
            ProviderFixture.StripeSecret), "stripe", refunded);

        await ProcessedEventAsync("stripe", paid);
        var stored = await ProcessedEventAsync("stripe", refunded);
        Assert.Equal("refund.processed", Text(stored, "type"));
        var payment = await PaymentAsync("stripe", paymentId);
        Assert.Equal("refunded", Text(payment, "status"));
        Assert.Equal(20.00m, Decimal(payment, "refundedAmount"));
    }

    [Fact]
    public async Task Stripe_CheckoutSessionCompleted_CreatesOrder()
    {
        var (eventId, sessionId, customerId) = (NewId("evt"), NewId("cs_test"), NewId("cus"));

        await AcceptedAsync(ProviderSigning.Stripe(StripeCheckoutSessionCompleted(eventId, sessionId, 4999, "usd", customerId, "jenny.rosen@example.com"),
            ProviderFixture.StripeSecret), "stripe", eventId);

        var stored = await ProcessedEventAsync("stripe", eventId);
        Assert.Equal("order.created", Text(stored, "type"));
        var order = await OrderAsync("stripe", sessionId);
        Assert.Equal(49.99m, Decimal(order, "total"));
        Assert.Equal("usd", Text(order, "currency"));
        Assert.Equal(customerId, Text(order, "customerId"));
    }

    [Fact]
    public async Task Stripe_CustomerCreatedThenUpdated_CustomerHasTheNewestEmailAndName()
    {
        var (created, updated, customerId) = (NewId("evt"), NewId("evt"), NewId("cus"));
        var now = DateTimeOffset.UtcNow;

        await AcceptedAsync(ProviderSigning.Stripe(StripeCustomer(created, "customer.created", customerId, "jenny@example.com", "Jenny Rosen", now.AddMinutes(-2)),
            ProviderFixture.StripeSecret), "stripe", created);
        await AcceptedAsync(ProviderSigning.Stripe(StripeCustomer(updated, "customer.updated", customerId, "jenny.rosen@example.com", "Jenny Rosen-Smith", now),
            ProviderFixture.StripeSecret), "stripe", updated);

        await ProcessedEventAsync("stripe", created);
        Assert.Equal("customer.updated", Text(await ProcessedEventAsync("stripe", updated), "type"));
        var customer = await CustomerAsync("stripe", customerId);
        Assert.Equal("jenny.rosen@example.com", Text(customer, "email"));
        Assert.Equal("Jenny Rosen-Smith", Text(customer, "name"));
    }

    [Fact]
    public async Task Stripe_InvoicePaidMappedByConfiguration_CreatesCompletedPayment()
    {
        var (eventId, invoiceId, customerId) = (NewId("evt"), NewId("in"), NewId("cus"));

        await AcceptedAsync(ProviderSigning.Stripe(StripeInvoicePaid(eventId, invoiceId, 2000, "usd", customerId), ProviderFixture.StripeSecret), "stripe", eventId);

        var stored = await ProcessedEventAsync("stripe", eventId);
        Assert.Equal("invoice.paid", Text(stored, "providerType"));
        Assert.Equal("payment.completed", Text(stored, "type"));
        var payment = await PaymentAsync("stripe", invoiceId);
        Assert.Equal("completed", Text(payment, "status"));
        Assert.Equal("usd", Text(payment, "currency"));
        Assert.Equal(20.00m, Decimal(payment, "amount"));
        Assert.Equal(customerId, Text(payment, "customerId"));
    }

    [Fact]
    public async Task Stripe_UnmappedEventType_StoredAsIgnored()
    {
        var (eventId, paymentId) = (NewId("evt"), NewId("pi"));

        await AcceptedAsync(ProviderSigning.Stripe(
            StripePaymentIntent(eventId, "payment_intent.created", paymentId, 2000, "usd", NewId("cus"), status: "requires_payment_method"),
            ProviderFixture.StripeSecret), "stripe", eventId);

        var stored = await FinishedEventAsync("stripe", eventId);
        Assert.Equal("ignored", Text(stored, "state"));
        Assert.Equal("payment_intent.created", Text(stored, "providerType"));
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("type").ValueKind);
        using var payment = await Service.Http.GetAsync($"/api/payments/stripe/{paymentId}");
        Assert.Equal(HttpStatusCode.NotFound, payment.StatusCode);
    }

    [Fact]
    public async Task Stripe_WrongSignature_Returns401AndStoresNothing()
    {
        var eventId = NewId("evt");

        await RefusedAsync(ProviderSigning.Stripe(StripePaymentIntent(eventId, "payment_intent.succeeded", NewId("pi"), 2000, "usd", NewId("cus")),
            "whsec_not_the_secret"), "stripe", eventId);
    }

    [Fact]
    public async Task Stripe_ExpiredTimestamp_Returns401AndStoresNothing()
    {
        var eventId = NewId("evt");

        // Correctly signed, but 10 minutes ago: outside the default 300 s tolerance, so a replayed capture.
        await RefusedAsync(ProviderSigning.Stripe(StripePaymentIntent(eventId, "payment_intent.succeeded", NewId("pi"), 2000, "usd", NewId("cus")),
            ProviderFixture.StripeSecret, signedAt: DateTimeOffset.UtcNow.AddMinutes(-10)), "stripe", eventId);
    }

    [Fact]
    public async Task StripeTwoInstances_SameEventIdToEach_AcceptedByBothAndKeptApart()
    {
        var (eventId, paymentId) = (NewId("evt"), NewId("pi"));

        await AcceptedAsync(ProviderSigning.Stripe(StripePaymentIntent(eventId, "payment_intent.succeeded", paymentId, 2000, "usd", NewId("cus")),
            ProviderFixture.StripeSecret, provider: "stripe"), "stripe", eventId);
        await AcceptedAsync(ProviderSigning.Stripe(StripePaymentIntent(eventId, "payment_intent.succeeded", paymentId, 3500, "eur", NewId("cus")),
            ProviderFixture.StripeEuSecret, provider: "stripe-eu"), "stripe-eu", eventId);

        Assert.Equal(1, (await ProcessedEventAsync("stripe", eventId)).GetProperty("deliveries").GetInt32());
        Assert.Equal(1, (await ProcessedEventAsync("stripe-eu", eventId)).GetProperty("deliveries").GetInt32());
        var (us, eu) = (await PaymentAsync("stripe", paymentId), await PaymentAsync("stripe-eu", paymentId));
        Assert.Equal((20.00m, "usd"), (Decimal(us, "amount"), Text(us, "currency")));
        Assert.Equal((35.00m, "eur"), (Decimal(eu, "amount"), Text(eu, "currency")));
    }

    [Fact]
    public async Task StripeEu_DeliverySignedWithTheOtherInstancesSecret_Returns401()
    {
        var eventId = NewId("evt");

        await RefusedAsync(ProviderSigning.Stripe(StripePaymentIntent(eventId, "payment_intent.succeeded", NewId("pi"), 2000, "eur", NewId("cus")),
            ProviderFixture.StripeSecret, provider: "stripe-eu"), "stripe-eu", eventId);
    }

    // ----- Shopify -----

    [Fact]
    public async Task Shopify_OrdersCreate_CreatesOrder()
    {
        var (webhookId, orderId, customerId) = (Guid.NewGuid().ToString(), NewNumericId(), NewNumericId());

        await AcceptedAsync(ProviderSigning.Shopify(ShopifyOrder(orderId, "403.00", "USD", customerId, "jon@example.com", "pending"),
            ProviderFixture.ShopifySecret, "orders/create", webhookId), "shopify", webhookId);

        var stored = await ProcessedEventAsync("shopify", webhookId);
        Assert.Equal("orders/create", Text(stored, "providerType"));
        Assert.Equal("order.created", Text(stored, "type"));
        var order = await OrderAsync("shopify", Id(orderId));
        Assert.Equal(403.00m, Decimal(order, "total"));
        Assert.Equal("USD", Text(order, "currency"));
        Assert.Equal(Id(customerId), Text(order, "customerId"));
    }

    [Fact]
    public async Task Shopify_OrdersPaid_CreatesCompletedPayment()
    {
        var (webhookId, orderId, customerId) = (Guid.NewGuid().ToString(), NewNumericId(), NewNumericId());

        await AcceptedAsync(ProviderSigning.Shopify(ShopifyOrder(orderId, "199.99", "CAD", customerId, "jon@example.com", "paid"),
            ProviderFixture.ShopifySecret, "orders/paid", webhookId), "shopify", webhookId);

        Assert.Equal("payment.completed", Text(await ProcessedEventAsync("shopify", webhookId), "type"));
        var payment = await PaymentAsync("shopify", Id(orderId));
        Assert.Equal("completed", Text(payment, "status"));
        Assert.Equal(199.99m, Decimal(payment, "amount"));
        Assert.Equal("CAD", Text(payment, "currency"));
        Assert.Equal(Id(customerId), Text(payment, "customerId"));
    }

    [Fact]
    public async Task Shopify_RefundsCreate_RefundAmountSummedFromSuccessfulRefundTransactions()
    {
        var (paidId, refundWebhookId, orderId) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), NewNumericId());
        var order = Id(orderId);

        await AcceptedAsync(ProviderSigning.Shopify(ShopifyOrder(orderId, "403.00", "USD", NewNumericId(), "jon@example.com", "paid"),
            ProviderFixture.ShopifySecret, "orders/paid", paidId), "shopify", paidId);
        // Split tender: 100.00 back to the card and 41.00 to the gift card; a declined attempt moves nothing. The line
        // item's 199.00 subtotal is not what was refunded.
        var refund = ShopifyRefund(NewNumericId(), orderId, "199.00", "USD",
            ShopifyRefundTransaction(orderId, "100.00", "USD", "shopify_payments"),
            ShopifyRefundTransaction(orderId, "41.00", "USD", "gift_card"),
            ShopifyRefundTransaction(orderId, "58.00", "USD", "shopify_payments", status: "failure"));
        await AcceptedAsync(ProviderSigning.Shopify(refund, ProviderFixture.ShopifySecret, "refunds/create", refundWebhookId), "shopify", refundWebhookId);

        await ProcessedEventAsync("shopify", paidId);
        Assert.Equal("refund.processed", Text(await ProcessedEventAsync("shopify", refundWebhookId), "type"));
        var payment = await PaymentAsync("shopify", order);
        Assert.Equal(141.00m, Decimal(payment, "refundedAmount"));
        Assert.Equal("partially_refunded", Text(payment, "status"));
        Assert.Equal(403.00m, Decimal(payment, "amount"));
    }

    [Fact]
    public async Task Shopify_CustomersUpdate_UpdatesCustomer()
    {
        var (webhookId, customerId) = (Guid.NewGuid().ToString(), NewNumericId());

        await AcceptedAsync(ProviderSigning.Shopify(ShopifyCustomer(customerId, "bob@biller.com", "Bob", "Biller"),
            ProviderFixture.ShopifySecret, "customers/update", webhookId), "shopify", webhookId);

        Assert.Equal("customer.updated", Text(await ProcessedEventAsync("shopify", webhookId), "type"));
        var customer = await CustomerAsync("shopify", Id(customerId));
        Assert.Equal("bob@biller.com", Text(customer, "email"));
        Assert.Equal("Bob Biller", Text(customer, "name"));
    }

    [Fact]
    public async Task Shopify_WrongSignature_Returns401AndStoresNothing()
    {
        var webhookId = Guid.NewGuid().ToString();

        await RefusedAsync(ProviderSigning.Shopify(ShopifyOrder(NewNumericId(), "403.00", "USD", NewNumericId(), "jon@example.com", "paid"),
            "not-the-shopify-secret", "orders/paid", webhookId), "shopify", webhookId);
    }

    // ----- PayPal -----

    [Fact]
    public async Task PayPal_PaymentCaptureCompleted_CreatesCompletedPayment()
    {
        var (eventId, captureId, orderId) = (NewPayPalEventId(), NewPayPalId(), NewPayPalId());

        await AcceptedAsync(ProviderSigning.PayPal(PayPalCapture(eventId, "PAYMENT.CAPTURE.COMPLETED", captureId, "100.00", "USD", orderId), fixture.PayPalKey),
            "paypal", eventId);

        var stored = await ProcessedEventAsync("paypal", eventId);
        Assert.Equal("PAYMENT.CAPTURE.COMPLETED", Text(stored, "providerType"));
        var payment = await PaymentAsync("paypal", captureId);
        Assert.Equal("completed", Text(payment, "status"));
        Assert.Equal(100.00m, Decimal(payment, "amount"));
        Assert.Equal("USD", Text(payment, "currency"));
        Assert.Equal(orderId, Text(payment, "orderId"));
    }

    [Fact]
    public async Task PayPal_PaymentCaptureDenied_CreatesFailedPayment()
    {
        var (eventId, captureId) = (NewPayPalEventId(), NewPayPalId());

        await AcceptedAsync(ProviderSigning.PayPal(PayPalCapture(eventId, "PAYMENT.CAPTURE.DENIED", captureId, "6.00", "USD", NewPayPalId()), fixture.PayPalKey),
            "paypal", eventId);

        Assert.Equal("payment.failed", Text(await ProcessedEventAsync("paypal", eventId), "type"));
        var payment = await PaymentAsync("paypal", captureId);
        Assert.Equal("failed", Text(payment, "status"));
        Assert.Equal(6.00m, Decimal(payment, "amount"));
    }

    [Fact]
    public async Task PayPal_PaymentCaptureRefunded_AppliedToTheCaptureNamedByItsUpLink()
    {
        var (captured, refunded, captureId, refundId) = (NewPayPalEventId(), NewPayPalEventId(), NewPayPalId(), NewPayPalId());

        await AcceptedAsync(ProviderSigning.PayPal(PayPalCapture(captured, "PAYMENT.CAPTURE.COMPLETED", captureId, "100.00", "USD", NewPayPalId()), fixture.PayPalKey),
            "paypal", captured);
        await AcceptedAsync(ProviderSigning.PayPal(PayPalRefund(refunded, refundId, captureId, "30.50", "USD"), fixture.PayPalKey), "paypal", refunded);

        await ProcessedEventAsync("paypal", captured);
        Assert.Equal("refund.processed", Text(await ProcessedEventAsync("paypal", refunded), "type"));
        var payment = await PaymentAsync("paypal", captureId);
        Assert.Equal(30.50m, Decimal(payment, "refundedAmount"));
        Assert.Equal("partially_refunded", Text(payment, "status"));
        using var byRefundId = await Service.Http.GetAsync($"/api/payments/paypal/{refundId}");
        Assert.Equal(HttpStatusCode.NotFound, byRefundId.StatusCode);
    }

    [Fact]
    public async Task PayPal_CheckoutOrderApproved_CreatesOrder()
    {
        var (eventId, orderId, payerId) = (NewPayPalEventId(), NewPayPalId(), NewPayPalId()[..13]);

        await AcceptedAsync(ProviderSigning.PayPal(PayPalOrderApproved(eventId, orderId, "4999.81", "USD", payerId, "buyer@example.com"), fixture.PayPalKey),
            "paypal", eventId);

        Assert.Equal("order.created", Text(await ProcessedEventAsync("paypal", eventId), "type"));
        var order = await OrderAsync("paypal", orderId);
        Assert.Equal(4999.81m, Decimal(order, "total"));
        Assert.Equal("USD", Text(order, "currency"));
        Assert.Equal(payerId, Text(order, "customerId"));
    }

    [Fact]
    public async Task PayPal_SignedWithAnotherKey_Returns401AndStoresNothing()
    {
        var eventId = NewPayPalEventId();
        using var otherKey = RSA.Create(2048);

        await RefusedAsync(ProviderSigning.PayPal(PayPalCapture(eventId, "PAYMENT.CAPTURE.COMPLETED", NewPayPalId(), "100.00", "USD", NewPayPalId()), otherKey),
            "paypal", eventId);
    }

    [Fact]
    public async Task PayPal_CertificateFileGoneAfterStart_Returns503WithRetryAfterAndStoresNothing_ThenAcceptsOnceItIsBack()
    {
        var eventId = NewPayPalEventId();
        var body = PayPalCapture(eventId, "PAYMENT.CAPTURE.COMPLETED", NewPayPalId(), "12.00", "USD", NewPayPalId());
        var certificate = await File.ReadAllTextAsync(fixture.MovedCertificatePath);
        File.Delete(fixture.MovedCertificatePath);
        try
        {
            using var response = await Service.Http.SendAsync(ProviderSigning.PayPal(body, fixture.PayPalKey, provider: "paypal-moved"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("BEGIN CERTIFICATE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await TestDatabase.ScalarAsync<long>(Service.ConnectionString,
                "SELECT count(*) FROM webhook_events WHERE provider = 'paypal-moved' AND external_id = @x", ("x", eventId)));
        }
        finally
        {
            await File.WriteAllTextAsync(fixture.MovedCertificatePath, certificate);
        }

        // PayPal's retry, once the operator has put the file back.
        await AcceptedAsync(ProviderSigning.PayPal(body, fixture.PayPalKey, provider: "paypal-moved"), "paypal-moved", eventId);
    }

    [Fact]
    public async Task PayPal_SignedForAnotherWebhookId_Returns401AndStoresNothing()
    {
        var eventId = NewPayPalEventId();

        await RefusedAsync(ProviderSigning.PayPal(PayPalCapture(eventId, "PAYMENT.CAPTURE.COMPLETED", NewPayPalId(), "100.00", "USD", NewPayPalId()),
            fixture.PayPalKey, webhookId: "WH-SOMEONE-ELSE"), "paypal", eventId);
    }

    // ----- Mailchimp -----

    [Fact]
    public async Task Mailchimp_Subscribe_CreatesCustomerFromEmailAndMergeFields()
    {
        var memberId = Guid.NewGuid().ToString("N")[..10];
        var form = MailchimpMember("subscribe", memberId, "a6b5da1054", $"{memberId}@example.com", "John", "Doe");

        await AcceptedAsync(ProviderSigning.Mailchimp(form, ProviderFixture.MailchimpSecret), "mailchimp", ProviderSigning.BodyHash(form));

        var stored = await ProcessedEventAsync("mailchimp", ProviderSigning.BodyHash(form));
        Assert.Equal("subscribe", Text(stored, "providerType"));
        Assert.Equal("customer.updated", Text(stored, "type"));
        var customer = await CustomerAsync("mailchimp", memberId);
        Assert.Equal($"{memberId}@example.com", Text(customer, "email"));
        Assert.Equal("John Doe", Text(customer, "name"));
    }

    [Fact]
    public async Task Mailchimp_Profile_UpdatesCustomerName()
    {
        var memberId = Guid.NewGuid().ToString("N")[..10];
        var now = DateTimeOffset.UtcNow;
        // fired_at has whole seconds and orders the changes: the profile change is a minute after the subscription.
        var subscribe = MailchimpMember("subscribe", memberId, "a6b5da1054", $"{memberId}@example.com", "John", "Doe", now.AddMinutes(-1));
        var profile = MailchimpMember("profile", memberId, "a6b5da1054", $"{memberId}@example.com", "Johnny", "Doe-Smith", now);

        await AcceptedAsync(ProviderSigning.Mailchimp(subscribe, ProviderFixture.MailchimpSecret), "mailchimp", ProviderSigning.BodyHash(subscribe));
        await AcceptedAsync(ProviderSigning.Mailchimp(profile, ProviderFixture.MailchimpSecret), "mailchimp", ProviderSigning.BodyHash(profile));

        await ProcessedEventAsync("mailchimp", ProviderSigning.BodyHash(subscribe));
        Assert.Equal("customer.updated", Text(await ProcessedEventAsync("mailchimp", ProviderSigning.BodyHash(profile)), "type"));
        var customer = await CustomerAsync("mailchimp", memberId);
        Assert.Equal("Johnny Doe-Smith", Text(customer, "name"));
        Assert.Equal($"{memberId}@example.com", Text(customer, "email"));
    }

    [Fact]
    public async Task Mailchimp_Upemail_CustomerHasTheNewEmail()
    {
        var newMemberId = Guid.NewGuid().ToString("N")[..10];
        var form = MailchimpEmailChanged(newMemberId, "a6b5da1054", "api+old@mailchimp.com", $"api+{newMemberId}@mailchimp.com");

        await AcceptedAsync(ProviderSigning.Mailchimp(form, ProviderFixture.MailchimpSecret), "mailchimp", ProviderSigning.BodyHash(form));

        var stored = await ProcessedEventAsync("mailchimp", ProviderSigning.BodyHash(form));
        Assert.Equal("upemail", Text(stored, "providerType"));
        var customer = await CustomerAsync("mailchimp", newMemberId);
        Assert.Equal($"api+{newMemberId}@mailchimp.com", Text(customer, "email"));
    }

    [Fact]
    public async Task Mailchimp_ValidationPing_RightSecret200WrongSecret401()
    {
        using var right = await Service.Http.GetAsync($"/webhook/mailchimp?secret={Uri.EscapeDataString(ProviderFixture.MailchimpSecret)}");
        using var wrong = await Service.Http.GetAsync("/webhook/mailchimp?secret=not-the-secret");
        using var none = await Service.Http.GetAsync("/webhook/mailchimp");

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
    }

    [Fact]
    public async Task Mailchimp_WrongSecret_Returns401AndStoresNothing()
    {
        var memberId = Guid.NewGuid().ToString("N")[..10];
        var form = MailchimpMember("subscribe", memberId, "a6b5da1054", $"{memberId}@example.com", "John", "Doe");

        await RefusedAsync(ProviderSigning.Mailchimp(form, "not-the-secret"), "mailchimp", ProviderSigning.BodyHash(form));
    }

    // ----- GitHub -----

    [Fact]
    public async Task GitHub_IssuesOpenedAsJson_StoredIgnoredWithEventAndAction()
    {
        var deliveryId = Guid.NewGuid().ToString();

        await AcceptedAsync(ProviderSigning.GitHub(GitHubIssuesOpened("Codertocat/Hello-World", Random.Shared.Next(1, 10_000)), ProviderFixture.GitHubSecret,
            "issues", deliveryId), "github", deliveryId);

        var stored = await FinishedEventAsync("github", deliveryId);
        Assert.Equal("issues.opened", Text(stored, "providerType"));
        Assert.Equal("ignored", Text(stored, "state"));
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("type").ValueKind);
    }

    [Fact]
    public async Task GitHub_PushAsFormPayload_StoredIgnored()
    {
        var deliveryId = Guid.NewGuid().ToString();
        var form = ProviderSigning.GitHubForm(GitHubPush("Codertocat/Hello-World", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20))));

        await AcceptedAsync(ProviderSigning.GitHub(form, ProviderFixture.GitHubSecret, "push", deliveryId, "application/x-www-form-urlencoded"),
            "github", deliveryId);

        var stored = await FinishedEventAsync("github", deliveryId);
        Assert.Equal("push", Text(stored, "providerType"));
        Assert.Equal("ignored", Text(stored, "state"));
    }

    [Fact]
    public async Task GitHub_WrongSignature_Returns401AndStoresNothing()
    {
        var deliveryId = Guid.NewGuid().ToString();

        await RefusedAsync(ProviderSigning.GitHub(GitHubIssuesOpened("Codertocat/Hello-World", 1), "not-the-github-secret", "issues", deliveryId),
            "github", deliveryId);
    }

    // ----- Standard Webhooks -----

    [Fact]
    public async Task StandardWebhooks_PaymentCompleted_CreatesCompletedPayment()
    {
        var (messageId, paymentId, customerId) = (NewId("msg"), NewId("pay"), NewId("cus"));

        await AcceptedAsync(ProviderSigning.StandardWebhooks(StandardWebhooksEvent("payment.completed", paymentId, 2550, "gbp", customerId),
            fixture.StandardWebhooksSecret, messageId), "standard-webhooks", messageId);

        Assert.Equal("payment.completed", Text(await ProcessedEventAsync("standard-webhooks", messageId), "type"));
        var payment = await PaymentAsync("standard-webhooks", paymentId);
        Assert.Equal("completed", Text(payment, "status"));
        Assert.Equal(25.50m, Decimal(payment, "amount"));
        Assert.Equal("gbp", Text(payment, "currency"));
        Assert.Equal(customerId, Text(payment, "customerId"));
    }

    [Fact]
    public async Task StandardWebhooks_PaymentFailed_CreatesFailedPayment()
    {
        var (messageId, paymentId) = (NewId("msg"), NewId("pay"));

        await AcceptedAsync(ProviderSigning.StandardWebhooks(StandardWebhooksEvent("payment.failed", paymentId, 990, "usd", NewId("cus")),
            fixture.StandardWebhooksSecret, messageId), "standard-webhooks", messageId);

        await ProcessedEventAsync("standard-webhooks", messageId);
        var payment = await PaymentAsync("standard-webhooks", paymentId);
        Assert.Equal("failed", Text(payment, "status"));
        Assert.Equal(9.90m, Decimal(payment, "amount"));
    }

    [Fact]
    public async Task StandardWebhooks_RefundProcessed_AddsUpOnThePayment()
    {
        var (paid, firstRefund, secondRefund, paymentId) = (NewId("msg"), NewId("msg"), NewId("msg"), NewId("pay"));

        await AcceptedAsync(ProviderSigning.StandardWebhooks(StandardWebhooksEvent("payment.completed", paymentId, 10_000, "usd", NewId("cus")),
            fixture.StandardWebhooksSecret, paid), "standard-webhooks", paid);
        await AcceptedAsync(ProviderSigning.StandardWebhooks(StandardWebhooksEvent("refund.processed", NewId("re"), 2500, "usd", payment: paymentId),
            fixture.StandardWebhooksSecret, firstRefund), "standard-webhooks", firstRefund);
        await AcceptedAsync(ProviderSigning.StandardWebhooks(StandardWebhooksEvent("refund.processed", NewId("re"), 7500, "usd", payment: paymentId),
            fixture.StandardWebhooksSecret, secondRefund), "standard-webhooks", secondRefund);

        foreach (var id in new[] { paid, firstRefund, secondRefund })
        {
            await ProcessedEventAsync("standard-webhooks", id);
        }
        var payment = await PaymentAsync("standard-webhooks", paymentId);
        Assert.Equal(100.00m, Decimal(payment, "refundedAmount")); // increments, unlike Stripe's running total
        Assert.Equal("refunded", Text(payment, "status"));
    }

    [Fact]
    public async Task StandardWebhooks_OrderCreated_CreatesOrder()
    {
        var (messageId, orderId, customerId) = (NewId("msg"), NewId("ord"), NewId("cus"));

        await AcceptedAsync(ProviderSigning.StandardWebhooks(StandardWebhooksEvent("order.created", orderId, 123_456, "jpy", customerId),
            fixture.StandardWebhooksSecret, messageId), "standard-webhooks", messageId);

        await ProcessedEventAsync("standard-webhooks", messageId);
        var order = await OrderAsync("standard-webhooks", orderId);
        Assert.Equal(123_456m, Decimal(order, "total"));
        Assert.Equal("jpy", Text(order, "currency"));
        Assert.Equal(customerId, Text(order, "customerId"));
    }

    [Fact]
    public async Task StandardWebhooks_CustomerUpdatedWithSvixHeaders_UpdatesCustomer()
    {
        var (messageId, customerId) = (NewId("msg"), NewId("cus"));

        await AcceptedAsync(ProviderSigning.StandardWebhooks(StandardWebhooksEvent("customer.updated", customerId, email: "ada@example.com", name: "Ada Lovelace"),
            fixture.StandardWebhooksSecret, messageId, headerPrefix: "svix"), "standard-webhooks", messageId);

        await ProcessedEventAsync("standard-webhooks", messageId);
        var customer = await CustomerAsync("standard-webhooks", customerId);
        Assert.Equal("ada@example.com", Text(customer, "email"));
        Assert.Equal("Ada Lovelace", Text(customer, "name"));
    }

    [Fact]
    public async Task StandardWebhooks_WrongSignature_Returns401AndStoresNothing()
    {
        var messageId = NewId("msg");
        var otherSecret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

        await RefusedAsync(ProviderSigning.StandardWebhooks(StandardWebhooksEvent("payment.completed", NewId("pay"), 2550, "gbp", NewId("cus")),
            otherSecret, messageId), "standard-webhooks", messageId);
    }
}
