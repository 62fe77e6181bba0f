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

    /// <summary>Payments that named the order, by payment id: the newest completion or failure each reported.</summary>
    public Dictionary<string, OrderPayment> Payments { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Refunds that each add an amount, by event key.</summary>
    public Dictionary<string, decimal> RefundIncrements { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The highest running total of refunds reported per payment (Stripe's amount_refunded).</summary>
    public Dictionary<string, decimal> RefundTotals { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The provider said the order is paid (Stripe's checkout session payment_status, Shopify's financial_status).</summary>
    public bool PaidByProvider { get; set; }

    /// <summary>The provider said the order is cancelled.</summary>
    public StampedValue? Cancelled { get; set; }
}

public sealed class OrderFacts : Stamped
{
    public decimal? Total { get; set; }
    public string? Currency { get; set; }
    public string? CustomerId { get; set; }
}

public sealed class OrderPayment : Stamped
{
    /// <summary>Told by another event (a refund of it, an order naming it) rather than the payment's own.</summary>
    public bool Implied { get; set; }

    public bool Completed { get; set; }
    public decimal? Amount { get; set; }
    public string? Currency { get; set; }
}
