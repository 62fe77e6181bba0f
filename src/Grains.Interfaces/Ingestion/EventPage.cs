namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

/// <summary>One page of events, newest first, and where the next one starts (null after the last).</summary>
[GenerateSerializer, Immutable, Alias("webhooks.EventPage")]
public sealed record EventPage
{
    [Id(0)] public required IReadOnlyList<EventView> Items { get; init; }
    [Id(1)] public EventCursor? Next { get; init; }
}
