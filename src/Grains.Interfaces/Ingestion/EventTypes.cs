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

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        PaymentCompleted, PaymentFailed, RefundProcessed, OrderCreated, CustomerUpdated, OrderCancelled,
    };
}
