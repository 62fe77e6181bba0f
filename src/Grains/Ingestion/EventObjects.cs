using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Ingestion;

/// <summary>
/// Every payment, order and customer an event names, by its internal type: the objects its processing changes
/// (see <c>EventDispatcher</c>), kept in the event's row when it is stored so that events can be found by object.
/// An event of a type with no handler names none.
/// </summary>
public static class EventObjects
{
    public static IReadOnlyList<EventObject> Of(string provider, string? type, EventDetails details)
    {
        var named = type switch
        {
            EventTypes.PaymentCompleted or EventTypes.PaymentFailed =>
                new[] { (EventObject.Payment, details.ObjectId), (EventObject.Order, details.OrderId), (EventObject.Customer, details.CustomerId) },
            EventTypes.RefundProcessed =>
                [(EventObject.Payment, details.PaymentId), (EventObject.Order, details.OrderId), (EventObject.Customer, details.CustomerId)],
            EventTypes.OrderCreated =>
                [(EventObject.Order, details.ObjectId), (EventObject.Payment, details.PaymentId), (EventObject.Customer, details.CustomerId)],
            EventTypes.OrderCancelled =>
                [(EventObject.Order, details.ObjectId ?? details.OrderId), (EventObject.Customer, details.CustomerId)],
            EventTypes.CustomerUpdated =>
                [(EventObject.Customer, details.ObjectId ?? details.CustomerId)],
            _ => [],
        };
        return named
            .Where(o => !string.IsNullOrEmpty(o.Item2))
            .Select(o => new EventObject { Kind = o.Item1, Provider = provider, Id = o.Item2! })
            .Distinct()
            .ToArray();
    }
}
