using Orleans.Concurrency;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains.Ingestion;

/// <summary>Reads of the webhook_events table, on whichever silo is closest to the caller.</summary>
[StatelessWorker]
internal sealed class EventQueryGrain(IEventStore store) : Grain, IEventQueryGrain
{
    public Task<EventView?> GetAsync(string provider, string externalId) => store.GetAsync(provider, externalId);

    public Task<IReadOnlyList<EventView>> ListAsync(string? state, string? provider, int limit) => store.ListAsync(state, provider, limit);

    public Task PingAsync() => store.PingAsync();
}
