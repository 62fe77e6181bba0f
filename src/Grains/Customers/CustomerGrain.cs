using Orleans.Runtime;
using Orleans.Webhooks.Grains.Domain;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Customers;

/// <summary>
/// Let go 200-400 ms after its last applied event (30 idle seconds when only read): the state is in PostgreSQL. Placed on the
/// silo of the router that first calls it, so that applying an event does not cross silos.
/// </summary>
[CollectionAgeLimit("00:00:30")]
[Orleans.Placement.PreferLocalPlacement]
internal sealed class CustomerGrain([PersistentState("customer", StorageNames.Domain)] IPersistentState<CustomerState> state)
    : DomainGrain<CustomerState, CustomerView>(state), ICustomerGrain
{
    protected override void Apply(WebhookEvent evt)
    {
        if (evt.Type != EventTypes.CustomerUpdated)
        {
            return;
        }
        State.Email = Newest(State.Email, evt.Details.Email, evt);
        State.Name = Newest(State.Name, evt.Details.Name, evt);
    }

    private static StampedValue? Newest(StampedValue? current, string? value, WebhookEvent evt)
    {
        if (value is null || !Stamp.IsNewer(Stamp.Of(evt), current?.Stamp))
        {
            return current;
        }
        return new StampedValue { Value = value }.StampedWith(evt);
    }

    protected override CustomerView View((string Provider, string Id) key) => new()
    {
        Provider = key.Provider,
        Id = key.Id,
        Email = State.Email?.Value,
        Name = State.Name?.Value,
        UpdatedAt = State.UpdatedAt,
    };
}
