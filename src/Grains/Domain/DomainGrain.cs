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
        // Done until its next event, which may be days away: let the activation go now rather than after the idle limit.
        // Under a burst of new objects this keeps the number of activations (and the memory, and the runtime's
        // per-activation bookkeeping) near the number of events in flight instead of the rate times the idle limit.
        DeactivateOnIdle();
        return true;
    }

    public Task<TView?> GetAsync() =>
        Task.FromResult(state.State.AppliedEvents.Count == 0 ? null : View(EventKey.Parse(this.GetPrimaryKeyString())));

    protected abstract void Apply(WebhookEvent evt);

    protected abstract TView? View((string Provider, string Id) key);
}
