using Orleans.Runtime;
using Orleans.Webhooks.Grains.Directory;
using Orleans.Webhooks.Grains.Domain;
using Orleans.Webhooks.Grains.Interfaces.Domain;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Payments;

/// <summary>
/// Let go 200-400 ms after its last applied event (30 idle seconds when only read): the state is in PostgreSQL. Placed on the
/// silo of the router that first calls it, so that applying an event does not cross silos.
/// Every answer carries the payment's summary and the order it knows, also for an event applied before: the dispatcher
/// hands it to the order, so an order that missed it (the process stopped between this write and the order's) gets it
/// when the event is retried.
/// </summary>
[CollectionAgeLimit(ShortLivedGrain.AgeLimit)]
[Orleans.Placement.PreferLocalPlacement]
[Orleans.GrainDirectory.GrainDirectory(SiloLocalGrainDirectory.Name)]
[Orleans.Concurrency.Reentrant] // events that arrive while it writes are applied in its next write (see DomainGrain)
internal sealed class PaymentGrain([PersistentState(DomainKinds.Payment, StorageNames.Domain)] IPersistentState<PaymentState> state, DomainServices services)
    : DomainGrain<PaymentState, PaymentView>(state, DomainKinds.Payment, services), IPaymentGrain
{
    public Task<ApplyResult> CompleteAsync(WebhookEvent evt) => ApplyAsync(evt, () =>
    {
        var facts = Facts(evt);
        if (Stamp.IsNewer(facts.Stamp, State.Completed?.Stamp))
        {
            State.Completed = facts;
        }
    });

    public Task<ApplyResult> FailAsync(WebhookEvent evt) => ApplyAsync(evt, () =>
    {
        var facts = Facts(evt);
        if (Stamp.IsNewer(facts.Stamp, State.Failed?.Stamp))
        {
            State.Failed = facts;
        }
    });

    public Task<ApplyResult> RefundAsync(WebhookEvent evt) => ApplyAsync(evt, () =>
    {
        var details = evt.Details;
        if (details.AmountIsTotal)
        {
            var amount = details.Amount ?? 0m;
            State.RefundedTotal = Math.Max(State.RefundedTotal, amount);
            var total = new StampedAmount { Amount = amount }.StampedWith(evt);
            if (Stamp.IsNewer(total.Stamp, State.NewestTotal?.Stamp))
            {
                State.NewestTotal = total;
            }
        }
        else
        {
            State.RefundIncrements[RefundKey(evt)] = details.Amount ?? 0m;
        }
        NoteFromOtherEvent(evt);
    });

    public Task<ApplyResult> RefundFailedAsync(WebhookEvent evt) => ApplyAsync(evt, () =>
    {
        var failed = new StampedAmount { Amount = evt.Details.Amount }.StampedWith(evt);
        var key = RefundKey(evt);
        if (!State.FailedRefunds.TryGetValue(key, out var known) || Stamp.IsNewer(failed.Stamp, known.Stamp))
        {
            State.FailedRefunds[key] = failed;
        }
    });

    public Task<ApplyResult> DisputeOpenedAsync(WebhookEvent evt) => ApplyAsync(evt, () => OpenDispute(evt));

    public Task<ApplyResult> DisputeClosedAsync(WebhookEvent evt) => ApplyAsync(evt, () =>
    {
        if (evt.Details.Outcome is not (DisputeOutcomes.Won or DisputeOutcomes.Lost) || string.IsNullOrEmpty(evt.Details.ObjectId))
        {
            // An update that does not end the dispute (Shopify's disputes/update while under review) says it is open.
            OpenDispute(evt);
            return;
        }
        var closing = new DisputeClosing { Outcome = evt.Details.Outcome, Amount = evt.Details.Amount }.StampedWith(evt);
        if (!State.DisputesClosed.TryGetValue(evt.Details.ObjectId, out var known) || Stamp.IsNewer(closing.Stamp, known.Stamp))
        {
            State.DisputesClosed[evt.Details.ObjectId] = closing;
        }
        NoteFromOtherEvent(evt);
    });

    public Task<ApplyResult> LinkOrderAsync(WebhookEvent evt) => ApplyAsync(evt, () =>
    {
        var link = new StampedValue { Value = evt.Details.ObjectId ?? "" }.StampedWith(evt);
        if (link.Value.Length > 0 && Stamp.IsNewer(link.Stamp, State.LinkedOrder?.Stamp))
        {
            State.LinkedOrder = link;
        }
    });

    /// <summary>Applies the event once (with a new version of the state) and answers with the summary either way.</summary>
    private Task<ApplyResult> ApplyAsync(WebhookEvent evt, Action apply) => ApplyAsync(evt, isNew =>
    {
        if (isNew)
        {
            apply();
            if (evt.Type != EventTypes.OrderCreated)
            {
                State.Customer = CustomerNaming.Note(State.Customer, evt.Details.CustomerId, evt.Key, Now);
            }
            State.Version++;
        }
        return isNew;
    }, applied =>
    {
        var view = CurrentView();
        return CustomerNaming.Result(State.Customer, applied, Now, new PaymentSummary
        {
            PaymentId = EventKey.Parse(this.GetPrimaryKeyString()).Id,
            Version = State.Version,
            Status = view?.Status,
            Amount = view?.Amount,
            Currency = view?.Currency,
            RefundedAmount = view?.RefundedAmount ?? 0m,
            DisputedAmount = view?.DisputedAmount ?? 0m,
            OrderId = OrderId,
            UpdatedAt = State.UpdatedAt,
            Paid = view is not null && view.Status != PaymentStatuses.Failed,
        });
    });

    private void OpenDispute(WebhookEvent evt)
    {
        var opened = new StampedAmount { Amount = evt.Details.Amount }.StampedWith(evt);
        var id = evt.Details.ObjectId is { Length: > 0 } disputeId ? disputeId : evt.Key;
        if (!State.DisputesOpened.TryGetValue(id, out var known) || Stamp.IsNewer(opened.Stamp, known.Stamp))
        {
            State.DisputesOpened[id] = opened;
        }
        NoteFromOtherEvent(evt);
    }

    /// <summary>A refund's or dispute's own id, which a later failure of it names; the event's key when it has none.</summary>
    private static string RefundKey(WebhookEvent evt) => evt.Details.ObjectId is { Length: > 0 } id ? id : evt.Key;

    /// <summary>What a refund or dispute says of the payment (its amount, currency, customer, order), used until the payment's own event does.</summary>
    private void NoteFromOtherEvent(WebhookEvent evt)
    {
        var details = evt.Details;
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

    private PaymentFacts?[] Sources => [State.Completed, State.Failed, State.FromRefund];

    /// <summary>The order the payment's own events name, else the one an order event linked it to.</summary>
    private string? OrderId => Sources.Select(f => f?.OrderId).FirstOrDefault(o => !string.IsNullOrEmpty(o)) ?? State.LinkedOrder?.Value;

    protected override string StatusOf(PaymentView view) => view.Status;

    protected override PaymentView? View((string Provider, string Id) key)
    {
        var sources = Sources;
        if (sources.All(f => f is null) && State.RefundIncrements.Count == 0 && State.RefundedTotal == 0
            && State.NewestTotal is null && State.FailedRefunds.Count == 0)
        {
            return null; // only linked by an order so far: nothing says what the payment is yet
        }
        var amount = sources.Select(f => f?.Amount).FirstOrDefault(a => a is not null);
        var reported = Math.Max(RefundedByIncrements() + RefundedByTotal(), 0m);
        var refunded = amount is { } cap ? Math.Min(reported, cap) : reported;
        var (open, lost, disputed) = Disputes();
        return new PaymentView
        {
            Provider = key.Provider,
            Id = key.Id,
            Status = lost ? PaymentStatuses.ChargedBack : open ? PaymentStatuses.Disputed : Status(amount, refunded),
            Amount = amount,
            Currency = sources.Select(f => f?.Currency).FirstOrDefault(c => c is not null),
            RefundedAmount = refunded,
            CustomerId = sources.Select(f => f?.CustomerId).FirstOrDefault(c => c is not null),
            OrderId = OrderId,
            UpdatedAt = State.UpdatedAt,
            DisputedAmount = disputed,
        };
    }

    /// <summary>Refunds that add up, less those that failed after.</summary>
    private decimal RefundedByIncrements() =>
        State.RefundIncrements.Where(r => !State.FailedRefunds.ContainsKey(r.Key)).Sum(r => r.Value);

    /// <summary>
    /// The newest running total, less the refunds that failed after it was reported: a total reported after a failure
    /// already leaves the failed refund out.
    /// </summary>
    private decimal RefundedByTotal()
    {
        var newest = State.NewestTotal;
        var total = newest?.Amount ?? State.RefundedTotal;
        var failedSince = State.FailedRefunds
            .Where(f => !State.RefundIncrements.ContainsKey(f.Key) && (newest is null || f.Value.Stamp.CompareTo(newest.Stamp) > 0))
            .Sum(f => f.Value.Amount ?? 0m);
        return Math.Max(total - failedSince, 0m);
    }

    /// <summary>Whether a dispute is open, whether one was lost, and the amount of those open or lost.</summary>
    private (bool Open, bool Lost, decimal Amount) Disputes()
    {
        var (open, lost, amount) = (false, false, 0m);
        foreach (var id in State.DisputesOpened.Keys.Union(State.DisputesClosed.Keys))
        {
            State.DisputesOpened.TryGetValue(id, out var opened);
            State.DisputesClosed.TryGetValue(id, out var closed);
            if (closed?.Outcome == DisputeOutcomes.Won)
            {
                continue;
            }
            lost |= closed is not null;
            open |= closed is null;
            amount += closed?.Amount ?? opened?.Amount ?? 0m;
        }
        return (open, lost, amount);
    }

    private string Status(decimal? amount, decimal refunded)
    {
        if (refunded > 0)
        {
            return amount is { } total && refunded >= total ? PaymentStatuses.Refunded : PaymentStatuses.PartiallyRefunded;
        }
        // Within one event time a success wins: a payment that succeeded does not fail afterwards (Stripe's, PayPal's
        // and Shopify's payments end there), and Stripe's times are whole seconds. Nothing but a refund of no known
        // amount: it refunds a payment that completed.
        return (State.Completed, State.Failed) switch
        {
            (null, { }) => PaymentStatuses.Failed,
            ({ } completed, { } failed) when failed.At > completed.At => PaymentStatuses.Failed,
            _ => PaymentStatuses.Completed,
        };
    }
}
