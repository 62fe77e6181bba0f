using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.WebApi.Providers;

namespace Orleans.Webhooks.WebApi.Management;

/// <summary>
/// Replays, one event or every event a filter selects, with the provider's current type mapping: a mapping added since
/// an event arrived applies to its replay (one removed since keeps the type the event had). Used by the API and the console.
/// </summary>
public sealed class EventReplays(IGrainFactory grains, ProviderRegistry providers)
{
    /// <summary>Events reopened per statement: short transactions, so that new deliveries never wait on a bulk replay's locks.</summary>
    public const int BatchSize = 500;

    /// <summary>Runs processing of one event again; false when it was never received.</summary>
    public async Task<bool> ReplayAsync(string provider, string externalId)
    {
        var stored = await grains.GetGrain<IEventQueryGrain>(0).GetAsync(provider, externalId);
        if (stored is null)
        {
            return false;
        }
        await grains.GetGrain<IEventGrain>(EventKey.Format(provider, externalId)).ReplayAsync(TypeOf(stored));
        return true;
    }

    /// <summary>
    /// Reopens up to <see cref="EventQuery.Limit"/> events the query selects, newest first, <see cref="BatchSize"/> at a
    /// time, and returns how many. They become due for the recovery sweep at once, which every silo runs: it processes
    /// them in batches with bounded concurrency beside new deliveries (which arrive through the stream), rather than
    /// putting thousands of runs ahead of them.
    /// </summary>
    public async Task<int> ReplayAllAsync(EventQuery query, CancellationToken cancellationToken)
    {
        var queries = grains.GetGrain<IEventQueryGrain>(0);
        var replayed = 0;
        EventCursor? after = null;
        while (replayed < query.Limit && !cancellationToken.IsCancellationRequested)
        {
            var page = await queries.ListAsync(query with { After = after, Limit = Math.Min(BatchSize, query.Limit - replayed) });
            if (page.Items.Count == 0)
            {
                break;
            }
            replayed += await queries.ReplayManyAsync([.. page.Items.Select(e => new EventReplay { Provider = e.Provider, ExternalId = e.ExternalId, Type = TypeOf(e) })]);
            if (page.Next is null)
            {
                break;
            }
            after = page.Next;
        }
        return replayed;
    }

    private string? TypeOf(EventView stored) =>
        providers.TryGet(stored.Provider, out var resolved) ? resolved.EventTypes.Map(stored.ProviderType) : stored.Type;
}
