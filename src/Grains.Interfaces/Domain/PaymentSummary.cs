namespace Orleans.Webhooks.Grains.Interfaces.Domain;

/// <summary>
/// Everything a payment's facts add up to that its order needs, as of one version of the payment. The order keeps the
/// summary of the highest version per payment and sums over them, so its amounts are the same whatever order the
/// summaries arrive in and however often one is repeated.
/// </summary>
[GenerateSerializer, Immutable, Alias("webhooks.PaymentSummary")]
public sealed record PaymentSummary
{
    [Id(0)] public required string PaymentId { get; init; }

    /// <summary>Counts the payment's state writes: a higher version has folded every fact a lower one had.</summary>
    [Id(1)] public long Version { get; init; }

    /// <summary>The payment's status; null while only an order names it and nothing says what it is yet.</summary>
    [Id(2)] public string? Status { get; init; }

    [Id(3)] public decimal? Amount { get; init; }
    [Id(4)] public string? Currency { get; init; }
    [Id(5)] public decimal RefundedAmount { get; init; }
    [Id(6)] public decimal DisputedAmount { get; init; }

    /// <summary>The order the payment pays, when an event has said.</summary>
    [Id(7)] public string? OrderId { get; init; }

    /// <summary>The newest event time among the payment's events.</summary>
    [Id(8)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The money was received (the payment completed), whatever happened to it afterwards.</summary>
    [Id(9)] public bool Paid { get; init; }
}
