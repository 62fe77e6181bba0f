using Orleans.Concurrency;
using Orleans.Runtime;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains.Ingestion;

/// <summary>Reads of the webhook_events table, on whichever silo is closest to the caller.</summary>
[StatelessWorker]
internal sealed class EventQueryGrain(IEventStore store, IClusterMembershipService membership) : Grain, IEventQueryGrain
{
    public Task<EventView?> GetAsync(string provider, string externalId) => store.GetAsync(provider, externalId);

    public Task<EventPayload?> GetPayloadAsync(string provider, string externalId) => store.GetPayloadAsync(provider, externalId);

    public Task<EventPage> ListAsync(EventQuery query) => store.ListAsync(query);

    public Task<int> ReplayManyAsync(IReadOnlyList<EventReplay> events) => store.ReopenManyAsync(events);

    public async Task<EventSummary> SummaryAsync() => await store.SummaryAsync() with
    {
        SilosActive = membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active),
    };

    public Task PingAsync() => store.PingAsync();
}
