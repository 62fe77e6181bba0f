namespace Orleans.Webhooks.Grains.Interfaces.Destinations;

/// <summary>
/// A change set aside for one destination after it failed <c>ParkAfter</c> attempts while other changes to the same
/// destination succeeded: listed for an operator to retry or skip, while the rest of the destination goes on.
/// </summary>
[GenerateSerializer, Immutable, Alias("webhooks.ParkedChange")]
public sealed record ParkedChange
{
    /// <summary>The change's id as the destination receives it (the change's sequence number).</summary>
    [Id(0)] public required string ChangeId { get; init; }
    /// <summary>payment, order or customer.</summary>
    [Id(1)] public required string Kind { get; init; }
    [Id(2)] public required string Provider { get; init; }
    [Id(3)] public required string Id { get; init; }
    [Id(4)] public int Attempts { get; init; }
    [Id(5)] public string? Error { get; init; }
    [Id(6)] public DateTimeOffset ParkedAt { get; init; }
}
