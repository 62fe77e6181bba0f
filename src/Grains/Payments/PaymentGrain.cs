using Orleans.Runtime;
using Orleans.Webhooks.Grains.Directory;
using Orleans.Webhooks.Grains.Domain;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Payments;

/// <summary>
/// Let go 200-400 ms after its last applied event (30 idle seconds when only read): the state is in PostgreSQL. Placed on the
/// silo of the router that first calls it, so that applying an event does not cross silos.
/// </summary>
[CollectionAgeLimit(ShortLivedGrain.AgeLimit)]
[Orleans.Placement.PreferLocalPlacement]
[Orleans.GrainDirectory.GrainDirectory(SiloLocalGrainDirectory.Name)]
internal sealed class PaymentGrain([PersistentState(DomainKinds.Payment, StorageNames.Domain)] IPersistentState<PaymentState> state)
    : DomainGrain<PaymentState, PaymentView>(state, DomainKinds.Payment), IPaymentGrain
{
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Refunded = "refunded";
    public const string PartiallyRefunded = "partially_refunded";

    public Task<bool> CompleteAsync(WebhookEvent evt) => ApplyOnceAsync(evt, () =>
    {
        var facts = Facts(evt);
        if (Stamp.IsNewer(facts.Stamp, State.Completed?.Stamp))
        {
            State.Completed = facts;
        }
    });

    public Task<bool> FailAsync(WebhookEvent evt) => ApplyOnceAsync(evt, () =>
    {
        var facts = Facts(evt);
        if (Stamp.IsNewer(facts.Stamp, State.Failed?.Stamp))
        {
            State.Failed = facts;
        }
    });

    public Task<bool> RefundAsync(WebhookEvent evt) => ApplyOnceAsync(evt, () => ApplyRefund(evt));

    public Task<bool> LinkOrderAsync(WebhookEvent evt) => ApplyOnceAsync(evt, () =>
    {
        var link = new StampedValue { Value = evt.Details.ObjectId ?? "" }.StampedWith(evt);
        if (link.Value.Length > 0 && Stamp.IsNewer(link.Stamp, State.LinkedOrder?.Stamp))
        {
            State.LinkedOrder = link;
        }
    });

    private void ApplyRefund(WebhookEvent evt)
    {
        var details = evt.Details;
        var amount = details.Amount ?? 0m;
        if (details.AmountIsTotal)
        {
            State.RefundedTotal = Math.Max(State.RefundedTotal, amount);
        }
        else
        {
            State.RefundIncrements[evt.Key] = amount;
        }
        var hint = new PaymentFacts
        {
            Amount = details.PaymentAmount,
            Currency = details.Currency,
            CustomerId = details.CustomerId,
            OrderId = details.OrderId,
        }.StampedWith(evt);
        if (State.FromRefund is null || (hint.Amount is not null && Stamp.IsNewer(hint.Stamp, State.FromRefund.Stamp)))
        {
            State.FromRefund = hint;
        }
    }

    private static PaymentFacts Facts(WebhookEvent evt) => new PaymentFacts
    {
        Amount = evt.Details.Amount,
        Currency = evt.Details.Currency,
        CustomerId = evt.Details.CustomerId,
        OrderId = evt.Details.OrderId,
    }.StampedWith(evt);

    protected override string StatusOf(PaymentView view) => view.Status;

    protected override PaymentView? View((string Provider, string Id) key)
    {
        PaymentFacts?[] sources = [State.Completed, State.Failed, State.FromRefund];
        if (sources.All(f => f is null) && State.RefundIncrements.Count == 0 && State.RefundedTotal == 0)
        {
            return null; // only linked by an order so far: nothing says what the payment is yet
        }
        var amount = sources.Select(f => f?.Amount).FirstOrDefault(a => a is not null);
        var reported = Math.Max(State.RefundIncrements.Values.Sum(), State.RefundedTotal);
        var refunded = amount is { } cap ? Math.Min(reported, cap) : reported;
        return new PaymentView
        {
            Provider = key.Provider,
            Id = key.Id,
            Status = Status(amount, refunded),
            Amount = amount,
            Currency = sources.Select(f => f?.Currency).FirstOrDefault(c => c is not null),
            RefundedAmount = refunded,
            CustomerId = sources.Select(f => f?.CustomerId).FirstOrDefault(c => c is not null),
            OrderId = sources.Select(f => f?.OrderId).FirstOrDefault(o => o is not null) ?? State.LinkedOrder?.Value,
            UpdatedAt = State.UpdatedAt,
        };
    }

    private string Status(decimal? amount, decimal refunded)
    {
        if (refunded > 0)
        {
            return amount is { } total && refunded >= total ? Refunded : PartiallyRefunded;
        }
        // Within one event time a success wins: a payment that succeeded does not fail afterwards (Stripe's, PayPal's
        // and Shopify's payments end there), and Stripe's times are whole seconds. Nothing but a refund of no known
        // amount: it refunds a payment that completed.
        return (State.Completed, State.Failed) switch
        {
            (null, { }) => Failed,
            ({ } completed, { } failed) when failed.At > completed.At => Failed,
            _ => Completed,
        };
    }
}
