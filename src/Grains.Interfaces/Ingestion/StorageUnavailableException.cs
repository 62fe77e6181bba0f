namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

/// <summary>
/// PostgreSQL (or the silo's way to it) cannot store or read right now: nothing was committed, or the commit's answer was
/// lost. The web API answers 503 with Retry-After; the provider's retry is safe (the unique key). Crosses the Orleans
/// boundary in place of the driver's exception, which has no codec; it carries a message only, never the driver's
/// exception.
/// </summary>
[GenerateSerializer, Alias("webhooks.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message) : base(message)
    {
    }
}
