using System.Security.Cryptography;
using static Orleans.Webhooks.EndToEnd.Tests.Providers.ProviderPayloads;

namespace Orleans.Webhooks.EndToEnd.Tests.Providers;

/// <summary>Standard Webhooks: its mapped types end to end, and its forged deliveries refused.</summary>
public sealed partial class ProviderEndToEndTests
{
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
