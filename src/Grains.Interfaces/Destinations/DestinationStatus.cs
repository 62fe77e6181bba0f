namespace Orleans.Webhooks.Grains.Interfaces.Destinations;

/// <summary>Where a destination stands: its cursor (every change up to it is delivered) and what is still to send.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.DestinationStatus")]
public sealed record DestinationStatus
{
    /// <summary>active or paused.</summary>
    [Id(0)] public required string State { get; init; }
    [Id(1)] public long Cursor { get; init; }
    /// <summary>Changes of the destination's kinds after the cursor.</summary>
    [Id(2)] public long LagChanges { get; init; }
    /// <summary>Age of the oldest of them; 0 when there is none.</summary>
    [Id(3)] public double LagSeconds { get; init; }
    [Id(4)] public string? LastError { get; init; }
    [Id(5)] public DateTimeOffset? FailingSince { get; init; }
    /// <summary>Changes parked for this destination, waiting for an operator's retry or skip.</summary>
    [Id(6)] public long Parked { get; init; }
}
