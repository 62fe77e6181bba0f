using Orleans.Runtime;
using Orleans.Webhooks.Grains.Directory;
using Orleans.Webhooks.Grains.Domain;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Processing;

namespace Orleans.Webhooks.Grains.Customers;

/// <summary>
/// Let go 200-400 ms after its last applied event (30 idle seconds when only read): the state is in PostgreSQL. Placed on the
/// silo of the router that first calls it, so that applying an event does not cross silos.
/// </summary>
[CollectionAgeLimit(ShortLivedGrain.AgeLimit)]
[Orleans.Placement.PreferLocalPlacement]
[Orleans.Concurrency.Reentrant] // events that arrive while it writes are applied in its next write (see DomainGrain)
internal sealed class CustomerGrain([PersistentState(DomainKinds.Customer, StorageNames.Domain)] IPersistentState<CustomerState> state, DomainServices services)
    : DomainGrain<CustomerState, CustomerView>(state, DomainKinds.Customer, services), ICustomerGrain
{
    /// <summary>
    /// Every effect on a customer but its counts is idempotent and independent of order (newest values, newest ids,
    /// latest activity), and a count is added by one event per payment or order, whose repeats come within minutes
    /// (see <see cref="CustomerNaming.CountWindow"/>): the newest applied keys are enough, and keep the state bounded
    /// however many events name the customer.
    /// </summary>
    public const int AppliedKeysKept = 200;

    protected override int? MaxAppliedKeys => AppliedKeysKept;

    public Task<bool> UpdateAsync(WebhookEvent evt) => ApplyOnceAsync(evt, () =>
    {
        State.BoundIdLists();
        State.Email = Newest(State.Email, evt.Details.Email, evt);
        State.Name = Newest(State.Name, evt.Details.Name, evt);
        Touch(evt);
    });

    public Task<bool> NamedAsync(WebhookEvent evt, bool countsPayment, bool countsOrder) => ApplyOnceAsync(evt, () =>
    {
        State.BoundIdLists();
        var (paymentId, orderId) = EventObjects.PaymentAndOrderOf(evt);
        if (!string.IsNullOrEmpty(paymentId))
        {
            RecentIds.Add(State.RecentPayments, paymentId, evt.OccurredAt);
            State.PaymentCount += countsPayment ? 1 : 0;
        }
        if (!string.IsNullOrEmpty(orderId))
        {
            RecentIds.Add(State.RecentOrders, orderId, evt.OccurredAt);
            State.OrderCount += countsOrder ? 1 : 0;
        }
        Touch(evt);
    });

    private void Touch(WebhookEvent evt)
    {
        if (State.LastActivityAt is null || evt.OccurredAt > State.LastActivityAt)
        {
            State.LastActivityAt = evt.OccurredAt;
        }
    }

    private static StampedValue? Newest(StampedValue? current, string? value, WebhookEvent evt)
    {
        if (value is null || !Stamp.IsNewer(Stamp.Of(evt), current?.Stamp))
        {
            return current;
        }
        return new StampedValue { Value = value }.StampedWith(evt);
    }

    protected override string? StatusOf(CustomerView view) => null;

    protected override CustomerView View((string Provider, string Id) key) => new()
    {
        Provider = key.Provider,
        Id = key.Id,
        Email = State.Email?.Value,
        Name = State.Name?.Value,
        UpdatedAt = State.UpdatedAt,
        PaymentIds = State.PaymentIds is { } unboundedPayments ? [.. unboundedPayments] : RecentIds.InIdOrder(State.RecentPayments),
        OrderIds = State.OrderIds is { } unboundedOrders ? [.. unboundedOrders] : RecentIds.InIdOrder(State.RecentOrders),
        LastActivityAt = State.LastActivityAt,
        PaymentCount = State.PaymentIds?.Count ?? State.PaymentCount,
        OrderCount = State.OrderIds?.Count ?? State.OrderCount,
    };
}
