namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

/// <summary>The lifecycle of a stored event: received → processed | ignored | failed.</summary>
public static class EventStates
{
    public const string Received = "received";
    public const string Processed = "processed";
    public const string Ignored = "ignored";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Received, Processed, Ignored, Failed];
}
