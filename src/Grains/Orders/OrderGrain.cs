using Orleans.Runtime;
using Orleans.Webhooks.Grains.Domain;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Orders;

/// <summary>
/// Let go 200-400 ms after its last applied event (30 idle seconds when only read): the state is in PostgreSQL. Placed on the
/// silo of the router that first calls it, so that applying an event does not cross silos.
/// </summary>
[CollectionAgeLimit("00:00:30")]
[Orleans.Placement.PreferLocalPlacement]
internal sealed class OrderGrain([PersistentState("order", StorageNames.Domain)] IPersistentState<OrderState> state)
    : DomainGrain<OrderState, OrderView>(state), IOrderGrain
{
    public const string Created = "created";

    protected override void Apply(WebhookEvent evt)
    {
        if (evt.Type != EventTypes.OrderCreated)
        {
            return;
        }
        var facts = new OrderFacts
        {
            Total = evt.Details.Amount,
            Currency = evt.Details.Currency,
            CustomerId = evt.Details.CustomerId,
        }.StampedWith(evt);
        if (Stamp.IsNewer(facts.Stamp, State.Created?.Stamp))
        {
            State.Created = facts;
        }
        if (State.CreatedAt is null || evt.OccurredAt < State.CreatedAt)
        {
            State.CreatedAt = evt.OccurredAt;
        }
    }

    protected override OrderView? View((string Provider, string Id) key) => State.Created is not { } created ? null : new OrderView
    {
        Provider = key.Provider,
        Id = key.Id,
        Status = Created,
        Total = created.Total,
        Currency = created.Currency,
        CustomerId = created.CustomerId,
        CreatedAt = State.CreatedAt ?? created.At,
    };
}
