using System.Text.Json;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.WebApi.Normalisation;

/// <summary>
/// The <c>data</c> object of the seed format, shared by the hmac and standard-webhooks schemes: <c>id</c>, <c>amount</c>
/// in minor units, <c>currency</c>, <c>customer</c>, <c>payment</c> (for refunds and disputes), <c>order</c>, <c>email</c>,
/// <c>name</c>, <c>outcome</c> (<c>won</c> or <c>lost</c>, for a closed dispute).
/// </summary>
public static class SeedFormat
{
    public static EventDetails Details(JsonElement data, DateTimeOffset? occurredAt)
    {
        var currency = data.String("currency");
        return new EventDetails
        {
            ObjectId = data.String("id"),
            PaymentId = data.String("payment") ?? data.String("payment_id"),
            OrderId = data.String("order") ?? data.String("order_id"),
            CustomerId = data.String("customer") ?? data.String("customer_id"),
            Amount = data.MinorUnits(Currencies.Exponent(currency), "amount"),
            Currency = currency,
            Email = data.String("email"),
            Name = data.String("name"),
            Outcome = data.String("outcome"),
            OccurredAt = occurredAt,
        };
    }
}
