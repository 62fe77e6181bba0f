using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Tests.Domain;

/// <summary>The typed method the dispatcher calls on the grain an event is about, chosen by the event's type.</summary>
internal static class TypedApply
{
    public static Task<bool> ApplyAsync(this IPaymentGrain payment, WebhookEvent evt) => evt.Type switch
    {
        EventTypes.PaymentCompleted => payment.CompleteAsync(evt),
        EventTypes.PaymentFailed => payment.FailAsync(evt),
        EventTypes.RefundProcessed => payment.RefundAsync(evt),
        _ => throw new ArgumentException($"a payment does not take {evt.Type}", nameof(evt)),
    };

    public static Task<bool> ApplyAsync(this IOrderGrain order, WebhookEvent evt) => evt.Type switch
    {
        EventTypes.OrderCreated => order.CreateAsync(evt),
        EventTypes.OrderCancelled => order.CancelAsync(evt),
        EventTypes.PaymentCompleted or EventTypes.PaymentFailed => order.PaymentAsync(evt),
        EventTypes.RefundProcessed => order.RefundAsync(evt),
        _ => throw new ArgumentException($"an order does not take {evt.Type}", nameof(evt)),
    };

    public static Task<bool> ApplyAsync(this ICustomerGrain customer, WebhookEvent evt) =>
        evt.Type == EventTypes.CustomerUpdated ? customer.UpdateAsync(evt) : customer.NamedAsync(evt);
}
