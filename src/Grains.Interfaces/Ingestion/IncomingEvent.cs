namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

/// <summary>A verified, normalised delivery handed from the web API to its event grain.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.IncomingEvent")]
public sealed record IncomingEvent
{
    [Id(0)] public required string Provider { get; init; }

    [Id(1)] public required string ExternalId { get; init; }

    [Id(2)] public string? ProviderType { get; init; }

    /// <summary>The internal type (payment.completed, ...); null when the provider type is not mapped.</summary>
    [Id(3)] public string? Type { get; init; }

    [Id(4)] public required byte[] Payload { get; init; }

    [Id(5)] public string? ContentType { get; init; }

    [Id(6)] public required DateTimeOffset ReceivedAt { get; init; }

    [Id(7)] public EventDetails Details { get; init; } = EventDetails.Empty;

    public string Key => EventKey.Format(Provider, ExternalId);
}
