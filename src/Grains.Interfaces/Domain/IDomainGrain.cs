using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Interfaces.Domain;

/// <summary>
/// A business object that events change. Each method applies one event once (keyed by the event): it returns false
/// when the object had applied that event before, and changes nothing then.
/// </summary>
public interface IDomainGrain<TView> : IGrainWithStringKey
{
    /// <summary>The current state; null when no event has created it.</summary>
    Task<TView?> GetAsync();
}

/// <summary>Keyed "{provider}:{paymentId}".</summary>
public interface IPaymentGrain : IDomainGrain<PaymentView>
{
    Task<bool> CompleteAsync(WebhookEvent evt);

    Task<bool> FailAsync(WebhookEvent evt);

    Task<bool> RefundAsync(WebhookEvent evt);

    /// <summary>An order event names this payment (a Stripe checkout session names its payment intent).</summary>
    Task<bool> LinkOrderAsync(WebhookEvent evt);
}

/// <summary>Keyed "{provider}:{orderId}".</summary>
public interface IOrderGrain : IDomainGrain<OrderView>
{
    Task<bool> CreateAsync(WebhookEvent evt);

    Task<bool> CancelAsync(WebhookEvent evt);

    /// <summary>A payment event (completed or failed) names this order.</summary>
    Task<bool> PaymentAsync(WebhookEvent evt);

    /// <summary>A refund names this order.</summary>
    Task<bool> RefundAsync(WebhookEvent evt);
}

/// <summary>Keyed "{provider}:{customerId}".</summary>
public interface ICustomerGrain : IDomainGrain<CustomerView>
{
    Task<bool> UpdateAsync(WebhookEvent evt);

    /// <summary>A payment, refund or order event names this customer.</summary>
    Task<bool> NamedAsync(WebhookEvent evt);
}
