namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

/// <summary>One event of a bulk replay, with the internal type it runs as (null: the type it has).</summary>
[GenerateSerializer, Immutable, Alias("webhooks.EventReplay")]
public sealed record EventReplay
{
    [Id(0)] public required string Provider { get; init; }
    [Id(1)] public required string ExternalId { get; init; }
    [Id(2)] public string? Type { get; init; }
}
