namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

/// <summary>
/// What a normaliser read out of a provider's payload, independent of the provider's shape.
/// Amounts are in major units (already converted with the currency's exponent).
/// </summary>
[GenerateSerializer, Immutable, Alias("webhooks.EventDetails")]
public sealed record EventDetails
{
    /// <summary>The object the event is about: a payment, order or customer id.</summary>
    [Id(0)] public string? ObjectId { get; init; }

    /// <summary>For refunds: the payment refunded.</summary>
    [Id(1)] public string? PaymentId { get; init; }

    [Id(2)] public string? OrderId { get; init; }

    [Id(3)] public string? CustomerId { get; init; }

    [Id(4)] public decimal? Amount { get; init; }

    [Id(5)] public string? Currency { get; init; }

    /// <summary>True when <see cref="Amount"/> of a refund is the running total refunded so far (Stripe's amount_refunded).</summary>
    [Id(6)] public bool AmountIsTotal { get; init; }

    [Id(7)] public string? Email { get; init; }

    [Id(8)] public string? Name { get; init; }

    /// <summary>When the provider says the event happened; null when it does not say.</summary>
    [Id(9)] public DateTimeOffset? OccurredAt { get; init; }

    /// <summary>The payment's total amount when a refund event carries it (lets a refund that arrives first know the cap).</summary>
    [Id(10)] public decimal? PaymentAmount { get; init; }

    /// <summary>
    /// What the provider says of an order's payment ("paid" for Stripe's checkout session payment_status and Shopify's
    /// financial_status); null when it does not say.
    /// </summary>
    [Id(11)] public string? PaymentStatus { get; init; }

    /// <summary>How a dispute ended (<see cref="DisputeOutcomes"/>); null while it is still open.</summary>
    [Id(12)] public string? Outcome { get; init; }

    public static EventDetails Empty { get; } = new();
}
