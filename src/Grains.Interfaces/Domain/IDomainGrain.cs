using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Interfaces.Domain;

/// <summary>
/// A business object that events change. Each method applies one event once (keyed by the event): a repeat changes
/// nothing and answers that it had applied it before.
/// </summary>
public interface IDomainGrain<TView> : IGrainWithStringKey
{
    /// <summary>The current state; null when no event has created it.</summary>
    Task<TView?> GetAsync();
}

/// <summary>
/// Keyed "{provider}:{paymentId}". Every method answers with the payment's summary (also for a repeat, so a retried
/// event hands its order the payment's facts again) and the order it knows.
/// </summary>
public interface IPaymentGrain : IDomainGrain<PaymentView>
{
    Task<ApplyResult> CompleteAsync(WebhookEvent evt);

    Task<ApplyResult> FailAsync(WebhookEvent evt);

    Task<ApplyResult> RefundAsync(WebhookEvent evt);

    /// <summary>A refund reported before failed or was cancelled.</summary>
    Task<ApplyResult> RefundFailedAsync(WebhookEvent evt);

    Task<ApplyResult> DisputeOpenedAsync(WebhookEvent evt);

    Task<ApplyResult> DisputeClosedAsync(WebhookEvent evt);

    /// <summary>An order event names this payment (a Stripe checkout session names its payment intent).</summary>
    Task<ApplyResult> LinkOrderAsync(WebhookEvent evt);
}

/// <summary>Keyed "{provider}:{orderId}".</summary>
public interface IOrderGrain : IDomainGrain<OrderView>
{
    /// <summary>The order event; <paramref name="payment"/> is the summary of the payment it names, if it names one.</summary>
    Task<ApplyResult> CreateAsync(WebhookEvent evt, PaymentSummary? payment);

    Task<ApplyResult> CancelAsync(WebhookEvent evt);

    /// <summary>
    /// An event of one of the order's payments (completed, failed, refunded, disputed, or a refund failed), with that
    /// payment's summary after it: the event's own facts apply once, the summary replaces an older one of the payment.
    /// </summary>
    Task<ApplyResult> PaymentAsync(WebhookEvent evt, PaymentSummary payment);
}

/// <summary>Keyed "{provider}:{customerId}".</summary>
public interface ICustomerGrain : IDomainGrain<CustomerView>
{
    Task<bool> UpdateAsync(WebhookEvent evt);

    /// <summary>
    /// A payment, refund, dispute or order event names this customer. <paramref name="countsPayment"/> and
    /// <paramref name="countsOrder"/> say whether this event is the one with which the payment or order it names counts
    /// itself under this customer (<see cref="ApplyResult.CountsFor"/>): each is counted once, however many of its
    /// events name the customer, and whether or not it is still among the newest ids the customer keeps.
    /// </summary>
    Task<bool> NamedAsync(WebhookEvent evt, bool countsPayment, bool countsOrder);
}
