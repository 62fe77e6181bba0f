namespace Orleans.Webhooks.Grains.Interfaces.Ingestion;

/// <summary>The internal event types the processing side understands.</summary>
public static class EventTypes
{
    public const string PaymentCompleted = "payment.completed";
    public const string PaymentFailed = "payment.failed";
    public const string RefundProcessed = "refund.processed";
    public const string OrderCreated = "order.created";
    public const string CustomerUpdated = "customer.updated";
    public const string OrderCancelled = "order.cancelled";

    /// <summary>A dispute (chargeback) of a payment was opened; the payment is disputed while it is open.</summary>
    public const string DisputeOpened = "dispute.opened";

    /// <summary>A dispute was closed: <see cref="EventDetails.Outcome"/> says won (the money stays) or lost (charged back).</summary>
    public const string DisputeClosed = "dispute.closed";

    /// <summary>A refund reported before failed or was cancelled: it no longer counts.</summary>
    public const string RefundFailed = "refund.failed";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        PaymentCompleted, PaymentFailed, RefundProcessed, OrderCreated, CustomerUpdated, OrderCancelled,
        DisputeOpened, DisputeClosed, RefundFailed,
    };
}
