using System.Text.Json;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Normalisation;

/// <summary>
/// A PayPal webhook event: <c>{"id":"WH-...","event_type":"PAYMENT.CAPTURE.COMPLETED","create_time":...,"resource":{...}}</c>.
/// Amounts are <c>{"value":"10.99","currency_code":"USD"}</c> (v2) or <c>{"total":"7.47","currency":"USD"}</c> (the v1
/// sales of PayPal's older checkout and of every subscription), decimal strings in major units. A capture names its order
/// in <c>supplementary_data.related_ids.order_id</c>, a sale its v1 payment (<c>PAY-...</c>, the order) in
/// <c>parent_payment</c>. A capture refund names the capture it refunds only through its <c>up</c> link
/// (<c>.../v2/payments/captures/{id}</c>), a sale refund its sale in <c>sale_id</c>. A dispute names the payments it
/// disputes in <c>disputed_transactions[].seller_transaction_id</c>.
/// </summary>
public sealed class PayPalEventNormaliser : IEventNormaliser
{
    public IReadOnlyDictionary<string, string> DefaultEventTypes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["PAYMENT.CAPTURE.COMPLETED"] = EventTypes.PaymentCompleted,
        ["PAYMENT.CAPTURE.DENIED"] = EventTypes.PaymentFailed,
        ["CHECKOUT.ORDER.APPROVED"] = EventTypes.OrderCreated,
        ["PAYMENT.CAPTURE.REFUNDED"] = EventTypes.RefundProcessed,
        ["PAYMENT.CAPTURE.REVERSED"] = EventTypes.DisputeClosed,
        ["PAYMENT.SALE.COMPLETED"] = EventTypes.PaymentCompleted,
        ["PAYMENT.SALE.DENIED"] = EventTypes.PaymentFailed,
        ["PAYMENT.SALE.REFUNDED"] = EventTypes.RefundProcessed,
        ["PAYMENTS.PAYMENT.CREATED"] = EventTypes.OrderCreated,
        ["CUSTOMER.DISPUTE.CREATED"] = EventTypes.DisputeOpened,
        ["CUSTOMER.DISPUTE.RESOLVED"] = EventTypes.DisputeClosed,
    };

    public bool CanRead(string? mediaType) => MediaTypes.IsJsonOrUnspecified(mediaType);

    public NormaliseResult Normalise(WebhookRequest request, IEventTypeMap types)
    {
        if (Json.ParseObject(request.Body) is not { } body)
        {
            return NormaliseResult.Invalid("The body is not a JSON object.");
        }
        if (body.String("id") is not { Length: > 0 } id)
        {
            return NormaliseResult.Invalid("The event has no 'id'.");
        }
        var providerType = body.String("event_type");
        var resource = body.At("resource");
        var details = resource is not { } r ? EventDetails.Empty : (body.String("resource_type"), providerType) switch
        {
            // PayPal reverses a capture when a chargeback is lost (or it takes the money back): a dispute closed as lost.
            (_, "PAYMENT.CAPTURE.REVERSED") => Refund(r) with { PaymentId = CaptureIdOf(r) ?? r.String("id"), Outcome = DisputeOutcomes.Lost },
            ("refund", _) => Refund(r),
            ("checkout-order", _) => Order(r),
            ("sale", _) => Sale(r),
            ("payment", _) => V1Payment(r),
            ("dispute", _) => Dispute(r),
            (_, var t) when t?.StartsWith("PAYMENT.CAPTURE.REFUNDED", StringComparison.Ordinal) == true
                || t?.StartsWith("PAYMENT.SALE.REFUNDED", StringComparison.Ordinal) == true => Refund(r),
            (_, var t) when t?.StartsWith("CHECKOUT.ORDER.", StringComparison.Ordinal) == true => Order(r),
            (_, var t) when t?.StartsWith("PAYMENT.SALE.", StringComparison.Ordinal) == true => Sale(r),
            (_, var t) when t?.StartsWith("CUSTOMER.DISPUTE.", StringComparison.Ordinal) == true => Dispute(r),
            _ => Capture(r),
        };
        return new NormalisedEvent(id, providerType, types.Map(providerType), details with { OccurredAt = body.Time("create_time") });
    }

    private static EventDetails Capture(JsonElement capture) => new()
    {
        ObjectId = capture.String("id"),
        Amount = capture.Decimal("amount", "value"),
        Currency = capture.String("amount", "currency_code"),
        OrderId = capture.String("supplementary_data", "related_ids", "order_id"),
        CustomerId = capture.String("payer", "payer_id"),
    };

    /// <summary>A capture refund (v2 amount, capture in the up link) or a sale refund (v1 amount, sale_id, parent_payment).</summary>
    private static EventDetails Refund(JsonElement refund) => new()
    {
        ObjectId = refund.String("id"),
        PaymentId = refund.String("sale_id") ?? CaptureIdOf(refund),
        OrderId = refund.String("supplementary_data", "related_ids", "order_id") ?? refund.String("parent_payment"),
        // A v1 sale refund carries its amount negative ("-10.00"): what it gives back is the size.
        Amount = Size(refund.Decimal("amount", "value") ?? refund.Decimal("amount", "total")),
        Currency = refund.String("amount", "currency_code") ?? refund.String("amount", "currency"),
    };

    /// <summary>A v1 sale: the payment of PayPal's older checkout (its v1 payment, the order, in parent_payment) and of subscriptions.</summary>
    private static EventDetails Sale(JsonElement sale) => new()
    {
        ObjectId = sale.String("id"),
        Amount = sale.Decimal("amount", "total"),
        Currency = sale.String("amount", "currency"),
        OrderId = sale.String("parent_payment"),
    };

    /// <summary>A v1 payment (<c>PAY-...</c>): what the buyer approved in PayPal's older checkout, the order its sales pay.</summary>
    private static EventDetails V1Payment(JsonElement payment)
    {
        var transaction = First(payment, "transactions");
        return new EventDetails
        {
            ObjectId = payment.String("id"),
            Amount = transaction?.Decimal("amount", "total"),
            Currency = transaction?.String("amount", "currency"),
            CustomerId = payment.String("payer", "payer_info", "payer_id"),
        };
    }

    /// <summary>
    /// A dispute of the first transaction it names (a capture or sale id); when resolved, the outcome for the seller:
    /// won when it was in the seller's favour or the buyer cancelled or PayPal denied it, lost when the buyer got the money.
    /// </summary>
    private static EventDetails Dispute(JsonElement dispute) => new()
    {
        ObjectId = dispute.String("dispute_id"),
        PaymentId = First(dispute, "disputed_transactions")?.String("seller_transaction_id"),
        Amount = Size(dispute.Decimal("dispute_amount", "value")),
        Currency = dispute.String("dispute_amount", "currency_code"),
        Outcome = dispute.String("dispute_outcome", "outcome_code") switch
        {
            "RESOLVED_SELLER_FAVOUR" or "CANCELED_BY_BUYER" or "DENIED" => DisputeOutcomes.Won,
            "RESOLVED_BUYER_FAVOUR" or "RESOLVED_WITH_PAYOUT" or "ACCEPTED" => DisputeOutcomes.Lost,
            _ => null,
        },
    };

    private static decimal? Size(decimal? amount) => amount is { } value ? Math.Abs(value) : null;

    private static JsonElement? First(JsonElement element, string arrayName) =>
        element.At(arrayName) is { ValueKind: JsonValueKind.Array } items && items.GetArrayLength() > 0 ? items[0] : null;

    private static EventDetails Order(JsonElement order)
    {
        var unit = First(order, "purchase_units");
        return new EventDetails
        {
            ObjectId = order.String("id"),
            Amount = unit?.Decimal("amount", "value"),
            Currency = unit?.String("amount", "currency_code"),
            CustomerId = order.String("payer", "payer_id"),
        };
    }

    /// <summary>The capture id from the refund's <c>rel: up</c> link, <c>https://api.paypal.com/v2/payments/captures/{id}</c>.</summary>
    private static string? CaptureIdOf(JsonElement refund)
    {
        if (refund.At("links") is not { ValueKind: JsonValueKind.Array } links)
        {
            return null;
        }
        foreach (var link in links.EnumerateArray())
        {
            if (link.String("rel") == "up" && link.String("href") is { } href)
            {
                var path = Uri.TryCreate(href, UriKind.Absolute, out var uri) ? uri.AbsolutePath : href;
                const string marker = "/captures/";
                var at = path.LastIndexOf(marker, StringComparison.Ordinal);
                if (at >= 0 && path[(at + marker.Length)..].TrimEnd('/') is { Length: > 0 } captureId && !captureId.Contains('/'))
                {
                    return Uri.UnescapeDataString(captureId);
                }
            }
        }
        return null;
    }
}
