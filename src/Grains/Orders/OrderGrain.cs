using Orleans.Runtime;
using Orleans.Webhooks.Grains.Directory;
using Orleans.Webhooks.Grains.Domain;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Payments;

namespace Orleans.Webhooks.Grains.Orders;

/// <summary>
/// Let go 200-400 ms after its last applied event (30 idle seconds when only read): the state is in PostgreSQL. Placed on the
/// silo of the router that first calls it, so that applying an event does not cross silos.
/// Its amounts are sums over its payments' summaries: every event of a payment it knows reaches it with that payment's
/// summary, and so does the event that makes the link known, so a refund, dispute or failure that names only the
/// payment changes the order too, in any order of arrival.
/// </summary>
[CollectionAgeLimit(ShortLivedGrain.AgeLimit)]
[Orleans.Placement.PreferLocalPlacement]
[Orleans.Concurrency.Reentrant] // events that arrive while it writes are applied in its next write (see DomainGrain)
internal sealed class OrderGrain([PersistentState(DomainKinds.Order, StorageNames.Domain)] IPersistentState<OrderState> state, DomainServices services)
    : DomainGrain<OrderState, OrderView>(state, DomainKinds.Order, services), IOrderGrain
{
    public const string Created = "created";
    public const string Paid = "paid";
    public const string PartiallyRefunded = "partially_refunded";
    public const string Refunded = "refunded";
    public const string Disputed = "disputed";
    public const string Cancelled = "cancelled";

    /// <summary>What Stripe's checkout session (payment_status) and Shopify's order (financial_status) say when paid.</summary>
    private const string ProviderPaid = "paid";

    public Task<ApplyResult> CreateAsync(WebhookEvent evt, PaymentSummary? payment) => ApplyAsync(evt, payment, () =>
    {
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
        NotePaidByProvider(evt);
    });

    public Task<ApplyResult> CancelAsync(WebhookEvent evt) => ApplyAsync(evt, null, () =>
    {
        var cancelled = new StampedValue { Value = evt.Type ?? "" }.StampedWith(evt);
        if (Stamp.IsNewer(cancelled.Stamp, State.Cancelled?.Stamp))
        {
            State.Cancelled = cancelled;
        }
    });

    public Task<ApplyResult> PaymentAsync(WebhookEvent evt, PaymentSummary payment) => ApplyAsync(evt, payment, () => NotePaidByProvider(evt));

    /// <summary>The event's own facts once, and the payment's summary when it is newer than the one the order has.</summary>
    private Task<ApplyResult> ApplyAsync(WebhookEvent evt, PaymentSummary? payment, Action apply) => ApplyAsync(evt, isNew =>
    {
        if (isNew)
        {
            apply();
            State.Customer = CustomerNaming.Note(State.Customer, evt.Details.CustomerId, evt.Key, Now);
        }
        var folded = payment is not null && Fold(payment);
        return isNew || folded;
    }, applied => CustomerNaming.Result(State.Customer, applied, Now));

    /// <summary>Keeps the payment's summary of the highest version: repeats and late arrivals of older ones change nothing.</summary>
    private bool Fold(PaymentSummary payment)
    {
        if (State.Payments.TryGetValue(payment.PaymentId, out var known) && known.Version >= payment.Version)
        {
            return false;
        }
        State.Payments[payment.PaymentId] = new OrderPayment
        {
            Version = payment.Version,
            Status = payment.Status,
            Completed = payment.Paid,
            Amount = payment.Amount,
            Currency = payment.Currency,
            RefundedAmount = payment.RefundedAmount,
            DisputedAmount = payment.DisputedAmount,
            UpdatedAt = payment.UpdatedAt,
        };
        if (payment.UpdatedAt > State.UpdatedAt)
        {
            State.UpdatedAt = payment.UpdatedAt;
        }
        return true;
    }

    private void NotePaidByProvider(WebhookEvent evt)
    {
        if (string.Equals(evt.Details.PaymentStatus, ProviderPaid, StringComparison.OrdinalIgnoreCase))
        {
            State.PaidByProvider = true;
        }
    }

    protected override string StatusOf(OrderView view) => view.Status;

    protected override OrderView? View((string Provider, string Id) key)
    {
        var created = State.Created;
        var payments = State.Payments.Values;
        var paid = payments.Where(p => p.Completed).Sum(p => p.Amount ?? 0m);
        if (paid == 0m && State.PaidByProvider)
        {
            paid = created?.Total ?? 0m;
        }
        var reported = payments.Sum(p => p.RefundedAmount) + RefundedWithoutSummaries();
        var refunded = paid > 0m ? Math.Min(reported, paid) : reported;
        var anyCompleted = State.PaidByProvider || payments.Any(p => p.Completed);
        var disputed = payments.Any(p => p.Status is PaymentStatuses.Disputed or PaymentStatuses.ChargedBack);
        var status = (State.Cancelled, disputed, refunded, anyCompleted) switch
        {
            ({ }, _, _, _) => Cancelled,
            (_, true, _, _) => Disputed,
            (_, _, > 0m, _) when paid > 0m && refunded >= paid => Refunded,
            (_, _, > 0m, _) => PartiallyRefunded,
            (_, _, _, true) => Paid,
            _ => Created,
        };
        return new OrderView
        {
            Provider = key.Provider,
            Id = key.Id,
            Status = status,
            Total = created?.Total,
            Currency = created?.Currency ?? payments.OrderBy(p => p.Version == 0).Select(p => p.Currency).FirstOrDefault(c => c is not null),
            CustomerId = created?.CustomerId,
            CreatedAt = State.CreatedAt ?? State.UpdatedAt,
            PaidAmount = paid,
            RefundedAmount = refunded,
            PaymentIds = [.. State.Payments.Keys.Order(StringComparer.Ordinal)],
            UpdatedAt = State.UpdatedAt,
        };
    }

    /// <summary>
    /// Refunds as a state stored without payment summaries keeps them: running totals of payments that have handed
    /// over no summary since, and increments while no payment has.
    /// </summary>
    private decimal RefundedWithoutSummaries()
    {
        var totals = State.RefundTotals.Where(t => !State.Payments.TryGetValue(t.Key, out var p) || p.Version == 0).Sum(t => t.Value);
        var increments = State.Payments.Values.Any(p => p.Version > 0) ? 0m : State.RefundIncrements.Values.Sum();
        return totals + increments;
    }
}
