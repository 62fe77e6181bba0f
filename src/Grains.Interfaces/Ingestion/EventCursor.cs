namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

/// <summary>The key of the last event of a page, newest first: the next page starts strictly after it.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.EventCursor")]
public sealed record EventCursor
{
    [Id(0)] public required DateTimeOffset ReceivedAt { get; init; }
    [Id(1)] public required string Provider { get; init; }
    [Id(2)] public required string ExternalId { get; init; }
}
