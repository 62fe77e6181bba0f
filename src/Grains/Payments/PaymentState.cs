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

    /// <summary>What refunds and disputes said before the payment itself arrived (amount, currency), used until it does.</summary>
    public PaymentFacts? FromRefund { get; set; }

    /// <summary>Refunds that each add an amount, by refund id (by event key for a refund without an id).</summary>
    public Dictionary<string, decimal> RefundIncrements { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The highest running total of refunds reported (Stripe's amount_refunded), as states before <see cref="NewestTotal"/> kept it.</summary>
    public decimal RefundedTotal { get; set; }

    /// <summary>
    /// The newest running total of refunds reported (Stripe's amount_refunded): newest rather than highest, because the
    /// total goes down again when a refund fails.
    /// </summary>
    public StampedAmount? NewestTotal { get; set; }

    /// <summary>Refunds reported and then failed or cancelled, by refund id: they no longer count.</summary>
    public Dictionary<string, StampedAmount> FailedRefunds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Disputes opened (or updated while still open), by dispute id: the newest amount each was told with.</summary>
    public Dictionary<string, StampedAmount> DisputesOpened { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Disputes closed, by dispute id: the newest outcome (won or lost) and amount.</summary>
    public Dictionary<string, DisputeClosing> DisputesClosed { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The order an order event says this payment pays (a Stripe checkout session names its payment intent).</summary>
    public StampedValue? LinkedOrder { get; set; }

    /// <summary>The first customer an event named for the payment, with that event's key: the payment counts under it then.</summary>
    public CustomerNaming? Customer { get; set; }

    /// <summary>Counts the writes of this state: the version of the summary its order keeps (see <see cref="Interfaces.Domain.PaymentSummary"/>).</summary>
    public long Version { get; set; }
}

public sealed class PaymentFacts : Stamped
{
    public decimal? Amount { get; set; }
    public string? Currency { get; set; }
    public string? CustomerId { get; set; }
    public string? OrderId { get; set; }
}

/// <summary>An amount some event told, stamped with that event.</summary>
public sealed class StampedAmount : Stamped
{
    public decimal? Amount { get; set; }
}

public sealed class DisputeClosing : Stamped
{
    public string Outcome { get; set; } = "";
    public decimal? Amount { get; set; }
}
