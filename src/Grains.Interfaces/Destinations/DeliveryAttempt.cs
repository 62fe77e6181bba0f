namespace Orleans.Webhooks.Grains.Interfaces.Destinations;

/// <summary>One POST of a change to a destination: the HTTP status (null when there was no answer) and how long it took.</summary>
[GenerateSerializer, Immutable, Alias("webhooks.DeliveryAttempt")]
public sealed record DeliveryAttempt
{
    /// <summary>The change's id as the destination received it (the change's sequence number).</summary>
    [Id(0)] public required string ChangeId { get; init; }
    [Id(1)] public int? Status { get; init; }
    [Id(2)] public int DurationMs { get; init; }
    [Id(3)] public string? Error { get; init; }
    [Id(4)] public DateTimeOffset At { get; init; }
}
