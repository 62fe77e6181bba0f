using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Processing;

/// <summary>
/// The objects an event names, read from its route (<see cref="EventRoutes"/>): the same ids the dispatcher calls. Only
/// what the event itself names: the order a payment is linked to by another event is not listed.
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
        if (EventRoutes.Of(type) is not { } route)
        {
            return [];
        }
        var objects = new List<EventObject>(3);
        Add(objects, DomainKinds.Payment, provider, route.Payment(details));
        Add(objects, DomainKinds.Order, provider, route.Order(details));
        Add(objects, DomainKinds.Customer, provider, route.Customer(details));
        return objects;
    }

    /// <summary>
    /// The id of the object the event is about (the grain its route calls first), or null when its type has no route or
    /// it lacks the id. Events are routed by it, so that one object's events are applied on one silo.
    /// </summary>
    public static string? SubjectOf(WebhookEvent evt) => EventRoutes.Of(evt.Type)?.SubjectOf(evt.Details);

    /// <summary>The payment and the order the event names (either may be null).</summary>
    public static (string? Payment, string? Order) PaymentAndOrderOf(WebhookEvent evt) =>
        EventRoutes.Of(evt.Type) is { } route ? (route.Payment(evt.Details), route.Order(evt.Details)) : (null, null);

    private static void Add(List<EventObject> objects, string kind, string provider, string? id)
    {
        if (!string.IsNullOrEmpty(id))
        {
            objects.Add(new EventObject { Kind = kind, Provider = provider, Id = id });
        }
    }
}
