using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Routing;

/// <summary>The routing table: internal event type → the grain (keyed "{provider}:{objectId}") that applies it.</summary>
public sealed class EventDispatcher(IGrainFactory grains) : IEventDispatcher
{
    public async Task<DispatchResult> DispatchAsync(WebhookEvent evt)
    {
        var details = evt.Details;
        switch (evt.Type)
        {
            case EventTypes.PaymentCompleted or EventTypes.PaymentFailed:
                await Grain<IPaymentGrain>(evt, details.ObjectId, "payment id").ApplyAsync(evt);
                return DispatchResult.Processed;
            case EventTypes.RefundProcessed:
                await Grain<IPaymentGrain>(evt, details.PaymentId, "id of the refunded payment").ApplyAsync(evt);
                return DispatchResult.Processed;
            case EventTypes.OrderCreated:
                await Grain<IOrderGrain>(evt, details.ObjectId, "order id").ApplyAsync(evt);
                return DispatchResult.Processed;
            case EventTypes.CustomerUpdated:
                await Grain<ICustomerGrain>(evt, details.ObjectId ?? details.CustomerId, "customer id").ApplyAsync(evt);
                return DispatchResult.Processed;
            default:
                return DispatchResult.Ignored;
        }
    }

    private TGrain Grain<TGrain>(WebhookEvent evt, string? id, string what) where TGrain : IGrainWithStringKey =>
        string.IsNullOrEmpty(id)
            ? throw new PermanentProcessingException($"The {evt.Type} event has no {what}.")
            : grains.GetGrain<TGrain>(EventKey.Format(evt.Provider, id));
}
