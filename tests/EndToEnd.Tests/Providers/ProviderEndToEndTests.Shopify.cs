using static Orleans.Webhooks.EndToEnd.Tests.Providers.ProviderPayloads;

namespace Orleans.Webhooks.EndToEnd.Tests.Providers;

/// <summary>Shopify: its mapped types end to end, and its forged deliveries refused.</summary>
public sealed partial class ProviderEndToEndTests
{
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
}
