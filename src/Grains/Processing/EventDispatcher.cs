using System.Diagnostics;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Processing;

/// <summary>
/// Applies an event to every domain grain (keyed "{provider}:{objectId}") its route (<see cref="EventRoutes"/>) names or
/// that it reaches through a link. An event of a payment goes first to the payment, which answers with its summary and
/// the order it knows (named by this event or by an earlier one, either way round); then the summary goes to that
/// order, and last the customer is told, with whether this event is the one with which the payment and order count
/// under it. An order event first tells the payment it names which order it belongs to. A retry of the event runs all
/// of it again: grains that applied it already ignore the repeat, and the payment's summary reaches its order even when
/// the process stopped between the two writes.
/// </summary>
public sealed class EventDispatcher(IGrainFactory grains) : IEventDispatcher
{
    public async Task<DispatchResult> DispatchAsync(WebhookEvent evt)
    {
        if (EventRoutes.Of(evt.Type) is not { } route)
        {
            return DispatchResult.Ignored;
        }
        await (route switch
        {
            { ApplyToPayment: { } apply } => PaymentEventAsync(evt, route, apply),
            { ApplyToOrder: { } apply } => OrderEventAsync(evt, route, apply),
            { ApplyToCustomer: { } apply } => apply(Subject<ICustomerGrain>(evt, route), evt),
            _ => throw new UnreachableException($"The route of {evt.Type} applies it to no grain."),
        });
        return DispatchResult.Processed;
    }

    private async Task PaymentEventAsync(WebhookEvent evt, EventRoute route, Func<IPaymentGrain, WebhookEvent, Task<ApplyResult>> apply)
    {
        var payment = await apply(Subject<IPaymentGrain>(evt, route), evt);
        var summary = payment.Payment!;
        var named = route.Order(evt.Details);
        var orders = new[] { named, summary.OrderId }.Where(o => !string.IsNullOrEmpty(o)).Distinct(StringComparer.Ordinal).ToArray();
        var applied = orders.ToDictionary(o => o!, o => Named<IOrderGrain>(evt, o)!.PaymentAsync(evt, summary), StringComparer.Ordinal);
        var customer = CustomerAsync(evt, route, payment, string.IsNullOrEmpty(named) ? null : applied[named]);
        await Task.WhenAll([.. applied.Values, customer]);
    }

    private async Task OrderEventAsync(WebhookEvent evt, EventRoute route, Func<IOrderGrain, WebhookEvent, PaymentSummary?, Task<ApplyResult>> apply)
    {
        // The payment the order event names learns its order, and the order the payment's facts.
        var payment = Named<IPaymentGrain>(evt, route.Payment(evt.Details)) is { } named ? await named.LinkOrderAsync(evt) : null;
        var order = apply(Subject<IOrderGrain>(evt, route), evt, payment?.Payment);
        await Task.WhenAll(order, CustomerAsync(evt, route, null, order));
    }

    /// <summary>Tells the customer the event names, once the payment and order it names have answered whether it counts them.</summary>
    private async Task CustomerAsync(WebhookEvent evt, EventRoute route, ApplyResult? payment, Task<ApplyResult>? order)
    {
        var customerId = route.Customer(evt.Details);
        if (Named<ICustomerGrain>(evt, customerId) is not { } customer)
        {
            return;
        }
        var countsOrder = order is not null && (await order).CountsFor(customerId, evt.Key);
        await customer.NamedAsync(evt, payment?.CountsFor(customerId, evt.Key) ?? false, countsOrder);
    }

    /// <summary>The grain the event is about; an event without its id cannot be applied (fails at once).</summary>
    private TGrain Subject<TGrain>(WebhookEvent evt, EventRoute route) where TGrain : IGrainWithStringKey =>
        route.SubjectOf(evt.Details) is { Length: > 0 } id
            ? grains.GetGrain<TGrain>(EventKey.Format(evt.Provider, id))
            : throw new PermanentProcessingException($"The {evt.Type} event has no {route.SubjectId}.");

    /// <summary>A grain the event names besides the one it is about, or null when it names none.</summary>
    private TGrain? Named<TGrain>(WebhookEvent evt, string? id) where TGrain : class, IGrainWithStringKey =>
        string.IsNullOrEmpty(id) ? null : grains.GetGrain<TGrain>(EventKey.Format(evt.Provider, id));
}
