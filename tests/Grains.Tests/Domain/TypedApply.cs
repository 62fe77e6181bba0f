using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Tests.Domain;

/// <summary>The typed method the dispatcher calls on the grain an event is about, chosen by the event's type; true when applied now.</summary>
internal static class TypedApply
{
    public static async Task<bool> ApplyAsync(this IPaymentGrain payment, WebhookEvent evt) => (await (evt.Type switch
    {
        EventTypes.PaymentCompleted => payment.CompleteAsync(evt),
        EventTypes.PaymentFailed => payment.FailAsync(evt),
        EventTypes.RefundProcessed => payment.RefundAsync(evt),
        EventTypes.RefundFailed => payment.RefundFailedAsync(evt),
        EventTypes.DisputeOpened => payment.DisputeOpenedAsync(evt),
        EventTypes.DisputeClosed => payment.DisputeClosedAsync(evt),
        _ => throw new ArgumentException($"a payment does not take {evt.Type}", nameof(evt)),
    })).Applied;

    public static async Task<bool> ApplyAsync(this IOrderGrain order, WebhookEvent evt) => (await (evt.Type switch
    {
        EventTypes.OrderCreated => order.CreateAsync(evt, null),
        EventTypes.OrderCancelled => order.CancelAsync(evt),
        _ => throw new ArgumentException($"an order takes {evt.Type} only with its payment's summary", nameof(evt)),
    })).Applied;

    public static Task<bool> ApplyAsync(this ICustomerGrain customer, WebhookEvent evt) =>
        evt.Type == EventTypes.CustomerUpdated ? customer.UpdateAsync(evt) : customer.NamedAsync(evt, countsPayment: false, countsOrder: false);
}
