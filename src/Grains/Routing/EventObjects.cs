using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Routing;

/// <summary>
/// The objects an event names, by its internal type: the same ids the dispatcher calls (<see cref="EventDispatcher"/>).
/// Only what the event itself names: the order a payment is linked to by another event is not listed.
/// </summary>
public static class EventObjects
{
    /// <summary>The payment, order and customer the event names, in that order; empty for a type without a route.</summary>
    public static IReadOnlyList<EventObject> Of(WebhookEvent evt) => Of(evt.Provider, evt.Type, evt.Details);

    /// <summary>
    /// The same from an event's parts, as ingestion has them when it stores the event (the event's row keeps them, so
    /// that events can be found by object).
    /// </summary>
    public static IReadOnlyList<EventObject> Of(string provider, string? type, EventDetails details)
    {
        if (!EventDispatcher.Routes(type))
        {
            return [];
        }
        var (payment, order) = PaymentAndOrderOf(type, details);
        var customer = CustomerOf(type, details);
        var objects = new List<EventObject>(3);
        Add(objects, DomainKinds.Payment, provider, payment);
        Add(objects, DomainKinds.Order, provider, order);
        Add(objects, DomainKinds.Customer, provider, customer);
        return objects;
    }

    /// <summary>The payment and the order the event names (either may be null).</summary>
    public static (string? Payment, string? Order) PaymentAndOrderOf(WebhookEvent evt) => PaymentAndOrderOf(evt.Type, evt.Details);

    private static (string? Payment, string? Order) PaymentAndOrderOf(string? type, EventDetails details)
    {
        return type switch
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
    public static string? CustomerOf(WebhookEvent evt) => CustomerOf(evt.Type, evt.Details);

    private static string? CustomerOf(string? type, EventDetails details) =>
        type == EventTypes.CustomerUpdated ? details.ObjectId ?? details.CustomerId : details.CustomerId;

    private static void Add(List<EventObject> objects, string kind, string provider, string? id)
    {
        if (!string.IsNullOrEmpty(id))
        {
            objects.Add(new EventObject { Kind = kind, Provider = provider, Id = id });
        }
    }
}
