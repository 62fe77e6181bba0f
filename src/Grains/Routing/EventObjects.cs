using Orleans.Webhooks.Grains.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Routing;

/// <summary>
/// The objects an event names, by its internal type: the same ids the dispatcher calls (<see cref="EventDispatcher"/>).
/// Only what the event itself names: the order a payment is linked to by another event is not listed.
/// </summary>
public static class EventObjects
{
    /// <summary>The payment, order and customer the event names, in that order; empty for a type without a route.</summary>
    public static IReadOnlyList<EventObject> Of(WebhookEvent evt)
    {
        if (!EventDispatcher.Routes(evt.Type))
        {
            return [];
        }
        var (payment, order) = PaymentAndOrderOf(evt);
        var customer = CustomerOf(evt);
        var objects = new List<EventObject>(3);
        Add(objects, DomainKinds.Payment, evt.Provider, payment);
        Add(objects, DomainKinds.Order, evt.Provider, order);
        Add(objects, DomainKinds.Customer, evt.Provider, customer);
        return objects;
    }

    /// <summary>The payment and the order the event names (either may be null).</summary>
    public static (string? Payment, string? Order) PaymentAndOrderOf(WebhookEvent evt)
    {
        var details = evt.Details;
        return evt.Type switch
        {
            EventTypes.PaymentCompleted or EventTypes.PaymentFailed => (details.ObjectId, details.OrderId),
            EventTypes.RefundProcessed or EventTypes.RefundFailed or EventTypes.DisputeOpened or EventTypes.DisputeClosed =>
                (details.PaymentId, details.OrderId),
            EventTypes.OrderCreated => (details.PaymentId, details.ObjectId),
            EventTypes.OrderCancelled => (null, details.ObjectId ?? details.OrderId),
            _ => (null, null),
        };
    }

    /// <summary>The customer the event names.</summary>
    public static string? CustomerOf(WebhookEvent evt) =>
        evt.Type == EventTypes.CustomerUpdated ? evt.Details.ObjectId ?? evt.Details.CustomerId : evt.Details.CustomerId;

    private static void Add(List<EventObject> objects, string kind, string provider, string? id)
    {
        if (!string.IsNullOrEmpty(id))
        {
            objects.Add(new EventObject(kind, provider, id));
        }
    }
}
