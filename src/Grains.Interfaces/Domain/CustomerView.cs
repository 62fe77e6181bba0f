namespace Orleans.Webhooks.Grains.Interfaces.Domain;

[GenerateSerializer, Immutable, Alias("webhooks.CustomerView")]
public sealed record CustomerView
{
    [Id(0)] public required string Provider { get; init; }
    [Id(1)] public required string Id { get; init; }
    [Id(2)] public string? Email { get; init; }
    [Id(3)] public string? Name { get; init; }
    [Id(4)] public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>The newest 100 payments that named the customer (by the newest event time naming each), in id order.</summary>
    [Id(5)] public IReadOnlyList<string> PaymentIds { get; init; } = [];
    [Id(6)] public IReadOnlyList<string> OrderIds { get; init; } = [];

    /// <summary>The newest event time of anything that named the customer.</summary>
    [Id(7)] public DateTimeOffset? LastActivityAt { get; init; }

    /// <summary>Every payment counted under the customer; <see cref="PaymentIds"/> holds the newest 100 of them.</summary>
    [Id(8)] public long PaymentCount { get; init; }

    /// <summary>Every order counted under the customer; <see cref="OrderIds"/> holds the newest 100 of them.</summary>
    [Id(9)] public long OrderCount { get; init; }
}
