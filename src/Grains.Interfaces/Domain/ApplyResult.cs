namespace Orleans.Webhooks.Grains.Interfaces.Domain;

/// <summary>
/// What a payment or order answers to an event, for the objects the dispatcher calls next: whether it applied the event
/// now, the customer it counts itself under (and which event first named that customer, the one event with which the
/// customer counts it), and for a payment its summary, which the dispatcher hands to its order.
/// </summary>
[GenerateSerializer, Immutable, Alias("webhooks.ApplyResult")]
public sealed record ApplyResult
{
    /// <summary>False when the object had applied the event before (it changed nothing then).</summary>
    [Id(0)] public bool Applied { get; init; }

    [Id(1)] public string? CustomerId { get; init; }

    /// <summary>The key of the event that first named <see cref="CustomerId"/> to this object.</summary>
    [Id(2)] public string? CustomerEvent { get; init; }

    /// <summary>A payment's summary as of this answer; null for an order.</summary>
    [Id(3)] public PaymentSummary? Payment { get; init; }

    /// <summary>Whether a customer named by <paramref name="eventKey"/> counts this object with that event.</summary>
    public bool CountsFor(string? customerId, string eventKey) =>
        customerId is { Length: > 0 } && customerId == CustomerId && eventKey == CustomerEvent;
}
