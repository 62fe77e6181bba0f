using System.Net;
using System.Text.Json;
using static Orleans.Webhooks.EndToEnd.Tests.Providers.ProviderPayloads;

namespace Orleans.Webhooks.EndToEnd.Tests.Providers;

/// <summary>Stripe: its mapped types end to end, and its forged deliveries refused.</summary>
public sealed partial class ProviderEndToEndTests
{
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
}
