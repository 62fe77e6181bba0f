using System.Text.Json;
using Orleans.Runtime;
using Orleans.Webhooks.Grains.Interfaces.Ingestion;
using Orleans.Webhooks.Grains.Retention;
using Orleans.Webhooks.Grains.ChangeLog;

namespace Orleans.Webhooks.Grains.Domain;

/// <summary>
/// Exactly-once application of events to a business object. The applied event's key and its effect are written in
/// one state write; an event whose key is already there changes nothing. Each subclass folds events into state so that
/// the result does not depend on their order, and derives its view from that state. A write that changes the view
/// carries the change, which the storage appends to the change log in the same commit. The keys of applied events are
/// kept for the event retention (<see cref="RetentionOptions.Events"/>), as long as the events themselves.
/// </summary>
internal abstract class DomainGrain<TState, TView>(IPersistentState<TState> state, string kind, DomainServices services) : Grain
    where TState : DomainState, new()
    where TView : class
{
    /// <summary>Views as the management API shows them (camelCase), which is also how the change log and pushes carry them.</summary>
    internal static readonly JsonSerializerOptions ViewJson = new(JsonSerializerDefaults.Web);

    /// <summary>True until the activation's first call: the state is then as Orleans just read it on activation.</summary>
    private bool _justRead = true;

    /// <summary>The view of the state as it is in memory, while <see cref="_viewIsCurrent"/> (see <see cref="CurrentView"/>).</summary>
    private TView? _view;

    private bool _viewIsCurrent;

    protected TState State => state.State;

    /// <summary>The most applied event keys the object keeps (besides the retention); null for no limit.</summary>
    protected virtual int? MaxAppliedKeys => null;

    protected DateTimeOffset Now => services.Time.GetUtcNow();

    /// <summary>Applies <paramref name="apply"/> for the event unless the object has applied the event before.</summary>
    protected Task<bool> ApplyOnceAsync(WebhookEvent evt, Action apply) => ApplyAsync(evt, isNew =>
    {
        if (isNew)
        {
            apply();
        }
        return isNew;
    });

    /// <summary>
    /// Folds the event into the state: <paramref name="fold"/> is told whether the object sees the event for the first
    /// time and answers whether it changed the state. A first sight is recorded with its effect in one write; a repeat
    /// may still change the state when it carries facts that replace older ones whatever their number (the summary of a
    /// payment of higher version), and changes nothing otherwise. Returns whether the state was written.
    /// </summary>
    protected async Task<bool> ApplyAsync(WebhookEvent evt, Func<bool, bool> fold)
    {
        _justRead = false;
        var isNew = !state.State.HasApplied(evt.Key);
        var key = Key;
        // A format 1 state has no view hash (see DomainState): the view as it was is serialised once, here.
        var before = state.State.ViewHash ?? ViewHashes.Of(Serialize(View(key)));
        _viewIsCurrent = false;
        if (!fold(isNew))
        {
            return false;
        }
        var now = services.Time.GetUtcNow();
        if (isNew)
        {
            state.State.RecordApplied(evt.Key, now);
        }
        state.State.TrimApplied(now - services.Retention.Events, MaxAppliedKeys);
        if (evt.OccurredAt > state.State.UpdatedAt)
        {
            state.State.UpdatedAt = evt.OccurredAt;
        }
        var view = CurrentView();
        var json = Serialize(view);
        var after = ViewHashes.Of(json);
        state.State.ViewHash = after;
        state.State.PendingChange = json is not null && after != before
            ? new ViewChange(kind, key.Provider, key.Id, StatusOf(view!), json, state.State.UpdatedAt, evt.Key, evt.Type)
            : null;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // The in-memory state is now ahead of storage: drop this activation so the retry starts from what was stored.
            state.State.PendingChange = null;
            DeactivateOnIdle();
            throw;
        }
        state.State.PendingChange = null;
        services.Quiet.Applied(GrainContext);
        return true;
    }

    /// <summary>
    /// The view of the stored state: read again first, because a copy of this object on another silo may have applied
    /// events since this activation read it (see <see cref="Directory.SiloLocalGrainDirectory"/>), unless the
    /// activation has just read it (a read of an object nobody holds active, the usual case).
    /// </summary>
    public async Task<TView?> GetAsync()
    {
        if (!_justRead)
        {
            _viewIsCurrent = false;
            await state.ReadStateAsync();
        }
        _justRead = false;
        return state.State.IsEmpty ? null : CurrentView();
    }

    /// <summary>
    /// The view of the state as it is in memory, computed once after each change of the state: an application computes
    /// it for its change, and the grain's answer (a payment's summary) reuses it.
    /// </summary>
    protected TView? CurrentView()
    {
        if (!_viewIsCurrent)
        {
            _view = View(Key);
            _viewIsCurrent = true;
        }
        return _view;
    }

    private (string Provider, string Id) Key => EventKey.Parse(this.GetPrimaryKeyString());

    private static string? Serialize(TView? view) => view is null ? null : JsonSerializer.Serialize(view, ViewJson);

    /// <summary>The view of the state; null while no event has made the object exist.</summary>
    protected abstract TView? View((string Provider, string Id) key);

    /// <summary>The view's status, for lists filtered by it; null for objects without one.</summary>
    protected abstract string? StatusOf(TView view);
}
