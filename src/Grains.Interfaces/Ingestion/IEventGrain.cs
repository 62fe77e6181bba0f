namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

/// <summary>One grain per provider event, keyed "{provider}:{externalId}": its single activation makes retried deliveries harmless.</summary>
public interface IEventGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores the event durably (committed before this returns) or counts a duplicate delivery. Fails after 10 s, before
    /// a provider gives up on its delivery (10-30 s), so that the web API answers 503 and the provider retries; Orleans'
    /// callback expiry enforces it, with no timer per call.
    /// </summary>
    [ResponseTimeout("00:00:10")]
    Task<AcceptOutcome> AcceptAsync(IncomingEvent incoming);

    /// <summary>Runs processing again; <paramref name="type"/> replaces the stored internal type (a mapping added since). False if never received.</summary>
    Task<bool> ReplayAsync(string? type);
}
