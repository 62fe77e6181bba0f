using Orleans.Runtime;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;

namespace Orleans.Webhooks.Grains.Domain;

/// <summary>
/// How long a payment, order or customer stays active after its last call. Most objects get a few events within
/// seconds and then none for days: letting go half a second after the last one (Orleans' activation collector does
/// it, at the silo's collection quantum of 250 ms) keeps the number of activations under a burst of new objects near
/// the rate times a fraction of a second, and an activation that lives across a gen0 collection (every 2-3 s under
/// load) is copied by it: with a 1 s lifetime the silo's pauses under load were 36-52 ms, with 200-400 ms mostly
/// 13-28 ms, and the slowest 1 % of answers wait for them. Events queued behind one another (fifty refunds of one
/// payment) are served by the same activation; a read after the release loads the state again from PostgreSQL.
/// An earlier version released each activation with its own 200 ms grain timer: thousands of timer ticks a second
/// under load, which the collector's buckets avoid.
/// </summary>
internal static class DomainActivations
{
    public const string IdleLimit = "00:00:00.5";
}

/// <summary>
/// Exactly-once application of events to a business object. The applied event's key and its effect are written in
/// one state write; an event whose key is already there changes nothing. Each subclass folds events into state so that
/// the result does not depend on their order.
/// </summary>
internal abstract class DomainGrain<TState, TView>(IPersistentState<TState> state) : Grain
    where TState : DomainState, new()
    where TView : class
{
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
        return true;
    }

    public Task<TView?> GetAsync() =>
        Task.FromResult(state.State.AppliedEvents.Count == 0 ? null : View(EventKey.Parse(this.GetPrimaryKeyString())));

    protected abstract void Apply(WebhookEvent evt);

    protected abstract TView? View((string Provider, string Id) key);
}
