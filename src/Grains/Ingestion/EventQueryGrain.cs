using Orleans.Concurrency;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Storage;

namespace Orleans.Webhooks.Grains.Ingestion;

/// <summary>
/// Reads of the webhook_events table, on whichever silo is closest to the caller. A failed read reaches the caller as
/// <see cref="StorageUnavailableException"/>: the driver's exceptions have no codec across the Orleans boundary.
/// </summary>
[StatelessWorker]
internal sealed class EventQueryGrain(IEventStore store) : Grain, IEventQueryGrain
{
    public Task<EventView?> GetAsync(string provider, string externalId) => Read(() => store.GetAsync(provider, externalId));

    public Task<IReadOnlyList<EventView>> ListAsync(string? state, string? provider, int limit) => Read(() => store.ListAsync(state, provider, limit));

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
