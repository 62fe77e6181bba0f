using System.Text.Json;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Signatures;

namespace Orleans.Webhooks.WebApi.Normalisation;

/// <summary>
/// A Stripe Event: <c>{"id":"evt_...","type":"payment_intent.succeeded","created":&lt;unix&gt;,"data":{"object":{...}}}</c>.
/// The details are read by the kind of <c>data.object</c> (its <c>object</c> field), so a mapping added for another
/// event type about the same object gets the same details. Amounts are in minor units of <c>data.object.currency</c>,
/// as Stripe counts them (<see cref="Currencies.StripeExponent"/>).
/// </summary>
public sealed class StripeEventNormaliser : IEventNormaliser
{
    public IReadOnlyDictionary<string, string> DefaultEventTypes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["payment_intent.succeeded"] = EventTypes.PaymentCompleted,
        ["payment_intent.payment_failed"] = EventTypes.PaymentFailed,
        ["checkout.session.completed"] = EventTypes.OrderCreated,
        ["customer.created"] = EventTypes.CustomerUpdated,
        ["customer.updated"] = EventTypes.CustomerUpdated,
        ["charge.refunded"] = EventTypes.RefundProcessed,
        ["charge.refund.updated"] = EventTypes.RefundFailed,
        ["refund.updated"] = EventTypes.RefundFailed,
        ["charge.dispute.created"] = EventTypes.DisputeOpened,
        ["charge.dispute.closed"] = EventTypes.DisputeClosed,
    };

    /// <summary>The refund statuses after which a refund reported before no longer counts.</summary>
    private static readonly HashSet<string> RefundUndone = new(StringComparer.Ordinal) { "failed", "canceled" };

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
        var providerType = body.String("type");
        var type = types.Map(providerType);
        var obj = body.At("data", "object");
        var details = obj is { } o ? Details(o, providerType, type) : EventDetails.Empty;
        if (type == EventTypes.RefundFailed && obj?.String("object") == "refund" && !RefundUndone.Contains(obj?.String("status") ?? ""))
        {
            // refund.updated also reports a refund that goes on (pending → succeeded): only a failure or cancellation undoes it.
            type = null;
        }
        return new NormalisedEvent(id, providerType, type, details with { OccurredAt = body.Time("created") });
    }

    private static EventDetails Details(JsonElement obj, string? providerType, string? type)
    {
        var currency = obj.String("currency");
        var exponent = Currencies.StripeExponent(currency);
        var customer = obj.String("customer") ?? obj.String("customer", "id"); // an id, or an expanded object
        switch (obj.String("object"))
        {
            case "payment_intent":
                return new EventDetails
                {
                    ObjectId = obj.String("id"),
                    Amount = obj.MinorUnits(exponent, "amount_received") is > 0 and var received ? received : obj.MinorUnits(exponent, "amount"),
                    Currency = currency,
                    CustomerId = customer,
                    OrderId = obj.String("metadata", "order_id"),
                };
            case "charge" when type == EventTypes.RefundProcessed || providerType?.StartsWith("charge.refund", StringComparison.Ordinal) == true:
                // amount_refunded is the running total over every refund of the charge, not this refund's increment.
                return new EventDetails
                {
                    ObjectId = obj.String("id"),
                    PaymentId = obj.String("payment_intent") ?? obj.String("id"),
                    Amount = obj.MinorUnits(exponent, "amount_refunded"),
                    AmountIsTotal = true,
                    PaymentAmount = obj.MinorUnits(exponent, "amount"),
                    Currency = currency,
                    CustomerId = customer,
                };
            case "charge":
                return new EventDetails
                {
                    ObjectId = obj.String("payment_intent") ?? obj.String("id"),
                    Amount = obj.MinorUnits(exponent, "amount"),
                    Currency = currency,
                    CustomerId = customer,
                    OrderId = obj.String("metadata", "order_id"),
                };
            case "refund":
                return new EventDetails
                {
                    ObjectId = obj.String("id"),
                    PaymentId = obj.String("payment_intent") ?? obj.String("charge"),
                    Amount = obj.MinorUnits(exponent, "amount"),
                    Currency = currency,
                };
            case "dispute":
                // The dispute names the charge and (from API 2022-11-15) the payment intent it disputes; status tells the outcome.
                return new EventDetails
                {
                    ObjectId = obj.String("id"),
                    PaymentId = obj.String("payment_intent") ?? obj.String("charge"),
                    Amount = obj.MinorUnits(exponent, "amount"),
                    Currency = currency,
                    Outcome = obj.String("status") switch
                    {
                        "won" or "warning_closed" => DisputeOutcomes.Won,
                        "lost" => DisputeOutcomes.Lost,
                        _ => null,
                    },
                };
            case "checkout.session":
                // The session is the order; it names the payment intent that pays it, and says whether it is paid.
                return new EventDetails
                {
                    ObjectId = obj.String("id"),
                    PaymentId = obj.String("payment_intent") ?? obj.String("payment_intent", "id"),
                    Amount = obj.MinorUnits(exponent, "amount_total"),
                    Currency = currency,
                    CustomerId = customer,
                    PaymentStatus = obj.String("payment_status"),
                };
            case "invoice":
                // Invoices carry what was paid in amount_paid (amount_due and total before payment), not amount.
                return new EventDetails
                {
                    ObjectId = obj.String("id"),
                    Amount = obj.MinorUnits(exponent, "amount_paid") is > 0 and var paid ? paid : obj.MinorUnits(exponent, "total"),
                    Currency = currency,
                    CustomerId = customer,
                };
            case "customer":
                return new EventDetails
                {
                    ObjectId = obj.String("id"),
                    Email = obj.String("email"),
                    Name = obj.String("name"),
                };
            default:
                return new EventDetails
                {
                    ObjectId = obj.String("id"),
                    Amount = obj.MinorUnits(exponent, "amount"),
                    Currency = currency,
                    CustomerId = customer,
                };
        }
    }
}
