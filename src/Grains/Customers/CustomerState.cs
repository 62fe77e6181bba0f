using System.Text.Json.Serialization;
using Orleans.Webhooks.Grains.Domain;

namespace Orleans.Webhooks.Grains.Customers;

/// <summary>
/// Each field keeps the newest value any event gave it: an older update arriving late changes nothing. The payments and
/// orders that named the customer are kept as the newest <see cref="RecentIds.Limit"/> of each, with counts of all, so
/// the state stays bounded however many payments a customer makes.
/// </summary>
public sealed class CustomerState : DomainState
{
    public StampedValue? Email { get; set; }
    public StampedValue? Name { get; set; }

    /// <summary>Every payment id, in a state stored with unbounded id lists; moved into <see cref="RecentPayments"/> on first use and not written again.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SortedSet<string>? PaymentIds { get; set; }

    /// <summary>Every order id, in a state stored with unbounded id lists; moved into <see cref="RecentOrders"/> on first use and not written again.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SortedSet<string>? OrderIds { get; set; }

    /// <summary>The newest payments that named the customer, with the newest event time naming each.</summary>
    public Dictionary<string, DateTimeOffset> RecentPayments { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The newest orders that named the customer, with the newest event time naming each.</summary>
    public Dictionary<string, DateTimeOffset> RecentOrders { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every payment counted under the customer (each once: see <see cref="Interfaces.Domain.ApplyResult.CountsFor"/>).</summary>
    public long PaymentCount { get; set; }

    /// <summary>Every order counted under the customer.</summary>
    public long OrderCount { get; set; }

    /// <summary>The newest event time of anything that named the customer.</summary>
    public DateTimeOffset? LastActivityAt { get; set; }

    /// <summary>Moves the ids of unbounded id lists into the bounded ones, counting each.</summary>
    public void BoundIdLists()
    {
        if (PaymentIds is { } payments)
        {
            PaymentCount += payments.Count(id => RecentIds.Add(RecentPayments, id, UpdatedAt));
            PaymentIds = null;
        }
        if (OrderIds is { } orders)
        {
            OrderCount += orders.Count(id => RecentIds.Add(RecentOrders, id, UpdatedAt));
            OrderIds = null;
        }
    }
}
