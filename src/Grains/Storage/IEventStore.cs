using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Storage;

/// <summary>
/// What ingestion, processing and the management queries need of the event table. The table is the queue as well as the
/// record: an event stays 'received' until a run records its outcome, and the recovery sweep claims what waits too long.
/// </summary>
public interface IEventStore
{
    /// <summary>Stores a new event; true when this call stored it, false when it was already stored (a duplicate). Committed on return.</summary>
    Task<bool> InsertAsync(IncomingEvent incoming);

    /// <summary>Counts one more delivery of an event already stored. Committed on return.</summary>
    Task CountDuplicateAsync(string provider, string externalId);

    /// <summary>Records a run's outcome; an event some run has processed stays processed, whatever a later run reports.</summary>
    Task RecordOutcomeAsync(EventOutcome outcome);

    /// <summary>Sets a stored event back to 'received' for another processing run (as <paramref name="type"/> when given); null when it was never stored.</summary>
    Task<WebhookEvent?> ReopenAsync(string provider, string externalId, string? type);

    /// <summary>
    /// Claims up to <paramref name="limit"/> events still 'received' whose recovery time has passed (or comes within
    /// <paramref name="early"/>), pushing their recovery time forward so that no other silo takes them at the same moment:
    /// by the recovery delay plus <paramref name="early"/>, so that an early claim does not take them again either.
    /// </summary>
    Task<IReadOnlyList<WebhookEvent>> ClaimOverdueAsync(int limit, TimeSpan early, CancellationToken cancellationToken);

    Task<EventView?> GetAsync(string provider, string externalId);

    /// <summary>The body exactly as received, with its content type; null when it was never stored.</summary>
    Task<EventPayload?> GetPayloadAsync(string provider, string externalId);

    /// <summary>The events the query selects, newest first (by receipt, then key), one page after its cursor.</summary>
    Task<EventPage> ListAsync(EventQuery query);

    /// <summary>Sets stored events back to 'received' (as the type given, when one is), due for the recovery sweep at once; returns how many.</summary>
    Task<int> ReopenManyAsync(IReadOnlyList<EventReplay> events);

    /// <summary>The first page's numbers: receipts per minute over the last hour, the backlog and its oldest age, failures in a day.</summary>
    Task<EventSummary> SummaryAsync();

    /// <summary>Completes when the store answers; throws when it does not.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
