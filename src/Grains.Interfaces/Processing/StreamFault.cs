namespace Orleans.Webhooks.Grains.Interfaces.Processing;

/// <summary>A stream partition that a silo could not publish to, and why.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.StreamFault")]
public sealed record StreamFault
{
    [Id(0)] public required string Silo { get; init; }
    [Id(1)] public required int Partition { get; init; }

    /// <summary>The exception type and message of the latest failure; never an event's content.</summary>
    [Id(2)] public required string Cause { get; init; }

    [Id(3)] public DateTimeOffset Since { get; init; }
    [Id(4)] public DateTimeOffset LastSeen { get; init; }
    [Id(5)] public long Failures { get; init; }
}
