using System.Globalization;
using System.Text.Json;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Normalisation;

/// <summary>
/// Shopify: the id is the <c>X-Shopify-Webhook-Id</c> header (the same on every retry), the type is the
/// <c>X-Shopify-Topic</c> header ("orders/paid"), and the body is the resource itself (an order, refund or customer).
/// Amounts are decimal strings in major units ("199.00").
/// </summary>
public sealed class ShopifyEventNormaliser : IEventNormaliser
{
    public const string WebhookIdHeader = "X-Shopify-Webhook-Id";
    public const string TopicHeader = "X-Shopify-Topic";
    public const string TriggeredAtHeader = "X-Shopify-Triggered-At";

    public IReadOnlyDictionary<string, string> DefaultEventTypes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["orders/paid"] = EventTypes.PaymentCompleted,
        ["orders/create"] = EventTypes.OrderCreated,
        ["orders/cancelled"] = EventTypes.OrderCancelled,
        ["customers/create"] = EventTypes.CustomerUpdated,
        ["customers/update"] = EventTypes.CustomerUpdated,
        ["refunds/create"] = EventTypes.RefundProcessed,
        ["disputes/create"] = EventTypes.DisputeOpened,
        ["disputes/update"] = EventTypes.DisputeClosed,
    };

    public bool CanRead(string? mediaType) => MediaTypes.IsJsonOrUnspecified(mediaType);

    public NormaliseResult Normalise(WebhookRequest request, IEventTypeMap types)
    {
        if (request.Header(WebhookIdHeader) is not { Length: > 0 } id)
        {
            return NormaliseResult.Invalid($"The {WebhookIdHeader} header is missing.");
        }
        if (Json.ParseObject(request.Body) is not { } body)
        {
            return NormaliseResult.Invalid("The body is not a JSON object.");
        }
        var topic = request.Header(TopicHeader);
        var details = (topic?.Split('/', 2)[0]) switch
        {
            "orders" => Order(body, topic),
            "refunds" => Refund(body),
            "customers" => Customer(body),
            "disputes" => Dispute(body),
            _ => new EventDetails { ObjectId = body.String("id") },
        };
        var occurredAt = TriggeredAt(request) ?? body.Time("updated_at") ?? body.Time("created_at") ?? body.Time("processed_at");
        return new NormalisedEvent(id, topic, types.Map(topic), details with { OccurredAt = occurredAt });
    }

    private static EventDetails Order(JsonElement order, string? topic) => new()
    {
        ObjectId = order.String("id"),
        OrderId = topic == "orders/create" ? null : order.String("id"),
        Amount = order.Decimal("total_price"),
        Currency = order.String("currency"),
        CustomerId = order.String("customer", "id"),
        Email = order.String("email"),
        PaymentStatus = order.String("financial_status"),
    };

    /// <summary>A refund's amount is what its refund transactions moved; without any, the refunded line items' subtotals.</summary>
    private static EventDetails Refund(JsonElement refund)
    {
        decimal? amount = null;
        string? currency = null;
        foreach (var transaction in Items(refund, "transactions"))
        {
            currency ??= transaction.String("currency");
            if (transaction.String("kind") == "refund"
                && transaction.String("status") is null or "success"
                && transaction.Decimal("amount") is { } value)
            {
                amount = (amount ?? 0) + value;
            }
        }
        if (amount is null)
        {
            foreach (var item in Items(refund, "refund_line_items"))
            {
                if (item.Decimal("subtotal") is { } subtotal)
                {
                    amount = (amount ?? 0) + subtotal;
                }
                currency ??= item.String("subtotal_set", "shop_money", "currency_code");
            }
        }
        return new EventDetails
        {
            ObjectId = refund.String("id"),
            PaymentId = refund.String("order_id"),
            OrderId = refund.String("order_id"),
            Amount = amount,
            Currency = currency,
        };
    }

    /// <summary>
    /// A dispute of an order's payment (Shopify's payment is the order): won, or lost (also when the merchant accepted
    /// it); any other status (needs_response, under_review) leaves it open.
    /// </summary>
    private static EventDetails Dispute(JsonElement dispute) => new()
    {
        ObjectId = dispute.String("id"),
        PaymentId = dispute.String("order_id"),
        OrderId = dispute.String("order_id"),
        Amount = dispute.Decimal("amount"),
        Currency = dispute.String("currency"),
        Outcome = dispute.String("status") switch
        {
            "won" => DisputeOutcomes.Won,
            "lost" or "accepted" => DisputeOutcomes.Lost,
            _ => null,
        },
    };

    private static EventDetails Customer(JsonElement customer)
    {
        var name = $"{customer.String("first_name")} {customer.String("last_name")}".Trim();
        return new EventDetails
        {
            ObjectId = customer.String("id"),
            Email = customer.String("email"),
            Name = name.Length == 0 ? null : name,
        };
    }

    private static IEnumerable<JsonElement> Items(JsonElement element, string name) =>
        element.At(name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    private static DateTimeOffset? TriggeredAt(WebhookRequest request) =>
        DateTimeOffset.TryParse(request.Header(TriggeredAtHeader), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
