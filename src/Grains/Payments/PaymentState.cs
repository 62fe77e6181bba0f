using Orleans.Webhooks.Grains.Domain;

namespace Orleans.Webhooks.Grains.Payments;

/// <summary>
/// The facts events have told about a payment, kept so that the status is derived from them rather than from the order
/// in which they arrived.
/// </summary>
public sealed class PaymentState : DomainState
{
    /// <summary>The newest payment.completed.</summary>
    public PaymentFacts? Completed { get; set; }

    /// <summary>The newest payment.failed.</summary>
    public PaymentFacts? Failed { get; set; }

    /// <summary>What refunds said before the payment itself arrived (amount, currency), used until it does.</summary>
    public PaymentFacts? FromRefund { get; set; }

    /// <summary>Refunds that each add an amount, by event key.</summary>
    public Dictionary<string, decimal> RefundIncrements { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The highest running total of refunds reported (Stripe's amount_refunded).</summary>
    public decimal RefundedTotal { get; set; }

    /// <summary>The order an order event says this payment pays (a Stripe checkout session names its payment intent).</summary>
    public StampedValue? LinkedOrder { get; set; }
}

public sealed class PaymentFacts : Stamped
{
    public decimal? Amount { get; set; }
    public string? Currency { get; set; }
    public string? CustomerId { get; set; }
    public string? OrderId { get; set; }
}
