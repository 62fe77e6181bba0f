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

    /// <summary>The newest events first, filtered by state and provider when given.</summary>
    Task<IReadOnlyList<EventView>> ListAsync(string? state, string? provider, int limit);

    /// <summary>Completes when the store answers; throws when it does not.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
