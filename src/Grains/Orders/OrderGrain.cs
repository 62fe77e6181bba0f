using Orleans.Runtime;
using Orleans.Webhooks.Grains.Directory;
using Orleans.Webhooks.Grains.Domain;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Orders;

/// <summary>
/// Let go 200-400 ms after its last applied event (30 idle seconds when only read): the state is in PostgreSQL. Placed on the
/// silo of the router that first calls it, so that applying an event does not cross silos.
/// </summary>
[CollectionAgeLimit(ShortLivedGrain.AgeLimit)]
[Orleans.Placement.PreferLocalPlacement]
internal sealed class OrderGrain([PersistentState(DomainKinds.Order, StorageNames.Domain)] IPersistentState<OrderState> state)
    : DomainGrain<OrderState, OrderView>(state, DomainKinds.Order), IOrderGrain
{
    public const string Created = "created";
    public const string Paid = "paid";
    public const string PartiallyRefunded = "partially_refunded";
    public const string Refunded = "refunded";
    public const string Cancelled = "cancelled";

    /// <summary>What Stripe's checkout session (payment_status) and Shopify's order (financial_status) say when paid.</summary>
    private const string ProviderPaid = "paid";

    public Task<bool> CreateAsync(WebhookEvent evt) => ApplyOnceAsync(evt, () =>
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
        // A checkout session names the payment intent that pays it.
        Report(evt.Details.PaymentId, new OrderPayment { Implied = true }.StampedWith(evt));
    });

    public Task<bool> CancelAsync(WebhookEvent evt) => ApplyOnceAsync(evt, () =>
    {
        var cancelled = new StampedValue { Value = evt.Type ?? "" }.StampedWith(evt);
        if (Stamp.IsNewer(cancelled.Stamp, State.Cancelled?.Stamp))
        {
            State.Cancelled = cancelled;
        }
    });

    public Task<bool> PaymentAsync(WebhookEvent evt) => ApplyOnceAsync(evt, () =>
    {
        Report(evt.Details.ObjectId, new OrderPayment
        {
            Completed = evt.Type == EventTypes.PaymentCompleted,
            Amount = evt.Details.Amount,
            Currency = evt.Details.Currency,
        }.StampedWith(evt));
        NotePaidByProvider(evt);
    });

    public Task<bool> RefundAsync(WebhookEvent evt) => ApplyOnceAsync(evt, () =>
    {
        var details = evt.Details;
        var amount = details.Amount ?? 0m;
        if (details.AmountIsTotal)
        {
            var paymentId = details.PaymentId ?? "";
            State.RefundTotals[paymentId] = Math.Max(State.RefundTotals.GetValueOrDefault(paymentId), amount);
        }
        else
        {
            State.RefundIncrements[evt.Key] = amount;
        }
        // A refund implies that its payment completed; the payment's own event, when it comes, says more.
        Report(details.PaymentId, new OrderPayment { Implied = true, Completed = true, Amount = details.PaymentAmount, Currency = details.Currency }.StampedWith(evt));
    });

    /// <summary>
    /// Keeps, per payment, the strongest report by a total order (a payment's own event over what another event implies,
    /// a completion over a failure, then the newest), so the result is the same whatever order the reports came in.
    /// </summary>
    private void Report(string? paymentId, OrderPayment reported)
    {
        if (string.IsNullOrEmpty(paymentId))
        {
            return;
        }
        if (!State.Payments.TryGetValue(paymentId, out var known) || Rank(reported).CompareTo(Rank(known)) > 0)
        {
            State.Payments[paymentId] = reported;
        }
    }

    private static (bool Own, bool Completed, Stamp Stamp) Rank(OrderPayment payment) => (!payment.Implied, payment.Completed, payment.Stamp);

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
        var paid = State.Payments.Values.Where(p => p.Completed).Sum(p => p.Amount ?? 0m);
        if (paid == 0m && State.PaidByProvider)
        {
            paid = created?.Total ?? 0m;
        }
        var reported = State.RefundIncrements.Values.Sum() + State.RefundTotals.Values.Sum();
        var refunded = paid > 0m ? Math.Min(reported, paid) : reported;
        var anyCompleted = State.PaidByProvider || State.Payments.Values.Any(p => p.Completed);
        var status = (State.Cancelled, refunded, anyCompleted) switch
        {
            ({ }, _, _) => Cancelled,
            (_, > 0m, _) when paid > 0m && refunded >= paid => Refunded,
            (_, > 0m, _) => PartiallyRefunded,
            (_, _, true) => Paid,
            _ => Created,
        };
        return new OrderView
        {
            Provider = key.Provider,
            Id = key.Id,
            Status = status,
            Total = created?.Total,
            Currency = created?.Currency ?? State.Payments.Values.Select(p => p.Currency).FirstOrDefault(c => c is not null),
            CustomerId = created?.CustomerId,
            CreatedAt = State.CreatedAt ?? State.UpdatedAt,
            PaidAmount = paid,
            RefundedAmount = refunded,
            PaymentIds = [.. State.Payments.Keys.Order(StringComparer.Ordinal)],
            UpdatedAt = State.UpdatedAt,
        };
    }
}
