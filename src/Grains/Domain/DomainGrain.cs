using Orleans.Runtime;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Domain;

/// <summary>
/// Exactly-once application of events to a business object. The applied event's key and its effect are written in
/// one state write; an event whose key is already there changes nothing. Each subclass folds events into state so that
/// the result does not depend on their order.
/// </summary>
internal abstract class DomainGrain<TState, TView>(IPersistentState<TState> state) : Grain
    where TState : DomainState, new()
    where TView : class
{
    /// <summary>The period of the release check: an object stays active one to two of these after its last applied event.</summary>
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(200);

    private IGrainTimer? _release;
    private bool _appliedSinceCheck;

    protected TState State => state.State;

    public async Task<bool> ApplyAsync(WebhookEvent evt)
    {
        if (state.State.AppliedEvents.Contains(evt.Key))
        {
            return false;
        }
        Apply(evt);
        state.State.AppliedEvents.Add(evt.Key);
        if (evt.OccurredAt > state.State.UpdatedAt)
        {
            state.State.UpdatedAt = evt.OccurredAt;
        }
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // The in-memory state is now ahead of storage: drop this activation so the retry starts from what was stored.
            DeactivateOnIdle();
            throw;
        }
        ReleaseWhenQuiet();
        return true;
    }

    public Task<TView?> GetAsync() =>
        Task.FromResult(state.State.AppliedEvents.Count == 0 ? null : View(EventKey.Parse(this.GetPrimaryKeyString())));

    /// <summary>
    /// Most objects get a few events within seconds and then none for days: let the activation go once no event has
    /// arrived for a <see cref="QuietPeriod"/> or two, rather than after the 30 s idle limit. Under a burst of new objects
    /// this keeps the number of activations (memory, and the runtime's per-activation bookkeeping) near the rate times
    /// a fraction of a second. Short matters: an activation that lives across a gen0 collection (every 2-3 s under load)
    /// is copied by it. With a 1 s period the silo's pauses under load were 36-52 ms, with 200 ms mostly 13-28 ms; the
    /// slowest 1 % of answers wait for them.
    /// Not at once after each event: events queued behind it (fifty refunds of one payment) would each be bounced to a
    /// fresh activation.
    /// </summary>
    private void ReleaseWhenQuiet()
    {
        _appliedSinceCheck = true;
        _release ??= this.RegisterGrainTimer(ReleaseIfQuiet, QuietPeriod, QuietPeriod);
    }

    private Task ReleaseIfQuiet(CancellationToken cancellationToken)
    {
        if (_appliedSinceCheck)
        {
            _appliedSinceCheck = false;
        }
        else
        {
            DeactivateOnIdle();
        }
        return Task.CompletedTask;
    }

    protected abstract void Apply(WebhookEvent evt);

    protected abstract TView? View((string Provider, string Id) key);
}
