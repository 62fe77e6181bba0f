using Orleans.Webhooks.Grains.Interfaces.Domain;

namespace Orleans.Webhooks.Grains.Domain;

/// <summary>
/// The first customer an event named for a payment or order, that event's key and when it was applied: the one event
/// with which the customer counts the object, so that a customer counts each of its payments and orders once without
/// keeping them all (its state keeps only the newest ids and the newest applied event keys).
/// </summary>
public sealed class CustomerNaming
{
    /// <summary>
    /// How long after the naming a repeat of its event still counts (a retry after the object wrote and before the
    /// customer did). The customer's own recent event keys make a repeat within it count once; a replay later does not
    /// count again.
    /// </summary>
    public static readonly TimeSpan CountWindow = TimeSpan.FromHours(1);

    public string CustomerId { get; set; } = "";
    public string EventKey { get; set; } = "";
    public DateTimeOffset At { get; set; }

    /// <summary>The naming after <paramref name="current"/>: the first one stays.</summary>
    public static CustomerNaming? Note(CustomerNaming? current, string? customerId, string eventKey, DateTimeOffset now) =>
        current is not null || string.IsNullOrEmpty(customerId) ? current : new CustomerNaming { CustomerId = customerId, EventKey = eventKey, At = now };

    /// <summary>The answer to an event: the customer, and the naming event's key while a repeat of it may still count.</summary>
    public static ApplyResult Result(CustomerNaming? naming, bool applied, DateTimeOffset now, PaymentSummary? payment = null) => new()
    {
        Applied = applied,
        CustomerId = naming?.CustomerId,
        CustomerEvent = naming is not null && (applied || now - naming.At < CountWindow) ? naming.EventKey : null,
        Payment = payment,
    };
}
