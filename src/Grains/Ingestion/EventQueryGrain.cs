using Orleans.Concurrency;
using Orleans.Runtime;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains.Ingestion;

/// <summary>
/// Reads of the webhook_events table, on whichever silo is closest to the caller. A failed read reaches the caller as
/// <see cref="StorageUnavailableException"/>: the driver's exceptions have no codec across the Orleans boundary.
/// </summary>
[StatelessWorker]
internal sealed class EventQueryGrain(IEventStore store, IClusterMembershipService membership) : Grain, IEventQueryGrain
{
    public Task<EventView?> GetAsync(string provider, string externalId) => Read(() => store.GetAsync(provider, externalId));

    public Task<EventPayload?> GetPayloadAsync(string provider, string externalId) => Read(() => store.GetPayloadAsync(provider, externalId));

    public Task<EventPage> ListAsync(EventQuery query) => Read(() => store.ListAsync(query));

    public Task<int> ReplayManyAsync(IReadOnlyList<EventReplay> events) => Read(() => store.ReopenManyAsync(events));

    public async Task<EventSummary> SummaryAsync() => await Read(() => store.SummaryAsync()) with
    {
        SilosActive = membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active),
    };

    public Task PingAsync() => Read(async () =>
    {
        await store.PingAsync();
        return true;
    });

    private static async Task<T> Read<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception ex) when (ex is not StorageUnavailableException)
        {
            throw new StorageUnavailableException($"PostgreSQL did not answer: {ex.GetType().Name}.");
        }
    }
}
