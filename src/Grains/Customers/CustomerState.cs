using Orleans.Webhooks.Grains.Domain;

namespace Orleans.Webhooks.Grains.Customers;

/// <summary>Each field keeps the newest value any event gave it: an older update arriving late changes nothing.</summary>
public sealed class CustomerState : DomainState
{
    public StampedValue? Email { get; set; }
    public StampedValue? Name { get; set; }

    /// <summary>Payments that named the customer.</summary>
    public SortedSet<string> PaymentIds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Orders that named the customer.</summary>
    public SortedSet<string> OrderIds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The newest event time of anything that named the customer.</summary>
    public DateTimeOffset? LastActivityAt { get; set; }
}
