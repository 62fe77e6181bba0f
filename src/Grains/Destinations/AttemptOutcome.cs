namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>How an attempt ended, as destination_deliveries records it and /metrics counts it.</summary>
internal static class AttemptOutcome
{
    /// <summary>Answered 2xx.</summary>
    public const string Delivered = "delivered";

    /// <summary>Any other answer, or none.</summary>
    public const string Failed = "failed";

    /// <summary>A parked change an operator dropped: not sent.</summary>
    public const string Skipped = "skipped";
}
