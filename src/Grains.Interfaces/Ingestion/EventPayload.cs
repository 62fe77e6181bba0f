namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

/// <summary>An event's body exactly as it was received, with the delivery's content type.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.EventPayload")]
public sealed record EventPayload
{
    [Id(0)] public required byte[] Body { get; init; }
    [Id(1)] public string? ContentType { get; init; }
}
