using Orleans.Runtime;
using Orleans.Webhooks.Grains.Directory;
using Orleans.Webhooks.Grains.Domain;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Customers;

/// <summary>
/// Let go 200-400 ms after its last applied event (30 idle seconds when only read): the state is in PostgreSQL. Placed on the
/// silo of the router that first calls it, so that applying an event does not cross silos.
/// </summary>
[CollectionAgeLimit(ShortLivedGrain.AgeLimit)]
[Orleans.Placement.PreferLocalPlacement]
internal sealed class CustomerGrain([PersistentState(DomainKinds.Customer, StorageNames.Domain)] IPersistentState<CustomerState> state)
    : DomainGrain<CustomerState, CustomerView>(state, DomainKinds.Customer), ICustomerGrain
{

    public Task<bool> UpdateAsync(WebhookEvent evt) => ApplyOnceAsync(evt, () =>
    {
        State.Email = Newest(State.Email, evt.Details.Email, evt);
        State.Name = Newest(State.Name, evt.Details.Name, evt);
        Touch(evt);
    });

    public Task<bool> NamedAsync(WebhookEvent evt) => ApplyOnceAsync(evt, () =>
    {
        var details = evt.Details;
        switch (evt.Type)
        {
            case EventTypes.OrderCreated or EventTypes.OrderCancelled:
                Add(State.OrderIds, details.ObjectId);
                break;
            case EventTypes.RefundProcessed:
                Add(State.PaymentIds, details.PaymentId);
                Add(State.OrderIds, details.OrderId);
                break;
            default:
                Add(State.PaymentIds, details.ObjectId);
                Add(State.OrderIds, details.OrderId);
                break;
        }
        Touch(evt);
    });

    private static void Add(SortedSet<string> ids, string? id)
    {
        if (!string.IsNullOrEmpty(id))
        {
            ids.Add(id);
        }
    }

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
        PaymentIds = [.. State.PaymentIds],
        OrderIds = [.. State.OrderIds],
        LastActivityAt = State.LastActivityAt,
    };
}
