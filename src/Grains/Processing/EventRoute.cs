using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Processing;

/// <summary>
/// How events of one internal type are applied (an entry of <see cref="EventRoutes"/>): the object the event is about
/// (its subject: its grain is called first, and the event is routed by its id), where the event's details name each
/// object it fans out to, and the grain method that applies it to its subject. Made by <see cref="ToPayment"/>,
/// <see cref="ToOrder"/> or <see cref="ToCustomer"/>, so exactly one of the three methods is set.
/// </summary>
internal sealed record EventRoute
{
    private static readonly Func<EventDetails, string?> NamesNone = _ => null;

    private EventRoute(string subject, string subjectId, Func<EventDetails, string?> subjectOf)
    {
        Subject = subject;
        SubjectId = subjectId;
        SubjectOf = subjectOf;
    }

    /// <summary>The kind of the subject (<see cref="DomainKinds"/>).</summary>
    public string Subject { get; }

    /// <summary>What the subject's id is, for the error of an event that lacks it ("payment id").</summary>
    public string SubjectId { get; }

    /// <summary>The subject's id in the event's details.</summary>
    public Func<EventDetails, string?> SubjectOf { get; }

    /// <summary>The payment the event names, if any.</summary>
    public Func<EventDetails, string?> Payment { get; private init; } = NamesNone;

    /// <summary>The order the event names, if any.</summary>
    public Func<EventDetails, string?> Order { get; private init; } = NamesNone;

    /// <summary>The customer the event names, if any.</summary>
    public Func<EventDetails, string?> Customer { get; private init; } = NamesNone;

    /// <summary>Applies an event of a payment to the payment; its order and customer hear of it after.</summary>
    public Func<IPaymentGrain, WebhookEvent, Task<ApplyResult>>? ApplyToPayment { get; private init; }

    /// <summary>Applies an order event to the order, with the summary of the payment it names (which learns its order first).</summary>
    public Func<IOrderGrain, WebhookEvent, PaymentSummary?, Task<ApplyResult>>? ApplyToOrder { get; private init; }

    /// <summary>Applies a customer event to the customer.</summary>
    public Func<ICustomerGrain, WebhookEvent, Task<bool>>? ApplyToCustomer { get; private init; }

    public static EventRoute ToPayment(
        Func<IPaymentGrain, WebhookEvent, Task<ApplyResult>> apply, string paymentId,
        Func<EventDetails, string?> payment, Func<EventDetails, string?>? order = null, Func<EventDetails, string?>? customer = null) =>
        new(DomainKinds.Payment, paymentId, payment)
        {
            Payment = payment,
            Order = order ?? NamesNone,
            Customer = customer ?? NamesNone,
            ApplyToPayment = apply,
        };

    public static EventRoute ToOrder(
        Func<IOrderGrain, WebhookEvent, PaymentSummary?, Task<ApplyResult>> apply, string orderId,
        Func<EventDetails, string?> order, Func<EventDetails, string?>? payment = null, Func<EventDetails, string?>? customer = null) =>
        new(DomainKinds.Order, orderId, order)
        {
            Payment = payment ?? NamesNone,
            Order = order,
            Customer = customer ?? NamesNone,
            ApplyToOrder = apply,
        };

    public static EventRoute ToCustomer(Func<ICustomerGrain, WebhookEvent, Task<bool>> apply, string customerId, Func<EventDetails, string?> customer) =>
        new(DomainKinds.Customer, customerId, customer)
        {
            Customer = customer,
            ApplyToCustomer = apply,
        };
}
