using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Processing;

namespace Orleans.Webhooks.Grains.Routing;

/// <summary>
/// The routing table: internal event type → every domain grain (keyed "{provider}:{objectId}") the event names, and the
/// method that applies it there. A payment or refund that names an order and a customer changes all three. The grains are
/// called together; if one fails, the run retries the whole event and those that applied it already ignore the repeat.
/// </summary>
public sealed class EventDispatcher(IGrainFactory grains) : IEventDispatcher
{
    public async Task<DispatchResult> DispatchAsync(WebhookEvent evt)
    {
        var details = evt.Details;
        Task<bool>[]? calls = evt.Type switch
        {
            EventTypes.PaymentCompleted =>
            [
                Grain<IPaymentGrain>(evt, "payment id").CompleteAsync(evt),
                .. Named<IOrderGrain>(evt, details.OrderId, order => order.PaymentAsync(evt)),
                .. Named<ICustomerGrain>(evt, details.CustomerId, customer => customer.NamedAsync(evt)),
            ],
            EventTypes.PaymentFailed =>
            [
                Grain<IPaymentGrain>(evt, "payment id").FailAsync(evt),
                .. Named<IOrderGrain>(evt, details.OrderId, order => order.PaymentAsync(evt)),
                .. Named<ICustomerGrain>(evt, details.CustomerId, customer => customer.NamedAsync(evt)),
            ],
            EventTypes.RefundProcessed =>
            [
                Grain<IPaymentGrain>(evt, "id of the refunded payment").RefundAsync(evt),
                .. Named<IOrderGrain>(evt, details.OrderId, order => order.RefundAsync(evt)),
                .. Named<ICustomerGrain>(evt, details.CustomerId, customer => customer.NamedAsync(evt)),
            ],
            EventTypes.OrderCreated =>
            [
                Grain<IOrderGrain>(evt, "order id").CreateAsync(evt),
                .. Named<IPaymentGrain>(evt, details.PaymentId, payment => payment.LinkOrderAsync(evt)),
                .. Named<ICustomerGrain>(evt, details.CustomerId, customer => customer.NamedAsync(evt)),
            ],
            EventTypes.OrderCancelled =>
            [
                Grain<IOrderGrain>(evt, "order id").CancelAsync(evt),
                .. Named<ICustomerGrain>(evt, details.CustomerId, customer => customer.NamedAsync(evt)),
            ],
            EventTypes.CustomerUpdated =>
            [
                Grain<ICustomerGrain>(evt, "customer id").UpdateAsync(evt),
            ],
            _ => null,
        };
        if (calls is null)
        {
            return DispatchResult.Ignored;
        }
        await Task.WhenAll(calls);
        return DispatchResult.Processed;
    }

    /// <summary>
    /// The id of the object the event is about (the grain its switch arm calls first), or null when its type has no
    /// handler or it lacks the id. Events are routed by it, so that one object's events are applied on one silo.
    /// </summary>
    public static string? SubjectOf(WebhookEvent evt) => evt.Type switch
    {
        EventTypes.PaymentCompleted or EventTypes.PaymentFailed => evt.Details.ObjectId,
        EventTypes.RefundProcessed => evt.Details.PaymentId,
        EventTypes.OrderCreated => evt.Details.ObjectId,
        EventTypes.OrderCancelled => evt.Details.ObjectId ?? evt.Details.OrderId,
        EventTypes.CustomerUpdated => evt.Details.ObjectId ?? evt.Details.CustomerId,
        _ => null,
    };

    /// <summary>The grain the event is about (<see cref="SubjectOf"/>); an event without its id cannot be applied (fails at once).</summary>
    private TGrain Grain<TGrain>(WebhookEvent evt, string what) where TGrain : IGrainWithStringKey =>
        SubjectOf(evt) is not { Length: > 0 } id
            ? throw new PermanentProcessingException($"The {evt.Type} event has no {what}.")
            : grains.GetGrain<TGrain>(EventKey.Format(evt.Provider, id));

    /// <summary>A grain the event names besides the one it is about, when it names one.</summary>
    private IEnumerable<Task<bool>> Named<TGrain>(WebhookEvent evt, string? id, Func<TGrain, Task<bool>> apply) where TGrain : IGrainWithStringKey =>
        string.IsNullOrEmpty(id) ? [] : [apply(grains.GetGrain<TGrain>(EventKey.Format(evt.Provider, id)))];
}
