using System.Collections.Frozen;
using Orleans.Webhooks.Grains.Domain;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Processing;

namespace Orleans.Webhooks.Grains.Routing;

/// <summary>
/// The routing table: internal event type → the kind of object the event is about (its subject, by which it is routed)
/// and how it is applied to every domain grain (keyed "{provider}:{objectId}") it names or that it reaches through a link.
/// An event of a payment goes first to the payment, which answers with its summary and the order it knows (named by
/// this event or by an earlier one, either way round); then the summary goes to that order, and last the customer is told,
/// with whether this event is the one with which the payment and order count under it. A retry of the event runs all of it
/// again: grains that applied it already ignore the repeat, and the payment's summary reaches its order even when the
/// process stopped between the two writes.
/// </summary>
public sealed class EventDispatcher(IGrainFactory grains) : IEventDispatcher
{
    private static readonly FrozenDictionary<string, Route> Table = new Dictionary<string, Route>(StringComparer.Ordinal)
    {
        [EventTypes.PaymentCompleted] = new(DomainKinds.Payment, "payment id", (d, e) => d.PaymentEventAsync(e, p => p.CompleteAsync(e))),
        [EventTypes.PaymentFailed] = new(DomainKinds.Payment, "payment id", (d, e) => d.PaymentEventAsync(e, p => p.FailAsync(e))),
        [EventTypes.RefundProcessed] = new(DomainKinds.Payment, "id of the refunded payment", (d, e) => d.PaymentEventAsync(e, p => p.RefundAsync(e))),
        [EventTypes.RefundFailed] = new(DomainKinds.Payment, "id of the refunded payment", (d, e) => d.PaymentEventAsync(e, p => p.RefundFailedAsync(e))),
        [EventTypes.DisputeOpened] = new(DomainKinds.Payment, "id of the disputed payment", (d, e) => d.PaymentEventAsync(e, p => p.DisputeOpenedAsync(e))),
        [EventTypes.DisputeClosed] = new(DomainKinds.Payment, "id of the disputed payment", (d, e) => d.PaymentEventAsync(e, p => p.DisputeClosedAsync(e))),
        [EventTypes.OrderCreated] = new(DomainKinds.Order, "order id", (d, e) => d.OrderCreatedAsync(e)),
        [EventTypes.OrderCancelled] = new(DomainKinds.Order, "order id", (d, e) => d.OrderEventAsync(e, o => o.CancelAsync(e))),
        [EventTypes.CustomerUpdated] = new(DomainKinds.Customer, "customer id", (d, e) => d.Subject<ICustomerGrain>(e).UpdateAsync(e)),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public async Task<DispatchResult> DispatchAsync(WebhookEvent evt)
    {
        if (evt.Type is null || !Table.TryGetValue(evt.Type, out var route))
        {
            return DispatchResult.Ignored;
        }
        await route.Apply(this, evt);
        return DispatchResult.Processed;
    }

    /// <summary>Whether events of the type have a route (others end ignored).</summary>
    public static bool Routes(string? type) => type is not null && Table.ContainsKey(type);

    /// <summary>
    /// The id of the object the event is about (the grain its route calls first), or null when its type has no route or
    /// it lacks the id. Events are routed by it, so that one object's events are applied on one silo.
    /// </summary>
    public static string? SubjectOf(WebhookEvent evt)
    {
        if (evt.Type is null || !Table.TryGetValue(evt.Type, out var route))
        {
            return null;
        }
        var (payment, order) = EventObjects.PaymentAndOrderOf(evt);
        return route.Subject switch
        {
            DomainKinds.Payment => payment,
            DomainKinds.Order => order,
            _ => EventObjects.CustomerOf(evt),
        };
    }

    private async Task PaymentEventAsync(WebhookEvent evt, Func<IPaymentGrain, Task<ApplyResult>> apply)
    {
        var payment = await apply(Subject<IPaymentGrain>(evt));
        var summary = payment.Payment!;
        var named = evt.Details.OrderId;
        var orders = new[] { named, summary.OrderId }.Where(o => !string.IsNullOrEmpty(o)).Distinct(StringComparer.Ordinal).ToArray();
        var applied = orders.ToDictionary(o => o!, o => Named<IOrderGrain>(evt, o)!.PaymentAsync(evt, summary), StringComparer.Ordinal);
        var customer = CustomerAsync(evt, payment, string.IsNullOrEmpty(named) ? null : applied[named]);
        await Task.WhenAll([.. applied.Values, customer]);
    }

    private async Task OrderCreatedAsync(WebhookEvent evt)
    {
        // A checkout session names the payment intent that pays it: the payment learns its order, the order the payment's facts.
        var payment = Named<IPaymentGrain>(evt, evt.Details.PaymentId) is { } named ? await named.LinkOrderAsync(evt) : null;
        await OrderEventAsync(evt, order => order.CreateAsync(evt, payment?.Payment));
    }

    private async Task OrderEventAsync(WebhookEvent evt, Func<IOrderGrain, Task<ApplyResult>> apply)
    {
        var order = apply(Subject<IOrderGrain>(evt));
        await Task.WhenAll(order, CustomerAsync(evt, null, order));
    }

    /// <summary>Tells the customer the event names, once the payment and order it names have answered whether it counts them.</summary>
    private async Task CustomerAsync(WebhookEvent evt, ApplyResult? payment, Task<ApplyResult>? order)
    {
        if (Named<ICustomerGrain>(evt, EventObjects.CustomerOf(evt)) is not { } customer)
        {
            return;
        }
        var customerId = EventObjects.CustomerOf(evt);
        var countsOrder = order is not null && (await order).CountsFor(customerId, evt.Key);
        await customer.NamedAsync(evt, payment?.CountsFor(customerId, evt.Key) ?? false, countsOrder);
    }

    /// <summary>The grain the event is about (<see cref="SubjectOf"/>); an event without its id cannot be applied (fails at once).</summary>
    private TGrain Subject<TGrain>(WebhookEvent evt) where TGrain : IGrainWithStringKey =>
        SubjectOf(evt) is { Length: > 0 } id
            ? grains.GetGrain<TGrain>(EventKey.Format(evt.Provider, id))
            : throw new PermanentProcessingException($"The {evt.Type} event has no {Table[evt.Type!].What}.");

    /// <summary>A grain the event names besides the one it is about, or null when it names none.</summary>
    private TGrain? Named<TGrain>(WebhookEvent evt, string? id) where TGrain : class, IGrainWithStringKey =>
        string.IsNullOrEmpty(id) ? null : grains.GetGrain<TGrain>(EventKey.Format(evt.Provider, id));

    /// <summary>One entry of the table: the kind of the event's subject, what its id is called, and how the event is applied.</summary>
    private sealed record Route(string Subject, string What, Func<EventDispatcher, WebhookEvent, Task> Apply);
}
