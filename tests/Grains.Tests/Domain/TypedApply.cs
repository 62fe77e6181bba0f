using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Processing;

namespace Orleans.Webhooks.Grains.Tests.Domain;

/// <summary>The grain method the event's route (<see cref="EventRoutes"/>) applies it with, on the grain it is about; true when applied now.</summary>
internal static class TypedApply
{
    public static async Task<bool> ApplyAsync(this IPaymentGrain payment, WebhookEvent evt) =>
        (await (EventRoutes.Of(evt.Type)?.ApplyToPayment ?? throw new ArgumentException($"a payment does not take {evt.Type}", nameof(evt)))(payment, evt)).Applied;

    public static async Task<bool> ApplyAsync(this IOrderGrain order, WebhookEvent evt) =>
        (await (EventRoutes.Of(evt.Type)?.ApplyToOrder ?? throw new ArgumentException($"an order takes {evt.Type} only with its payment's summary", nameof(evt)))(order, evt, null)).Applied;

    public static Task<bool> ApplyAsync(this ICustomerGrain customer, WebhookEvent evt) =>
        EventRoutes.Of(evt.Type)?.ApplyToCustomer is { } apply ? apply(customer, evt) : customer.NamedAsync(evt, countsPayment: false, countsOrder: false);
}
