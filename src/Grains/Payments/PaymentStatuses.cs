namespace Orleans.Webhooks.Grains.Payments;

/// <summary>The statuses a payment's view shows, as its order reads them from the payment's summary.</summary>
public static class PaymentStatuses
{
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Refunded = "refunded";
    public const string PartiallyRefunded = "partially_refunded";
    public const string Disputed = "disputed";
    public const string ChargedBack = "charged_back";
}
