namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

/// <summary>What travels on the event stream to the routers: a stored event, without its raw payload.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.WebhookEvent")]
public sealed record WebhookEvent
{
    [Id(0)] public required string Provider { get; init; }
    [Id(1)] public required string ExternalId { get; init; }
    [Id(2)] public string? Type { get; init; }
    [Id(3)] public EventDetails Details { get; init; } = EventDetails.Empty;
    [Id(4)] public DateTimeOffset ReceivedAt { get; init; }

    public string Key => EventKey.Format(Provider, ExternalId);

    /// <summary>The provider's event time when it has one, else when we received it: the clock that orders events.</summary>
    public DateTimeOffset OccurredAt => Details.OccurredAt ?? ReceivedAt;
}
