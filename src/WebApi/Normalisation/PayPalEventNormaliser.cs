using System.Text.Json;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Normalisation;

/// <summary>
/// A PayPal webhook event: <c>{"id":"WH-...","event_type":"PAYMENT.CAPTURE.COMPLETED","create_time":...,"resource":{...}}</c>.
/// Amounts are <c>{"value":"10.99","currency_code":"USD"}</c>, decimal strings in major units. A refund names the
/// capture it refunds only through its <c>up</c> link (<c>.../v2/payments/captures/{id}</c>).
/// </summary>
public sealed class PayPalEventNormaliser : IEventNormaliser
{
    public IReadOnlyDictionary<string, string> DefaultEventTypes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["PAYMENT.CAPTURE.COMPLETED"] = EventTypes.PaymentCompleted,
        ["PAYMENT.CAPTURE.DENIED"] = EventTypes.PaymentFailed,
        ["CHECKOUT.ORDER.APPROVED"] = EventTypes.OrderCreated,
        ["PAYMENT.CAPTURE.REFUNDED"] = EventTypes.RefundProcessed,
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
        var details = resource is not { } r ? EventDetails.Empty : body.String("resource_type") switch
        {
            "refund" => Refund(r),
            "checkout-order" => Order(r),
            _ when providerType?.StartsWith("PAYMENT.CAPTURE.REFUNDED", StringComparison.Ordinal) == true
                || providerType?.StartsWith("PAYMENT.CAPTURE.REVERSED", StringComparison.Ordinal) == true => Refund(r),
            _ when providerType?.StartsWith("CHECKOUT.ORDER.", StringComparison.Ordinal) == true => Order(r),
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

    private static EventDetails Refund(JsonElement refund) => new()
    {
        ObjectId = refund.String("id"),
        PaymentId = CaptureIdOf(refund),
        OrderId = refund.String("supplementary_data", "related_ids", "order_id"),
        Amount = refund.Decimal("amount", "value"),
        Currency = refund.String("amount", "currency_code"),
    };

    private static EventDetails Order(JsonElement order)
    {
        var unit = order.At("purchase_units") is { ValueKind: JsonValueKind.Array } units && units.GetArrayLength() > 0 ? units[0] : (JsonElement?)null;
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
