namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

/// <summary>Reads of stored events, and their bulk replay, served by any silo.</summary>
public interface IEventQueryGrain : IGrainWithIntegerKey
{
    Task<EventView?> GetAsync(string provider, string externalId);

    /// <summary>The body exactly as received; null when the event was never received.</summary>
    Task<EventPayload?> GetPayloadAsync(string provider, string externalId);

    /// <summary>The events <paramref name="query"/> selects, newest first, one page after its cursor.</summary>
    Task<EventPage> ListAsync(EventQuery query);

    /// <summary>
    /// Sets the events back to 'received' (as the given type, when one is given) and due at once: the recovery sweep of
    /// every silo processes them, batch by batch, beside new deliveries rather than ahead of them. Returns how many were reopened.
    /// </summary>
    Task<int> ReplayManyAsync(IReadOnlyList<EventReplay> events);

    Task<EventSummary> SummaryAsync();

    /// <summary>Answers when this silo reaches PostgreSQL; throws otherwise.</summary>
    Task PingAsync();
}
