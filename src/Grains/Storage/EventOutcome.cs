namespace Orleans.Webhooks.Grains.Storage;

/// <summary>The end of one processing run of an event: its new state, the attempts it took, the last error if it failed.</summary>
public sealed record EventOutcome(string Provider, string ExternalId, string State, int Attempts, string? Error, DateTimeOffset At);
