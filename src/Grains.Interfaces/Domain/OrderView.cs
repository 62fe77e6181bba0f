namespace Orleans.Webhooks.Grains.Interfaces.Domain;

[GenerateSerializer, Immutable, Alias("webhooks.OrderView")]
public sealed record OrderView
{
    [Id(0)] public required string Provider { get; init; }
    [Id(1)] public required string Id { get; init; }
    [Id(2)] public required string Status { get; init; }
    [Id(3)] public decimal? Total { get; init; }
    [Id(4)] public string? Currency { get; init; }
    [Id(5)] public string? CustomerId { get; init; }
    [Id(6)] public DateTimeOffset CreatedAt { get; init; }
    [Id(7)] public decimal PaidAmount { get; init; }
    [Id(8)] public decimal RefundedAmount { get; init; }
    [Id(9)] public IReadOnlyList<string> PaymentIds { get; init; } = [];
    [Id(10)] public DateTimeOffset UpdatedAt { get; init; }
}
