using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Normalisation;
using Orleans.Webhooks.WebApi.Providers;
using static Orleans.Webhooks.WebApi.Tests.TestRequests;

namespace Orleans.Webhooks.WebApi.Tests.Normalisation;

public sealed class ShopifyEventNormaliserTests
{
    private static readonly ShopifyEventNormaliser Normaliser = new();

    // Shaped like the example payloads Shopify's admin "Send test notification" sends.
    private const string Order = """
        {
          "id": 820982911946154508,
          "admin_graphql_api_id": "gid://shopify/Order/820982911946154508",
          "created_at": "2021-12-31T19:00:00-05:00",
          "updated_at": "2021-12-31T19:00:00-05:00",
          "currency": "USD",
          "email": "jon@example.com",
          "financial_status": "paid",
          "name": "#9999",
          "subtotal_price": "189.00",
          "total_price": "199.00",
          "customer": { "id": 115310627314723954, "email": "john@example.com", "first_name": "John", "last_name": "Smith" }
        }
        """;

    private static NormaliseResult Read(string topic, string json, string? webhookId = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", string? triggeredAt = null)
    {
        var headers = new Dictionary<string, string> { ["X-Shopify-Topic"] = topic, ["X-Shopify-Shop-Domain"] = "example.myshopify.com" };
        if (webhookId is not null)
        {
            headers["X-Shopify-Webhook-Id"] = webhookId;
        }
        if (triggeredAt is not null)
        {
            headers["X-Shopify-Triggered-At"] = triggeredAt;
        }
        return Normalise(Normaliser, Create(new ProviderOptions(), Utf8(json), headers));
    }

    [Fact]
    public void ShopifyOrdersPaid_TotalPriceDecimalString_NormalisedToPaymentCompleted()
    {
        var evt = Read("orders/paid", Order, triggeredAt: "2023-03-29T18:00:27Z").Event!;
        Assert.Equal("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", evt.ExternalId);
        Assert.Equal("orders/paid", evt.ProviderType);
        Assert.Equal(EventTypes.PaymentCompleted, evt.Type);
        Assert.Equal("820982911946154508", evt.Details.ObjectId);
        Assert.Equal("820982911946154508", evt.Details.OrderId);
        Assert.Equal(199.00m, evt.Details.Amount);
        Assert.Equal("USD", evt.Details.Currency);
        Assert.Equal("115310627314723954", evt.Details.CustomerId);
        Assert.Equal(new DateTimeOffset(2023, 3, 29, 18, 0, 27, TimeSpan.Zero), evt.Details.OccurredAt);
    }

    [Fact]
    public void ShopifyOrdersCreate_NormalisedToOrderCreated_OccurredAtFromBody()
    {
        var evt = Read("orders/create", Order).Event!;
        Assert.Equal(EventTypes.OrderCreated, evt.Type);
        Assert.Equal("820982911946154508", evt.Details.ObjectId);
        Assert.Equal(199.00m, evt.Details.Amount);
        Assert.Equal(new DateTimeOffset(2021, 12, 31, 19, 0, 0, TimeSpan.FromHours(-5)), evt.Details.OccurredAt);
    }

    [Fact]
    public void ShopifyRefundsCreate_SumsRefundTransactions()
    {
        var evt = Read("refunds/create", """
            {
              "id": 890088186047892319,
              "order_id": 820982911946154508,
              "created_at": "2021-12-31T19:00:00-05:00",
              "note": "Things were damaged",
              "refund_line_items": [ { "id": 487817672276298627, "quantity": 1, "subtotal": 199.0, "subtotal_set": { "shop_money": { "amount": "199.00", "currency_code": "USD" } } } ],
              "transactions": [
                { "id": 1, "order_id": 820982911946154508, "kind": "refund", "status": "success", "amount": "40.00", "currency": "USD" },
                { "id": 2, "order_id": 820982911946154508, "kind": "refund", "status": "success", "amount": "9.50", "currency": "USD" },
                { "id": 3, "order_id": 820982911946154508, "kind": "refund", "status": "failure", "amount": "100.00", "currency": "USD" }
              ]
            }
            """).Event!;
        Assert.Equal(EventTypes.RefundProcessed, evt.Type);
        Assert.Equal("820982911946154508", evt.Details.PaymentId);
        Assert.Equal("890088186047892319", evt.Details.ObjectId);
        Assert.Equal(49.50m, evt.Details.Amount);
        Assert.False(evt.Details.AmountIsTotal);
        Assert.Equal("USD", evt.Details.Currency);
    }

    [Fact]
    public void ShopifyRefundsCreate_NoTransactions_SumsLineItemSubtotals()
    {
        var evt = Read("refunds/create", """
            {
              "id": 890088186047892319,
              "order_id": 820982911946154508,
              "refund_line_items": [
                { "id": 1, "quantity": 1, "subtotal": 199.0, "subtotal_set": { "shop_money": { "amount": "199.00", "currency_code": "USD" } } },
                { "id": 2, "quantity": 1, "subtotal": "0.99", "subtotal_set": { "shop_money": { "amount": "0.99", "currency_code": "USD" } } }
              ],
              "transactions": []
            }
            """).Event!;
        Assert.Equal(199.99m, evt.Details.Amount);
        Assert.Equal("USD", evt.Details.Currency);
    }

    [Theory]
    [InlineData("customers/create")]
    [InlineData("customers/update")]
    public void ShopifyCustomer_NameFromFirstAndLast(string topic)
    {
        var evt = Read(topic, """
            {"id":706405506930370084,"email":"bob@biller.com","first_name":"Bob","last_name":"Biller","created_at":"2021-12-31T19:00:00-05:00","updated_at":"2021-12-31T19:00:00-05:00"}
            """).Event!;
        Assert.Equal(EventTypes.CustomerUpdated, evt.Type);
        Assert.Equal("706405506930370084", evt.Details.ObjectId);
        Assert.Equal("bob@biller.com", evt.Details.Email);
        Assert.Equal("Bob Biller", evt.Details.Name);
    }

    [Fact]
    public void ShopifyCustomer_OnlyFirstName_Trimmed() =>
        Assert.Equal("Bob", Read("customers/update", """{"id":1,"first_name":"Bob","last_name":null}""").Event!.Details.Name);

    [Fact]
    public void ShopifyMissingWebhookId_ReturnsInvalid() =>
        Assert.NotNull(Read("orders/paid", Order, webhookId: null).Error);

    [Fact]
    public void ShopifyBadJson_ReturnsInvalid() =>
        Assert.NotNull(Read("orders/paid", "[1,2]").Error);
}
