namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

/// <summary>A stored event as the management API shows it.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.EventView")]
public sealed record EventView
{
    [Id(0)] public required string Provider { get; init; }
    [Id(1)] public required string ExternalId { get; init; }
    [Id(2)] public string? ProviderType { get; init; }
    [Id(3)] public string? Type { get; init; }
    [Id(4)] public required string State { get; init; }
    [Id(5)] public int Deliveries { get; init; }
    [Id(6)] public int Attempts { get; init; }
    [Id(7)] public string? LastError { get; init; }
    [Id(8)] public DateTimeOffset ReceivedAt { get; init; }
    [Id(9)] public DateTimeOffset? ProcessedAt { get; init; }
    /// <summary>Every payment, order and customer the event names, kept when it was stored.</summary>
    [Id(10)] public IReadOnlyList<EventObject> Objects { get; init; } = [];
}
