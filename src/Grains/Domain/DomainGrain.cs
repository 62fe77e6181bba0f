using System.Text.Json;
using Orleans.Runtime;
using Orleans.Storage;
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
/// <para>
/// The grain takes calls while it writes (subclasses are <see cref="Orleans.Concurrency.ReentrantAttribute"/>), so that
/// a busy object applies in one write every event that reached it during the previous one: events that arrive while a
/// write is on its way wait, then are folded one after another, each answered as its fold left the state, and all are
/// written at once, with a change per event that changed the view, and answered when that write has committed. The state
/// never changes while a write of it is on its way (Orleans hands the write to the storage a turn later). An object
/// that gets one event at a time writes it at once, without waiting for company. A read that comes while events are
/// being applied joins the next round and sees what that round writes. A write that fails fails every event of it, and
/// the activation goes, since its memory is ahead of storage: events that reach it meanwhile fail as an outage would,
/// and their runs try again on a fresh activation.
/// </para>
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

    /// <summary>Events that reached the object since the current write began; folded when it has committed.</summary>
    private List<Application> _waiting = [];

    /// <summary>The run that folds and writes waiting events, while it runs (see <see cref="ApplyWaitingAsync"/>).</summary>
    private Task? _applying;

    /// <summary>A read of the state that <see cref="GetAsync"/> started, while it runs: folding waits for it.</summary>
    private Task? _reading;

    /// <summary>Set when a write failed: the state in memory is ahead of storage, and the activation is going.</summary>
    private Exception? _broken;

    protected TState State => state.State;

    /// <summary>The most applied event keys the object keeps (besides the retention); null for no limit.</summary>
    protected virtual int? MaxAppliedKeys => null;

    protected DateTimeOffset Now => services.Time.GetUtcNow();

    /// <summary>Applies <paramref name="apply"/> for the event unless the object has applied the event before; answers whether it did.</summary>
    protected Task<bool> ApplyOnceAsync(WebhookEvent evt, Action apply) => ApplyAsync(evt, isNew =>
    {
        if (isNew)
        {
            apply();
        }
        return isNew;
    }, isNew => isNew);

    /// <summary>
    /// Folds the event into the state: <paramref name="fold"/> is told whether the object sees the event for the first
    /// time and answers whether it changed the state. A first sight is recorded with its effect in one write; a repeat
    /// may still change the state when it carries facts that replace older ones whatever their number (the summary of a
    /// payment of higher version), and changes nothing otherwise. <paramref name="answer"/> (told the same) makes the
    /// caller's answer from the state as this fold left it; the caller gets it once the write that holds the fold, and
    /// every fold before it, has committed.
    /// </summary>
    protected Task<TAnswer> ApplyAsync<TAnswer>(WebhookEvent evt, Func<bool, bool> fold, Func<bool, TAnswer> answer)
    {
        if (_broken is { } broken)
        {
            return Task.FromException<TAnswer>(Replaced(broken));
        }
        _justRead = false;
        var application = new Application<TAnswer>(evt, fold, answer);
        _waiting.Add(application);
        if (_applying is null)
        {
            var applying = ApplyWaitingAsync();
            _applying = applying.IsCompleted ? null : applying;
        }
        return application.Answered;
    }

    /// <summary>
    /// Folds what waits and writes it, round after round while events keep arriving during the writes. Started by the
    /// first event to reach an idle object, which it folds and starts writing in that event's own turn.
    /// </summary>
    private async Task ApplyWaitingAsync()
    {
        try
        {
            if (_reading is { } reading)
            {
                try
                {
                    await reading;
                }
                catch (Exception ex)
                {
                    Break(ex);
                    return;
                }
            }
            while (_waiting.Count > 0)
            {
                var round = _waiting;
                _waiting = [];
                if (!await ApplyRoundAsync(round))
                {
                    return;
                }
            }
        }
        finally
        {
            _applying = null;
        }
    }

    /// <summary>One write for the round's events; false when it failed and the activation is going.</summary>
    private async Task<bool> ApplyRoundAsync(List<Application> round)
    {
        var folded = 0;
        var changed = false;
        try
        {
            for (; folded < round.Count; folded++)
            {
                changed |= Fold(round[folded]);
            }
            if (changed)
            {
                await state.WriteStateAsync();
            }
        }
        catch (Exception ex)
        {
            for (var i = 0; i < round.Count; i++)
            {
                // A fold that threw fails with its own error; the rest of the round with the write's, or as an outage.
                round[i].Fail(i == folded || folded == round.Count ? ex : Replaced(ex));
            }
            Break(ex);
            return false;
        }
        state.State.ClearPendingChanges();
        if (changed)
        {
            services.Quiet.Applied(GrainContext);
        }
        foreach (var application in round)
        {
            application.Complete();
        }
        return true;
    }

    /// <summary>
    /// After a failed write (or read) the in-memory state is ahead of storage, or unknown: the activation goes, so that
    /// the retries start from what was stored, and what waits fails as an outage.
    /// </summary>
    private void Break(Exception cause)
    {
        _broken = cause;
        state.State.ClearPendingChanges();
        DeactivateOnIdle();
        foreach (var waiting in _waiting)
        {
            waiting.Fail(Replaced(cause));
        }
        _waiting = [];
    }

    /// <summary>Folds one event into the state in memory, with the change of the view it makes; true when the state changed.</summary>
    private bool Fold(Application application)
    {
        if (application.Event is not { } evt)
        {
            application.Answer(false); // a read: the view as the folds before it left the state
            return false;
        }
        var isNew = !state.State.HasApplied(evt.Key);
        var key = Key;
        // A format 1 state has no view hash (see DomainState): the view as it was is serialised once, here.
        var before = state.State.ViewHash ?? ViewHashes.Of(Serialize(View(key)));
        _viewIsCurrent = false;
        if (!application.Fold(isNew))
        {
            application.Answer(isNew);
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
        if (json is not null && after != before)
        {
            state.State.AddPendingChange(new ViewChange(kind, key.Provider, key.Id, StatusOf(view!), json, state.State.UpdatedAt, evt.Key, evt.Type));
        }
        application.Answer(isNew);
        return true;
    }

    /// <summary>
    /// The view of the stored state. While events are being applied, the read joins the next round of folds and is
    /// answered with the view that round writes, once it is written (this activation is the one writing). Otherwise the
    /// state is read again first, because a copy of this object on another silo may have applied events since this
    /// activation read it (see <see cref="Directory.SiloLocalGrainDirectory"/>), unless the activation has just read it
    /// (a read of an object nobody holds active, the usual case); reads that come meanwhile share that read.
    /// </summary>
    public Task<TView?> GetAsync()
    {
        if (_broken is { } broken)
        {
            return Task.FromException<TView?>(Replaced(broken));
        }
        if (_applying is null)
        {
            return ReadAsync();
        }
        var read = new Application<TView?>(null, _ => false, _ => state.State.IsEmpty ? null : CurrentView());
        _waiting.Add(read);
        return read.Answered;
    }

    private async Task<TView?> ReadAsync()
    {
        if (_reading is { } shared)
        {
            await shared;
        }
        else if (!_justRead)
        {
            var reading = state.ReadStateAsync();
            _reading = reading;
            try
            {
                await reading;
            }
            finally
            {
                _reading = null;
            }
        }
        _justRead = false;
        _viewIsCurrent = false;
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

    /// <summary>The failure of an event that reached the activation after a write of it failed: an outage, retried on a fresh activation.</summary>
    private InconsistentStateException Replaced(Exception cause) =>
        new($"The state of {this.GetPrimaryKeyString()} in memory is ahead of storage after a failed write ({cause.GetType().Name}); the activation is being replaced.", cause);

    private (string Provider, string Id) Key => EventKey.Parse(this.GetPrimaryKeyString());

    private static string? Serialize(TView? view) => view is null ? null : JsonSerializer.Serialize(view, ViewJson);

    /// <summary>The view of the state; null while no event has made the object exist.</summary>
    protected abstract TView? View((string Provider, string Id) key);

    /// <summary>The view's status, for lists filtered by it; null for objects without one.</summary>
    protected abstract string? StatusOf(TView view);

    /// <summary>An event waiting to be folded (or a read, without one), and how its caller is answered.</summary>
    private abstract class Application(WebhookEvent? evt, Func<bool, bool> fold)
    {
        public WebhookEvent? Event => evt;

        public bool Fold(bool isNew) => fold(isNew);

        /// <summary>Makes the answer from the state as the fold left it.</summary>
        public abstract void Answer(bool isNew);

        /// <summary>Gives the caller its answer: the write holding the fold has committed.</summary>
        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class Application<TAnswer>(WebhookEvent? evt, Func<bool, bool> fold, Func<bool, TAnswer> answer) : Application(evt, fold)
    {
        private readonly TaskCompletionSource<TAnswer> _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TAnswer _answer = default!;

        public Task<TAnswer> Answered => _answered.Task;

        public override void Answer(bool isNew) => _answer = answer(isNew);

        public override void Complete() => _answered.TrySetResult(_answer);

        public override void Fail(Exception exception) => _answered.TrySetException(exception);
    }
}
