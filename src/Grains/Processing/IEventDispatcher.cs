using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Processing;

/// <summary>Delivers one event to the domain grains its type concerns. Throws when a handler fails (the router retries).</summary>
public interface IEventDispatcher
{
    Task<DispatchResult> DispatchAsync(WebhookEvent evt);
}
