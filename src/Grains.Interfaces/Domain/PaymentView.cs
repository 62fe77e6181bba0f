namespace Orleans.Webhooks.Grains.Interfaces.Domain;

[GenerateSerializer, Immutable, Alias("webhooks.PaymentView")]
public sealed record PaymentView
{
    [Id(0)] public required string Provider { get; init; }
    [Id(1)] public required string Id { get; init; }
    /// <summary>
    /// completed, failed, refunded, partially_refunded (a refund of no known amount refunds a completed payment),
    /// disputed (a dispute is open), charged_back (a dispute was lost).
    /// </summary>
    [Id(2)] public required string Status { get; init; }
    [Id(3)] public decimal? Amount { get; init; }
    [Id(4)] public string? Currency { get; init; }
    [Id(5)] public decimal RefundedAmount { get; init; }
    [Id(6)] public string? CustomerId { get; init; }
    [Id(7)] public string? OrderId { get; init; }
    [Id(8)] public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The amount of the disputes that are open or were lost.</summary>
    [Id(9)] public decimal DisputedAmount { get; init; }
}
