using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Webhooks.Grains.Interfaces.Configuration;
using Orleans.Webhooks.Grains.ChangeLog;
using Orleans.Webhooks.Grains.Interfaces.Destinations;
using Orleans.Webhooks.Grains.Interfaces.Domain;

namespace Orleans.Webhooks.Grains.Destinations;

/// <summary>
/// The sender of one destination. Orleans keeps one activation of it in the cluster, and silos ping it every few seconds
/// (<see cref="DestinationKeepAlive"/>), so when its silo dies it comes back on another one and carries on from the
/// cursor it saved. Its <see cref="DestinationPump"/> reads the change log after the cursor, delivers objects in parallel
/// and each object's changes in order, in batches when the destination takes them, retries a failing change with
/// backoff, parks one that keeps failing while others go through, and pauses the destination when one keeps failing
/// past the horizon. Delivery is at least once: what was in flight when it stopped is sent again, with the same id.
/// The grain hosts them: its row between writes is a <see cref="DestinationLedger"/>, an operator's retry or skip of a
/// parked change is <see cref="ParkedChanges"/>; the grain starts and stops the pump and answers the API.
/// </summary>
[KeepAlive]
internal sealed partial class DestinationGrain(
    ChangeLogReader changeLog,
    DestinationStore store,
    DestinationSender sender,
    IOptionsMonitor<DestinationsOptions> options,
    [FromKeyedServices(DestinationClock.Key)] TimeProvider time,
    ILogger<DestinationGrain> logger) : Grain, IDestinationGrain, IPumpHost
{
    private readonly List<Task> _retries = [];
    private DestinationLedger _ledger = null!;
    private ParkedChanges _parked = null!;
    private DestinationPump? _running;
    private CancellationTokenSource? _stop;
    private Task _pump = Task.CompletedTask;

    private string Name => this.GetPrimaryKeyString();

    private DestinationOptions? Settings => options.CurrentValue.Find(Name);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ledger = new DestinationLedger((row, version, attempts, trim, ct) => store.SaveAsync(Name, row, version, attempts, trim, ct));
        _parked = new ParkedChanges(Name, store, sender, time, logger);
        await ReloadAsync();
        Start();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await StopAsync();
        await Task.WhenAll(_retries);
    }

    public async Task EnsureRunningAsync()
    {
        if (_ledger.Stale && _pump.IsCompleted)
        {
            // Another activation wrote the row: carry on from what it saved. Orleans keeps one of the two in the end;
            // until then both send, which at least once allows.
            await ReloadAsync();
        }
        Start();
    }

    private async Task ReloadAsync() => _ledger.Load(await store.LoadAsync(Name));

    public async Task<DestinationStatus> GetStatusAsync()
    {
        var cursor = _running?.Cursor ?? _ledger.Row.Cursor;
        var (count, seconds) = await changeLog.LagAsync(cursor, Settings?.EffectiveKinds ?? DomainKinds.All);
        return new DestinationStatus
        {
            State = _ledger.Paused ? "paused" : "active",
            Cursor = cursor,
            LagChanges = count,
            LagSeconds = seconds,
            LastError = _ledger.Tracker.LastError,
            FailingSince = _ledger.Tracker.FailingSince,
            Parked = await store.ParkedCountAsync(Name),
        };
    }

    public async Task<IReadOnlyList<DeliveryAttempt>> GetDeliveriesAsync(int limit)
    {
        // Attempts not yet written are the newest.
        var recent = _ledger.Unsaved(limit).ToList();
        if (recent.Count < limit)
        {
            recent.AddRange(await store.AttemptsAsync(Name, limit - recent.Count));
        }
        return recent;
    }

    public Task<IReadOnlyList<ParkedChange>> GetParkedAsync(int limit) => store.ParkedAsync(Name, limit);

    public async Task<bool> RetryParkedAsync(long changeId)
    {
        if (Settings is not { } settings || await store.ParkedChangeAsync(Name, changeId) is not { } parked)
        {
            return false;
        }
        // Sent in the background: the answer can take the destination's Timeout, and the 202 means "on its way".
        _retries.RemoveAll(t => t.IsCompleted);
        _retries.Add(_parked.RetryAsync(parked.Change, settings));
        return true;
    }

    public Task<bool> SkipParkedAsync(long changeId) => _parked.SkipAsync(changeId);

    public async Task PauseAsync()
    {
        await StopAsync();
        _ledger.Paused = true;
        await SaveAsync(_ledger.Row.Cursor, CancellationToken.None);
        LogPaused(logger, Name, _ledger.Row.Cursor);
    }

    public async Task ResumeAsync()
    {
        await StopAsync();
        _ledger.Paused = false;
        _ledger.Tracker.Clear();
        await SaveAsync(_ledger.Row.Cursor, CancellationToken.None);
        LogResumed(logger, Name, _ledger.Row.Cursor);
        Start();
    }

    public async Task RewindAsync(long cursor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cursor);
        await StopAsync();
        _ledger.Tracker.Clear();
        await SaveAsync(cursor, CancellationToken.None);
        LogRewound(logger, Name, cursor);
        Start();
    }

    private void Start()
    {
        if (_ledger.Paused || _ledger.Stale || !_pump.IsCompleted || Settings is not { } settings)
        {
            return;
        }
        _stop?.Dispose();
        _stop = new CancellationTokenSource();
        LogSending(logger, Name, _ledger.Row.Cursor);
        _running = new DestinationPump(Name, changeLog, store, sender, _ledger.Tracker, () => Settings, time, this, logger);
        _pump = _running.RunAsync(_ledger.Row.Cursor, settings, _stop.Token);
    }

    /// <summary>
    /// Stops sending: deliveries in flight are cancelled, and the cursor and attempts are saved (or, when another
    /// activation wrote the row meanwhile, the row is read again).
    /// </summary>
    private async Task StopAsync()
    {
        _stop?.Cancel();
        try
        {
            await _pump;
        }
        catch (Exception ex)
        {
            LogPumpFailed(logger, ex, Name);
        }
        _running = null;
        if (_ledger.Stale)
        {
            await ReloadAsync();
        }
    }

    bool IPumpHost.HasUnsaved() => _ledger.HasUnsaved;

    void IPumpHost.Record(RecordedAttempt attempt) => _ledger.Record(attempt);

    void IPumpHost.PauseAfterHorizon()
    {
        _ledger.Paused = true;
        _stop?.Cancel();
    }

    Task<bool> IPumpHost.SaveAsync(long cursor, CancellationToken cancellationToken) => SaveAsync(cursor, cancellationToken);

    /// <summary>
    /// Writes the cursor, state and attempts. False when the row changed under it: another activation of this destination
    /// is sending (the cluster is settling a membership change), so this one stops and, at the next keep-alive ping,
    /// reloads the row and carries on from there.
    /// </summary>
    private async Task<bool> SaveAsync(long cursor, CancellationToken cancellationToken)
    {
        var wasStale = _ledger.Stale;
        if (await _ledger.SaveAsync(cursor, cancellationToken))
        {
            return true;
        }
        if (!wasStale)
        {
            LogStale(logger, Name);
            _stop?.Cancel();
        }
        return false;
    }

    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "Destination {Destination} sending from this silo, after cursor {Cursor}")]
    private static partial void LogSending(ILogger logger, string destination, long cursor);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Error, Message = "Destination {Destination}: reading or saving failed; retrying")]
    private static partial void LogPumpFailed(ILogger logger, Exception exception, string destination);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Warning, Message = "Destination {Destination}: its row was written by another activation; reloading it")]
    private static partial void LogStale(ILogger logger, string destination);

    [LoggerMessage(EventId = 6106, Level = LogLevel.Information, Message = "Destination {Destination} paused at cursor {Cursor}")]
    private static partial void LogPaused(ILogger logger, string destination, long cursor);

    [LoggerMessage(EventId = 6107, Level = LogLevel.Information, Message = "Destination {Destination} resumed from cursor {Cursor}")]
    private static partial void LogResumed(ILogger logger, string destination, long cursor);

    [LoggerMessage(EventId = 6108, Level = LogLevel.Information, Message = "Destination {Destination} rewound to cursor {Cursor}")]
    private static partial void LogRewound(ILogger logger, string destination, long cursor);
}
