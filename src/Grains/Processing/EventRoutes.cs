using System.Collections.Frozen;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Processing;

/// <summary>
/// The route table: one entry per internal event type (<see cref="EventTypes"/>), saying which object the event is about,
/// which objects it names (and so reaches), and which grain method applies it. The dispatcher
/// (<see cref="EventDispatcher"/>), the stream partition of an event (<see cref="EventObjects.SubjectOf"/>) and the
/// objects an event lists (<see cref="EventObjects.Of(WebhookEvent)"/>) all read it. A type without an entry is stored
/// and ends <c>ignored</c>.
/// </summary>
internal static class EventRoutes
{
    private static readonly FrozenDictionary<string, EventRoute> Table = new Dictionary<string, EventRoute>(StringComparer.Ordinal)
    {
        // A payment's own events: their object is the payment.
        [EventTypes.PaymentCompleted] = EventRoute.ToPayment((p, e) => p.CompleteAsync(e), "payment id",
            payment: d => d.ObjectId, order: d => d.OrderId, customer: d => d.CustomerId),
        [EventTypes.PaymentFailed] = EventRoute.ToPayment((p, e) => p.FailAsync(e), "payment id",
            payment: d => d.ObjectId, order: d => d.OrderId, customer: d => d.CustomerId),

        // Refunds and disputes: their object is the refund or dispute itself; they name the payment they concern.
        [EventTypes.RefundProcessed] = EventRoute.ToPayment((p, e) => p.RefundAsync(e), "id of the refunded payment",
            payment: d => d.PaymentId, order: d => d.OrderId, customer: d => d.CustomerId),
        [EventTypes.RefundFailed] = EventRoute.ToPayment((p, e) => p.RefundFailedAsync(e), "id of the refunded payment",
            payment: d => d.PaymentId, order: d => d.OrderId, customer: d => d.CustomerId),
        [EventTypes.DisputeOpened] = EventRoute.ToPayment((p, e) => p.DisputeOpenedAsync(e), "id of the disputed payment",
            payment: d => d.PaymentId, order: d => d.OrderId, customer: d => d.CustomerId),
        [EventTypes.DisputeClosed] = EventRoute.ToPayment((p, e) => p.DisputeClosedAsync(e), "id of the disputed payment",
            payment: d => d.PaymentId, order: d => d.OrderId, customer: d => d.CustomerId),

        // Orders: a checkout session names the payment intent that pays it.
        [EventTypes.OrderCreated] = EventRoute.ToOrder((o, e, payment) => o.CreateAsync(e, payment), "order id",
            order: d => d.ObjectId, payment: d => d.PaymentId, customer: d => d.CustomerId),
        [EventTypes.OrderCancelled] = EventRoute.ToOrder((o, e, _) => o.CancelAsync(e), "order id",
            order: d => d.ObjectId ?? d.OrderId, customer: d => d.CustomerId),

        [EventTypes.CustomerUpdated] = EventRoute.ToCustomer((c, e) => c.UpdateAsync(e), "customer id",
            customer: d => d.ObjectId ?? d.CustomerId),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The internal types that have a route.</summary>
    public static IEnumerable<string> Types => Table.Keys;

    /// <summary>The route of <paramref name="type"/>; null when it has none.</summary>
    public static EventRoute? Of(string? type) => type is not null && Table.TryGetValue(type, out var route) ? route : null;
}
