namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>
/// The key of the <see cref="TimeProvider"/> that times retries and the retry horizon. Separate from the silo's own, so
/// that tests drive these with a fake clock while Orleans and HTTP timeouts keep real time.
/// </summary>
internal static class DestinationClock
{
    public const string Key = "webhooks-destinations";
}
