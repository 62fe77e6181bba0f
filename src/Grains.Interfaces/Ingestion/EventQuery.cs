namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

/// <summary>Which stored events a list or a bulk replay selects; every filter is optional.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.EventQuery")]
public sealed record EventQuery
{
    [Id(0)] public string? State { get; init; }
    [Id(1)] public string? Provider { get; init; }
    /// <summary>The internal type.</summary>
    [Id(2)] public string? Type { get; init; }
    /// <summary>The id of a payment, order or customer the event names.</summary>
    [Id(3)] public string? Object { get; init; }
    /// <summary>With <see cref="Object"/>: only objects of this kind (payment, order, customer).</summary>
    [Id(4)] public string? ObjectKind { get; init; }
    /// <summary>An external id, or the id of an object the event names.</summary>
    [Id(5)] public string? Search { get; init; }
    /// <summary>received_at at or after.</summary>
    [Id(6)] public DateTimeOffset? Since { get; init; }
    /// <summary>received_at before.</summary>
    [Id(7)] public DateTimeOffset? Until { get; init; }
    [Id(8)] public EventCursor? After { get; init; }
    [Id(9)] public int Limit { get; init; } = 50;
}
