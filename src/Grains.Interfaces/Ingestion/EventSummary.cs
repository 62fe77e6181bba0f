namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

/// <summary>What the console's first page shows of the whole cluster.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.EventSummary")]
public sealed record EventSummary
{
    /// <summary>Events received per minute over the last hour, oldest minute first (60 entries, zeros included).</summary>
    [Id(0)] public required IReadOnlyList<long> AcceptedPerMinute { get; init; }
    /// <summary>Events still 'received'.</summary>
    [Id(1)] public long Backlog { get; init; }
    /// <summary>Age of the oldest of them; 0 when there is none.</summary>
    [Id(2)] public double OldestAgeSeconds { get; init; }
    /// <summary>Events received in the last 24 hours that are 'failed'.</summary>
    [Id(3)] public long FailedLastDay { get; init; }
    [Id(4)] public int SilosActive { get; init; }
}
