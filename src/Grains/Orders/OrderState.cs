using Orleans.Webhooks.Grains.Domain;

namespace Orleans.Webhooks.Grains.Orders;

/// <summary>
/// The facts events have told about an order; its status and amounts are derived from them, so the result does not
/// depend on the order in which they arrived.
/// </summary>
public sealed class OrderState : DomainState
{
    /// <summary>The newest order.created (providers may send it more than once with different event ids).</summary>
    public OrderFacts? Created { get; set; }

    /// <summary>The earliest event time of any order.created: when the order was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>
    /// The order's payments, by payment id: the summary of the highest version each payment handed over (see
    /// <see cref="Interfaces.Domain.PaymentSummary"/>). Entries of version 0 are reports of a state stored without
    /// payment summaries (see <see cref="RefundTotals"/>).
    /// </summary>
    public Dictionary<string, OrderPayment> Payments { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Refunds that each add an amount, by event key, in a state stored without payment summaries.</summary>
    public Dictionary<string, decimal> RefundIncrements { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The highest running total of refunds per payment, in a state stored without payment summaries.</summary>
    public Dictionary<string, decimal> RefundTotals { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The provider said the order is paid (Stripe's checkout session payment_status, Shopify's financial_status).</summary>
    public bool PaidByProvider { get; set; }

    /// <summary>The provider said the order is cancelled.</summary>
    public StampedValue? Cancelled { get; set; }

    /// <summary>The first customer an event named for the order, with that event's key: the order counts under it then.</summary>
    public CustomerNaming? Customer { get; set; }
}

public sealed class OrderFacts : Stamped
{
    public decimal? Total { get; set; }
    public string? Currency { get; set; }
    public string? CustomerId { get; set; }
}

/// <summary>One payment of the order, as its latest summary told it.</summary>
public sealed class OrderPayment : Stamped
{
    /// <summary>Told by another event (a refund of it, an order naming it) rather than the payment's own (version-0 reports only).</summary>
    public bool Implied { get; set; }

    /// <summary>The money was received.</summary>
    public bool Completed { get; set; }
    public decimal? Amount { get; set; }
    public string? Currency { get; set; }

    /// <summary>The payment's version this summary is of; 0 for a report kept before summaries.</summary>
    public long Version { get; set; }

    /// <summary>The payment's status; null while nothing says what the payment is.</summary>
    public string? Status { get; set; }

    public decimal RefundedAmount { get; set; }
    public decimal DisputedAmount { get; set; }

    /// <summary>The newest event time among the payment's events.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
