using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Interfaces.Domain;

/// <summary>A business object that events change. Applying an event it has already applied changes nothing.</summary>
public interface IDomainGrain<TView> : IGrainWithStringKey
{
    /// <summary>Applies the event once; returns false when it had been applied before.</summary>
    Task<bool> ApplyAsync(WebhookEvent evt);

    /// <summary>The current state; null when no event has created it.</summary>
    Task<TView?> GetAsync();
}

/// <summary>Keyed "{provider}:{paymentId}".</summary>
public interface IPaymentGrain : IDomainGrain<PaymentView>;

/// <summary>Keyed "{provider}:{orderId}".</summary>
public interface IOrderGrain : IDomainGrain<OrderView>;

/// <summary>Keyed "{provider}:{customerId}".</summary>
public interface ICustomerGrain : IDomainGrain<CustomerView>;
